"""Input validation for the consultation forms. Translatable fields are named
``<field>_<locale>`` (title_en, title_fa...); the original language's are required."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import UploadFile

from consultations.models import Question, QuestionKind
from participation.forms import FormInput
from participation.i18n import LOCALES, lazy_gettext
from participation.i18n import gettext as _
from participation.i18n.content import build
from participation.i18n.formatting import ascii_digits
from participation.web.legacy_forms import Form

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


class TranslatableForm(Form):
    """Collects ``<field>_<locale>`` inputs into i18n JSON; the original locale must be
    complete for the ``required`` fields."""

    translatable: tuple[str, ...] = ()
    required_fields: tuple[str, ...] = ()
    max_lengths: dict[str, int] = {}

    def clean_i18n(self) -> tuple[dict[str, dict[str, str]], str]:
        original = self.choice("original_locale", LOCALES)
        raw: dict[str, dict[str, str]] = {}
        for loc in LOCALES:
            for name in self.translatable:
                key = f"{name}_{loc}"
                multiline = name not in ("title",)
                value = self.text(key, required=False, multiline=multiline,
                                  max_length=self.max_lengths.get(name))  # fmt: skip
                if value:
                    raw.setdefault(loc, {})[name] = value
        for name in self.required_fields:
            if original and not (raw.get(original) or {}).get(name):
                self.error(f"{name}_{original}",
                           _("This field is required in the original language."))  # fmt: skip
        i18n = build(raw)
        self.cleaned["i18n"] = i18n
        return i18n, original


class ConsultationForm(TranslatableForm):
    translatable = ("title", "summary", "body")
    required_fields = ("title", "summary")
    max_lengths = {"title": 200, "summary": 1000, "body": 50000}

    def __init__(self, data: Any = None, *, body_choices: dict[int, str] | None = None) -> None:
        super().__init__(data)
        self.body_choices = body_choices or {}

    def clean(self) -> None:
        self.clean_i18n()
        self.text("topic", required=False, max_length=80)
        self.text("region", required=False, max_length=100)
        co: list[int] = []
        for raw in self.input.getlist("co_owners"):
            try:
                body_id = int(ascii_digits(raw))
            except ValueError:
                body_id = -1
            if body_id not in self.body_choices:
                self.error("co_owners", _("Please choose one of the options."))
            else:
                co.append(body_id)
        self.cleaned["co_owners"] = co


class SectionForm(TranslatableForm):
    translatable = ("title", "text")
    required_fields = ("title", "text")
    max_lengths = {"title": 200, "text": 50000}

    def __init__(self, data: Any = None, *, versioned: bool = False) -> None:
        super().__init__(data)
        self.versioned = versioned

    def clean(self) -> None:
        self.clean_i18n()
        self.text("note", required=self.versioned, max_length=500, multiline=True)


class OutcomeForm(TranslatableForm):
    """The text of a report or a response, in the original language and any others."""

    translatable = ("text",)
    required_fields = ("text",)
    max_lengths = {"text": 50000}

    def clean(self) -> None:
        self.clean_i18n()


class QuestionForm(TranslatableForm):
    translatable = ("text",)
    required_fields = ("text",)
    max_lengths = {"text": 500}

    def clean(self) -> None:
        _i18n, original = self.clean_i18n()
        kind = self.choice("kind", [k.value for k in QuestionKind])
        self.boolean("required")
        options: list[dict[str, Any]] = []
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and original:
            per_locale = {
                loc: [line.strip() for line in self.input.get(f"options_{loc}").splitlines()
                      if line.strip()]
                for loc in LOCALES
            }  # fmt: skip
            base = per_locale[original]
            if len(base) < 2:
                self.error(
                    f"options_{original}", _("Please give at least two options, one per line.")
                )
            for loc, labels in per_locale.items():
                if labels and len(labels) != len(base):
                    self.error(f"options_{loc}",
                               _("Give the same number of options in every language."))  # fmt: skip
            for i, label in enumerate(base):
                texts = {loc: per_locale[loc][i] for loc in LOCALES
                         if i < len(per_locale[loc])}  # fmt: skip
                options.append({"key": chr(ord("a") + i) if i < 26 else str(i),
                                "i18n": {**texts, original: label}})  # fmt: skip
        self.cleaned["options"] = options


class AttachmentForm(Form):
    """A PDF: declared type, magic bytes and size are all checked."""

    def __init__(self, data: FormInput) -> None:
        super().__init__(data)
        self.data: bytes = b""
        self.filename = ""

    async def read(self) -> None:
        upload = self.input.files.get("file")
        if isinstance(upload, UploadFile):
            self.filename = upload.filename or "document.pdf"
            try:
                self.data = await upload.read(MAX_PDF_BYTES + 1)
            finally:
                await upload.close()
            self.content_type = (upload.content_type or "").split(";")[0].strip().lower()
        else:
            self.content_type = ""

    def clean(self) -> None:
        self.text("title", required=False, max_length=200)
        if not self.data:
            self.error("file", _("Please choose a PDF file."))
        elif len(self.data) > MAX_PDF_BYTES:
            self.error("file", _("The file is too large: at most %(mb)s MB.", mb=10))
        elif self.content_type != "application/pdf" or not self.data.startswith(b"%PDF-"):
            self.error("file", _("Only PDF documents can be attached."))


class PublishForm(Form):
    def clean(self) -> None:
        opens = self.datetime("opens_at")
        closes = self.datetime("closes_at")
        if opens and closes and closes <= opens:
            self.error("closes_at", _("The closing date must be after the opening date."))
        if closes and closes <= datetime.now(UTC):
            self.error("closes_at", _("The closing date must be in the future."))


class DatesForm(Form):
    """Close early, or extend to a later closing date; either way with a public reason."""

    def clean(self) -> None:
        action = self.choice("action", ["close", "extend"])
        self.text("reason", min_length=5, max_length=1000, multiline=True)
        if action == "extend":
            self.datetime("closes_at")


class AnswerForm(Form):
    """The questionnaire: one field ``q<id>`` per question (a list for multiple choice)."""

    def __init__(self, data: Any, questions: list[Question], *, optional: bool = False) -> None:
        super().__init__(data)
        self.questions = questions
        self.optional = optional  # paper submissions: record what the sender answered

    def clean(self) -> None:
        answers: dict[str, Any] = {}
        for q in self.questions:
            name = f"q{q.id}"
            required = q.required and not self.optional
            keys = [str(o["key"]) for o in q.options]
            if q.kind == QuestionKind.MULTIPLE:
                chosen = [v for v in self.input.getlist(name) if v]
                if any(v not in keys for v in chosen):
                    self.error(name, _("Please choose one of the options."))
                elif required and not chosen:
                    self.error(name, _("Please choose at least one option."))
                elif chosen:
                    answers[str(q.id)] = [k for k in keys if k in chosen]
            elif q.kind == QuestionKind.SINGLE:
                value = self.choice(name, keys, required=required)
                if value and value in keys:
                    answers[str(q.id)] = value
            elif q.kind == QuestionKind.SCALE:
                scale = self.integer(name, required=required, min_value=1, max_value=5)
                if scale is not None and 1 <= scale <= 5:
                    answers[str(q.id)] = scale
            else:
                text = self.text(name, required=required, max_length=5000, multiline=True)
                if text:
                    answers[str(q.id)] = text
        self.cleaned["answers"] = answers

    def chosen(self, q: Question) -> list[str]:
        return self.input.getlist(f"q{q.id}")


def answer_form_for(questions: list[Question], answers: dict[str, Any] | None) -> AnswerForm:
    """A form pre-filled with a person's saved answers."""
    values: dict[str, list[str]] = {}
    for q in questions:
        v = (answers or {}).get(str(q.id))
        if v is None:
            continue
        values[f"q{q.id}"] = [str(x) for x in v] if isinstance(v, list) else [str(v)]
    return AnswerForm(FormInput(values), questions)


class PaperForm(Form):
    def __init__(
        self, data: Any, *, body_choices: dict[int, str], section_positions: list[int],
        questions: list[Question],
    ) -> None:  # fmt: skip
        super().__init__(data)
        self.body_choices = body_choices
        self.section_positions = section_positions
        self.answer_form = AnswerForm(self.input, questions, optional=True)

    def clean(self) -> None:
        self.choice("channel", list(CHANNELS))
        received = self.datetime("received_at")
        if received and received > datetime.now(UTC):
            self.error("received_at", _("The date received cannot be in the future."))
        self.text("author_name", required=False, max_length=100)
        section = self.input.get("section").strip()
        if section and not (section.isdigit() and int(section) in self.section_positions):
            self.error("section", _("Please choose one of the options."))
        self.cleaned["section"] = int(section) if section.isdigit() else None
        self.choice("stance", list(STANCES), required=False)
        self.text("text", required=False, max_length=20000, multiline=True)
        body = self.input.get("body_id")
        if not body.isdigit() or int(body) not in self.body_choices:
            self.error("body_id", _("Please choose one of the options."))
            self.cleaned["body_id"] = None
        else:
            self.cleaned["body_id"] = int(body)
        self.answer_form.validate()
        self.errors.update(self.answer_form.errors)
        self.cleaned["answers"] = self.answer_form.cleaned.get("answers", {})
        if not self.cleaned["text"] and not self.cleaned["answers"]:
            self.error("text", _("Please enter the text of the submission or its answers."))
