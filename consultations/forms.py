"""Typed input of the consultation forms (pydantic models of ``participation.forms``).

What officials write is translatable: a form has one field per language for each of its
``TEXTS``, named ``<field>_<locale>`` (title_en, title_fa...) and made by
``@in_every_language``; those in ``REQUIRED`` may not be empty in the original language.
The questionnaire has one field per question, ``q<id>``, in a model made for the questions
(``answers_input``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeAlias, TypeVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ModelWrapValidatorHandler,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    WrapValidator,
    create_model,
    model_validator,
)
from pydantic_core import InitErrorDetails
from pypdf import PdfReader

from consultations.models import Question, QuestionKind
from participation.forms import (
    BoundForm,
    Choice,
    DateTime,
    FieldError,
    FormInput,
    FormModel,
    IdChoice,
    IdChoices,
    Integer,
    Text,
    Tick,
    bind,
    field_error,
    message_for,
)
from participation.i18n import LOCALES, lazy_gettext
from participation.i18n import gettext as _
from participation.i18n.content import build
from participation.organisations.body_settings import FLAGS

I18n = dict[str, dict[str, str]]
MAX_PDF_BYTES = 10 * 1024 * 1024
CHANNELS = {
    "post": lazy_gettext("Post"),
    "email": lazy_gettext("E-mail"),
    "meeting": lazy_gettext("Public meeting"),
    "phone": lazy_gettext("Telephone"),
}
STANCES = {
    "for": lazy_gettext("For"),
    "against": lazy_gettext("Against"),
    "neutral": lazy_gettext("Neutral"),
}
KINDS = {
    QuestionKind.SINGLE: lazy_gettext("Single choice"),
    QuestionKind.MULTIPLE: lazy_gettext("Multiple choice"),
    QuestionKind.SCALE: lazy_gettext("Scale from 1 to 5"),
    QuestionKind.TEXT: lazy_gettext("Free text"),
}


def _required_in_original(locale: str) -> AfterValidator:
    def check(value: str, info: ValidationInfo) -> str:
        if not value and info.data.get("original_locale") == locale:
            raise field_error(_("This field is required in the original language."))
        return value

    return AfterValidator(check)


def _required_if(context_key: str) -> AfterValidator:
    def check(value: str, info: ValidationInfo) -> str:
        if not value and (info.context or {}).get(context_key):
            raise field_error(_("This field is required."))
        return value

    return AfterValidator(check)


def _in_the_future(value: datetime, info: ValidationInfo) -> datetime:
    """A closing date: after the opening date (when valid) and after now."""
    opens = info.data.get("opens_at")
    if opens is not None and value <= opens:
        raise field_error(_("The closing date must be after the opening date."))
    if value <= datetime.now(UTC):
        raise field_error(_("The closing date must be in the future."))
    return value


def _not_in_the_future(value: datetime) -> datetime:
    if value > datetime.now(UTC):
        raise field_error(_("The date received cannot be in the future."))
    return value


def _when_extending(value: Any, handler: Any, info: ValidationInfo) -> Any:
    """The new closing date is read (and required) only when extending."""
    return handler(value) if info.data.get("action") == "extend" else None


if TYPE_CHECKING:  # mypy reads the Python types, pydantic the validating ones below
    Locale: TypeAlias = str
    QuestionKindValue: TypeAlias = str
    Channel: TypeAlias = str
    Action: TypeAlias = str
    Stance: TypeAlias = str | None
    Topic: TypeAlias = str
    Region: TypeAlias = str
    AuthorName: TypeAlias = str
    PaperText: TypeAlias = str
    Reason: TypeAlias = str
    Note: TypeAlias = str
    Title: TypeAlias = str
    BodyId: TypeAlias = int
    BodyIds: TypeAlias = list[int]
    SectionNumber: TypeAlias = int | None
    When: TypeAlias = datetime
    Closing: TypeAlias = datetime
    Received: TypeAlias = datetime
    NewClosing: TypeAlias = datetime | None
    Ticked: TypeAlias = bool
    FlagCount: TypeAlias = int | None
else:
    Locale = Choice(LOCALES)
    QuestionKindValue = Choice([k.value for k in QuestionKind])
    Channel = Choice(CHANNELS)
    Action = Choice(["close", "extend"])
    Stance = Choice(STANCES, required=False)
    Topic = Text(80, required=False)
    Region = Text(100, required=False)
    AuthorName = Text(100, required=False)
    PaperText = Text(20000, required=False, multiline=True)
    Reason = Text(1000, min_length=5, multiline=True)
    Note = Annotated[Text(500, required=False, multiline=True), _required_if("versioned")]
    Title = Text(200, required=False)
    BodyId = IdChoice("bodies")
    BodyIds = IdChoices("bodies")
    SectionNumber = IdChoice("sections", required=False)
    When = DateTime()
    Closing = Annotated[DateTime(), AfterValidator(_in_the_future)]
    Received = Annotated[DateTime(), AfterValidator(_not_in_the_future)]
    NewClosing = Annotated[DateTime(), WrapValidator(_when_extending)]
    Ticked = Tick()
    FlagCount = Integer(*FLAGS, required=False)


# ---- texts in every language ------------------------------------------------------------------


class Translatable(FormModel):
    """Base of the forms with translatable texts: a subclass names its ``TEXTS`` (field ->
    maximum length; "title" is one line, the others keep their lines) and ``REQUIRED``, and is
    decorated with ``in_every_language``."""

    TEXTS: ClassVar[dict[str, int]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    original_locale: Locale

    @property
    def i18n(self) -> I18n:
        """{locale: {field: text}} of the texts written."""
        return build(
            {loc: {name: getattr(self, f"{name}_{loc}") for name in self.TEXTS} for loc in LOCALES}
        )


T = TypeVar("T", bound=Translatable)


def in_every_language(cls: type[T]) -> type[T]:
    """``cls`` with a field ``<name>_<locale>`` for each of its TEXTS in every language."""
    fields: dict[str, Any] = {}
    for loc in LOCALES:
        for name, max_length in cls.TEXTS.items():
            text = Text(max_length, required=False, multiline=name != "title")
            if name in cls.REQUIRED:
                text = Annotated[text, _required_in_original(loc)]
            fields[f"{name}_{loc}"] = (text, "")
    made: type[T] = create_model(  # type: ignore[call-overload]
        cls.__name__, __base__=cls, __module__=cls.__module__, __doc__=cls.__doc__, **fields
    )
    return made


@in_every_language
class ConsultationInput(Translatable):
    """A consultation's texts, topic, region and co-owning bodies (context ``bodies``: the
    bodies one may choose)."""

    TEXTS = {"title": 200, "summary": 1000, "body": 50000}
    REQUIRED = ("title", "summary")

    topic: Topic = ""
    region: Region = ""
    co_owners: BodyIds = []
    # moderation: flags that hide a comment pending review (empty: the body's default) and
    # whether new comments wait for a moderator's approval
    flag_threshold: FlagCount = None
    premoderated: Ticked = False


class NewConsultationInput(ConsultationInput):
    """A new consultation also names the body running it (context ``mine``: the bodies the
    official works for)."""

    if TYPE_CHECKING:
        body_id: int
    else:
        body_id: IdChoice("mine")


@in_every_language
class SectionInput(Translatable):
    """A section's texts; once the consultation is open (context ``versioned``) a change is a
    new version and needs a public note."""

    TEXTS = {"title": 200, "text": 50000}
    REQUIRED = ("title", "text")

    note: Note = ""


@in_every_language
class OutcomeInput(Translatable):
    """The text of a report or a response, in the original language and any others."""

    TEXTS = {"text": 50000}
    REQUIRED = ("text",)


def _lines(raw: Any) -> list[str]:
    text = raw[0] if isinstance(raw, list) and raw else raw
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _options_of(raw: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The options of a choice question, one per line in each ``options_<locale>`` field, and
    the errors about them by field."""
    original = str(raw.get("original_locale", "")).strip()
    if str(raw.get("kind", "")).strip() not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return [], {}
    if original not in LOCALES:
        return [], {}
    per_locale = {loc: _lines(raw.get(f"options_{loc}")) for loc in LOCALES}
    base = per_locale[original]
    errors: dict[str, str] = {}
    if len(base) < 2:
        errors[f"options_{original}"] = _("Please give at least two options, one per line.")
    for loc, labels in per_locale.items():
        if labels and len(labels) != len(base):
            errors.setdefault(
                f"options_{loc}", _("Give the same number of options in every language.")
            )
    options = []
    for i, label in enumerate(base):
        texts = {loc: per_locale[loc][i] for loc in LOCALES if i < len(per_locale[loc])}
        key = chr(ord("a") + i) if i < 26 else str(i)
        options.append({"key": key, "i18n": {**texts, original: label}})
    return options, errors


def _all_errors(exc: ValidationError | None, more: dict[str, str]) -> ValidationError:
    """One ValidationError with the errors of ``exc`` and ``more`` (field -> message)."""
    found = (
        [(err["loc"], message_for(err), err.get("input")) for err in exc.errors()] if exc else []
    )
    found += [((field,), message, "") for field, message in more.items()]
    return ValidationError.from_exception_data("form", [
        InitErrorDetails(type=field_error(message), loc=tuple(loc), input=value)
        for loc, message, value in found
    ])  # fmt: skip


@in_every_language
class QuestionInput(Translatable):
    """A question of the questionnaire; a choice question has its options one per line in
    ``options_<locale>``, as many in every language as in the original."""

    TEXTS = {"text": 500}
    REQUIRED = ("text",)

    kind: QuestionKindValue
    required: Ticked = False
    options: list[dict[str, Any]] = []

    @model_validator(mode="wrap")
    @classmethod
    def _options(cls, raw: Any, handler: ModelWrapValidatorHandler[QuestionInput]) -> Any:
        options, errors = _options_of(raw) if isinstance(raw, dict) else ([], {})
        try:
            made = handler({**raw, "options": options} if isinstance(raw, dict) else raw)
        except ValidationError as exc:
            raise _all_errors(exc, errors) from None
        if errors:
            raise _all_errors(None, errors)
        return made


# ---- attachments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """An uploaded file, read (at most MAX_PDF_BYTES + 1 bytes)."""

    filename: str
    content_type: str
    data: bytes


async def read_uploads(data: FormInput, limit: int = MAX_PDF_BYTES) -> FormInput:
    """The same input with each uploaded file read into an ``Upload`` (and closed)."""
    files: dict[str, Upload] = {}
    for name, upload in data.files.items():
        try:
            content = await upload.read(limit + 1)
        finally:
            await upload.close()
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        files[name] = Upload(upload.filename or "", content_type, content)
    return FormInput(data.values, files)


def is_pdf(data: bytes) -> bool:
    """Whether pypdf reads ``data`` as a PDF of at least one page (a file that only starts
    like one, such as HTML or SVG behind "%PDF-", is not)."""
    if not data.startswith(b"%PDF-"):
        return False
    try:
        return len(PdfReader(io.BytesIO(data)).pages) > 0
    except Exception:  # pypdf raises many kinds on what is not a PDF
        return False


def _pdf(value: Any) -> Upload:
    if not isinstance(value, Upload) or not value.data:
        raise field_error(_("Please choose a PDF file."))
    if len(value.data) > MAX_PDF_BYTES:
        raise field_error(_("The file is too large: at most %(mb)s MB.", mb=10))
    if value.content_type != "application/pdf" or not is_pdf(value.data):
        raise field_error(_("Only PDF documents can be attached."))
    return value


class AttachmentInput(FormModel):
    """A PDF: declared type, size, and a document pypdf can read. Bind it to the input of
    ``read_uploads``."""

    title: Title = ""
    file: Annotated[Upload | None, PlainValidator(_pdf)] = None


# ---- dates ------------------------------------------------------------------------------------


class PublishInput(FormModel):
    opens_at: When
    closes_at: Closing


class DatesInput(FormModel):
    """Close early, or extend to a later closing date; either way with a public reason."""

    action: Action
    reason: Reason
    closes_at: NewClosing = None


# ---- the questionnaire ------------------------------------------------------------------------


class AnswersInput(FormModel):
    """The questionnaire: one field ``q<id>`` per question (a list for multiple choice), in a
    model made for the questions by ``answers_input(AnswersInput, questions)``."""

    @property
    def answers(self) -> dict[str, Any]:
        """question id -> the answer, for the questions answered."""
        return {
            name[1:]: value
            for name, value in self
            if name[:1] == "q" and name[1:].isdigit() and value not in (None, "", [])
        }


def _several(keys: list[str], required: bool) -> Any:
    def check(values: Any) -> list[str]:
        chosen = [str(v) for v in (values if isinstance(values, list) else [values]) if v]
        if any(v not in keys for v in chosen):
            raise field_error(_("Please choose one of the options."))
        if required and not chosen:
            raise field_error(_("Please choose at least one option."))
        return [k for k in keys if k in chosen]

    return Annotated[list[str], BeforeValidator(check)]


def _answer_field(q: Question, required: bool) -> tuple[Any, Any]:
    keys = [str(o["key"]) for o in q.options]
    if q.kind == QuestionKind.MULTIPLE:
        return _several(keys, required), []
    if q.kind == QuestionKind.SINGLE:
        return Choice(keys, required=required), ""
    if q.kind == QuestionKind.SCALE:
        return Integer(1, 5, required=required), ""
    return Text(5000, required=required, multiline=True), ""


A = TypeVar("A", bound=AnswersInput)


def answers_input(base: type[A], questions: list[Question], *, optional: bool = False) -> type[A]:
    """``base`` with a field per question; ``optional``: no answer is required (what arrived
    on paper is recorded as it was answered)."""
    fields = {f"q{q.id}": _answer_field(q, q.required and not optional) for q in questions}
    made: type[A] = create_model(  # type: ignore[call-overload]
        base.__name__, __base__=base, __module__=__name__, **fields
    )
    return made


def answer_form_for(questions: list[Question], answers: dict[str, Any] | None) -> BoundForm[Any]:
    """A questionnaire pre-filled with a person's saved answers (to show, not to validate)."""
    values: dict[str, list[str]] = {}
    for q in questions:
        v = (answers or {}).get(str(q.id))
        if v is not None:
            values[f"q{q.id}"] = [str(x) for x in v] if isinstance(v, list) else [str(v)]
    return bind(AnswersInput, FormInput(values))


class PaperInput(AnswersInput):
    """A submission that arrived on paper or in person (context ``bodies``: the bodies the
    official enters for, ``sections``: the section numbers), with optional answers when made
    by ``answers_input(PaperInput, questions, optional=True)``."""

    body_id: BodyId
    channel: Channel
    received_at: Received
    author_name: AuthorName = ""
    section: SectionNumber = None
    stance: Stance = None
    text: PaperText = ""

    @model_validator(mode="after")
    def _something_was_received(self) -> PaperInput:
        if not self.text and not self.answers:
            raise FieldError("text", _("Please enter the text of the submission or its answers."))
        return self


# ---- officials' exports -------------------------------------------------------------------


class ExportInput(FormModel):
    """Which file with names to prepare: comments, questionnaire answers or paper
    submissions, as CSV or JSON."""

    kind: Choice(["comments", "answers", "paper"])  # type: ignore[valid-type]
    fmt: Choice(["csv", "json"])  # type: ignore[valid-type]
