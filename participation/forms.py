"""HTML form input, typed by pydantic.

A domain's ``forms.py`` declares each form as a pydantic model (``FormModel``) whose fields use
the types below; a view binds it to what was submitted and validates:

    class SignInput(FormModel):
        name: Text(min_length=2, max_length=100)
        email: Email
        region: Choice(REGION_CODES)
        eligible: Tick(required=True)

    form = bind(SignInput, await read_form(request))
    if form.validate():
        await services.sign(..., form.data)        # a SignInput, typed
    else:
        render(..., {"form": form})                # errors by field, what was typed kept

What every form does the same way, here once:
- an error is a translated sentence next to its field (``form.errors[name]``); pydantic's own
  errors are mapped to our sentences by their type (``message_for``), our validators raise
  ``field_error`` with a sentence of their own;
- what the person typed is shown back unchanged (``form.value(name)``), valid or not;
- numbers and dates accept Persian and Arabic-Indic digits;
- a cross-field rule (``model_validator(mode="after")``) raises ``FieldError(name, message)``
  to put its sentence next to one field;
- context the rules need (the bodies one may choose, the questions of a questionnaire) is
  passed to ``bind(..., key=value)`` and read in validators from ``info.context``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from participation.db import BIGINT_MAX as BIGINT_MAX  # ids of big tables, re-exported
from participation.db import INT_MAX
from participation.i18n import gettext as _
from participation.i18n.context import get_time_zone
from participation.i18n.formatting import ascii_digits

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def parse_int(raw: str | None, *, low: int = 0, high: int = INT_MAX) -> int | None:
    """A whole number from a URL or a form (ASCII, Persian or Arabic digits, an optional
    minus sign), or None when it is not one or lies outside ``low..high``: ids are checked
    against their column's range here, so an id too big for the database is "not found",
    never a database error."""
    text = ascii_digits((raw or "").strip())
    digits = text[1:] if text.startswith("-") else text
    if not digits.isdigit() or len(digits) > 19:
        return None
    value = int(text)
    return value if low <= value <= high else None


# ---- what was submitted ---------------------------------------------------------------------


class FormInput:
    """The submitted fields: all values per name, and uploaded files (any object with
    ``filename``, ``content_type`` and ``read``)."""

    def __init__(self, values: dict[str, list[str]], files: dict[str, Any] | None = None):
        self.values = values
        self.files = files or {}

    @classmethod
    def of(cls, data: FormInput | Mapping[str, Any] | None) -> FormInput:
        """From a FormInput, or a plain mapping (initial values, tests)."""
        if isinstance(data, FormInput):
            return data
        values: dict[str, list[str]] = {}
        for k, v in (data or {}).items():
            if isinstance(v, list | tuple):
                values[k] = [str(x) for x in v]
            elif v is not None:
                values[k] = [str(v)]
        return cls(values)

    def get(self, name: str, default: str = "") -> str:
        v = self.values.get(name)
        return v[0] if v else default

    def getlist(self, name: str) -> list[str]:
        return list(self.values.get(name, []))

    def __contains__(self, name: str) -> bool:
        return name in self.values


# ---- errors ---------------------------------------------------------------------------------


class FieldError(Exception):
    """Raised by a form's cross-field rule: ``message`` goes next to ``field``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def field_error(message: str) -> PydanticCustomError:
    """The error a field validator raises: ``raise field_error(_("..."))``."""
    return PydanticCustomError("form", "{message}", {"message": message})


def message_for(error: Mapping[str, Any]) -> str:
    """Our translated sentence for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "form":
        return str(ctx["message"])
    if kind == "missing" or (kind == "string_too_short" and value == ""):
        return _("This field is required.")
    if kind == "string_too_short":
        return _("Please write at least %(n)s characters.", n=ctx["min_length"])
    if kind == "string_too_long":
        return _(
            "Please keep this to %(n)s characters or fewer (now %(len)s).",
            n=ctx["max_length"],
            len=len(value) if isinstance(value, str) else ctx["max_length"],
        )
    if kind in ("literal_error", "enum"):
        return _("Please choose one of the options.")
    if kind.startswith("int_") or kind in ("greater_than_equal", "less_than_equal"):
        return _("Please enter a whole number.")
    if kind.startswith("datetime_"):
        return _("Please enter a date and time like 2026-03-21 09:00.")
    return _("Please check this value.")


# ---- field types ----------------------------------------------------------------------------


def _one_line(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _length(min_length: int, max_length: int | None) -> AfterValidator:
    def check(value: str) -> str:
        if len(value) < min_length:
            raise field_error(
                _("This field is required.")
                if not value
                else _("Please write at least %(n)s characters.", n=min_length)
            )
        if max_length is not None and len(value) > max_length:
            raise field_error(
                _(
                    "Please keep this to %(n)s characters or fewer (now %(len)s).",
                    n=max_length,
                    len=len(value),
                )
            )
        return value

    return AfterValidator(check)


def Text(  # noqa: N802 - a type, named like one
    max_length: int | None = None, *, min_length: int = 0, required: bool = True,
    multiline: bool = False,
) -> Any:  # fmt: skip
    """Text, spaces collapsed to one (``multiline``: only stripped). A required field needs at
    least one character; an optional one defaults to ""."""
    clean = _strip if multiline else _one_line
    return Annotated[
        str, BeforeValidator(clean), _length(max(min_length, int(required)), max_length)
    ]


def _email(value: str) -> str:
    if value and not EMAIL_RE.match(value):
        raise field_error(_("Please enter a valid e-mail address, like name@example.org."))
    return value


def _lower(value: Any) -> Any:
    return _one_line(value).lower() if isinstance(value, str) else value


Email = Annotated[str, BeforeValidator(_lower), _length(1, 254), AfterValidator(_email)]
OptionalEmail = Annotated[str, BeforeValidator(_lower), _length(0, 254), AfterValidator(_email)]


def _digits_or_none(value: Any) -> Any:
    if isinstance(value, str):
        value = ascii_digits(value.strip())
        return value or None
    return value


def _required(required: bool) -> Any:
    def check(value: Any) -> Any:
        if value is None and required:
            raise field_error(_("This field is required."))
        return value

    return check


def Integer(low: int = 0, high: int = INT_MAX, *, required: bool = True) -> Any:  # noqa: N802
    """A whole number between ``low`` and ``high``, in any of our digits; not ``required``:
    None when left empty (give the field a default of None)."""

    def parse(value: Any) -> Any:
        value = _required(required)(_digits_or_none(value))
        if isinstance(value, str):
            n = parse_int(value, low=-(2**63), high=2**63)
            if n is None:
                raise field_error(_("Please enter a whole number."))
            value = n
        if isinstance(value, int) and not low <= value <= high:
            raise field_error(_("Please enter a number between %(a)s and %(b)s.", a=low, b=high))
        return value

    return Annotated[int if required else int | None, BeforeValidator(parse)]


def Choice(choices: Iterable[Any], *, required: bool = True) -> Any:  # noqa: N802
    """One of ``choices`` (compared as text). Not ``required``: None when left empty."""
    allowed = tuple(str(c) for c in choices)

    def check(value: Any) -> str | None:
        text = str(value).strip() if value is not None else ""
        if not text and not required:
            return None
        if text not in allowed:
            raise field_error(_("Please choose one of the options."))
        return text

    return Annotated[str if required else str | None, BeforeValidator(check)]


def _choice_in_context(key: str, required: bool = True) -> Any:
    def check(value: Any, info: ValidationInfo) -> Any:
        text = str(value).strip() if value is not None else ""
        if not text and not required:
            return None
        allowed = (info.context or {}).get(key, ())
        n = parse_int(text)
        if n is None or n not in allowed:
            raise field_error(_("Please choose one of the options."))
        return n

    return check


def IdChoice(context_key: str, *, required: bool = True) -> Any:  # noqa: N802
    """An id that must be one of ``context[context_key]`` (ids offered by the page)."""
    tp = int if required else int | None
    return Annotated[tp, BeforeValidator(_choice_in_context(context_key, required))]


def IdChoices(context_key: str) -> Any:  # noqa: N802
    """Several ids, each one of ``context[context_key]``."""

    def check(values: Any, info: ValidationInfo) -> list[int]:
        one = _choice_in_context(context_key)
        return [one(v, info) for v in (values or []) if str(v).strip()]

    return Annotated[list[int], BeforeValidator(check)]


TRUE = ("1", "on", "true", "yes")


def Tick(*, required: bool = False) -> Any:  # noqa: N802
    """A checkbox: ticked or not (absent = not); ``required``: it must be ticked."""

    def check(value: Any) -> bool:
        ticked = value is True or (isinstance(value, str) and value in TRUE)
        if required and not ticked:
            raise field_error(_("Please tick this box to continue."))
        return ticked

    return Annotated[bool, BeforeValidator(check)]


def DateTime(*, required: bool = True) -> Any:  # noqa: N802
    """An <input type=datetime-local> value (any of our digits), read in the deployment's time
    zone (``TIME_ZONE``, set for the request by the locale middleware) and given as UTC. Not
    ``required``: None when left empty."""

    def parse(value: Any) -> Any:
        value = _required(required)(_digits_or_none(value))
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                raise field_error(
                    _("Please enter a date and time like 2026-03-21 09:00.")
                ) from None
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=get_time_zone())
            return parsed.astimezone(UTC)
        return value

    return Annotated[datetime if required else datetime | None, BeforeValidator(parse)]


# ---- the model and the bound form -----------------------------------------------------------


class FormModel(BaseModel):
    """Base of every HTML form. Absent optional fields take their defaults (validated too, so
    a required checkbox is declared ``Tick(required=True) = False``); fields that are lists
    collect every value of their name; other fields take the first value."""

    model_config = ConfigDict(extra="ignore", frozen=True, validate_default=True)

    @classmethod
    def from_input(cls, data: FormInput) -> dict[str, Any]:
        """The dict the model validates: a list for list fields, else the first value; names
        that are not fields are passed too, for a ``mode="before"`` rule that reads them."""
        raw: dict[str, Any] = {}
        for name, values in data.values.items():
            raw[name] = values[0] if values else ""
        for name, info in cls.model_fields.items():
            if _is_list(info.annotation):
                raw[name] = data.getlist(name)
        for name, upload in data.files.items():
            raw[name] = upload
        return raw


def _is_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_list(get_args(annotation)[0])
    return origin is list


M = TypeVar("M", bound=BaseModel)


class BoundForm(Generic[M]):
    """A form model bound to what was submitted: ``validate()``, then ``data`` (typed) or
    ``errors`` (field name -> translated sentence); ``value(name)`` is what was typed."""

    def __init__(self, model: type[M], data: FormInput | Mapping[str, Any] | None = None,
                 **context: Any) -> None:  # fmt: skip
        self.model = model
        self.input = FormInput.of(data)
        self.context = context
        self.errors: dict[str, str] = {}
        self._data: M | None = None

    @property
    def data(self) -> M:
        """The typed input; only after ``validate()`` returned True."""
        if self._data is None:
            raise RuntimeError("form data read before a successful validate()")
        return self._data

    def value(self, name: str) -> str:
        return self.input.get(name)

    def values(self, name: str) -> list[str]:
        return self.input.getlist(name)

    def error(self, name: str, message: str) -> None:
        """Put a message next to a field (e.g. a service's refusal about it)."""
        self.errors.setdefault(name, message)

    def validate(self) -> bool:
        self.errors = {}
        self._data = None
        from_input = getattr(self.model, "from_input", None)
        raw = from_input(self.input) if from_input else dict(self.input.values)
        try:
            self._data = self.model.model_validate(raw, context=self.context)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                name = str(err["loc"][0]) if err["loc"] else "__all__"
                self.error(name, message_for(err))
        except FieldError as exc:
            self.error(exc.field, exc.message)
        return not self.errors


def bind(model: type[M], data: FormInput | Mapping[str, Any] | None = None,
         **context: Any) -> BoundForm[M]:  # fmt: skip
    return BoundForm(model, data, **context)
