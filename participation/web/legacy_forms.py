"""TEMPORARY (removed when every form is a pydantic model of participation.forms).

Form input: read once, validate field by field, keep what the user typed.

Each domain's ``forms.py`` subclasses ``Form`` and implements ``clean``; errors are translated
messages keyed by field name, shown next to the field by ``templates/_macros/forms.html``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from participation.forms import EMAIL_RE, FormInput  # noqa: E402
from participation.i18n import gettext as _
from participation.i18n.formatting import ascii_digits


class Form:
    """Subclass and implement ``clean``; call ``validate()``."""

    def __init__(self, data: FormInput | Mapping[str, Any] | None = None) -> None:
        if isinstance(data, FormInput):
            self.input = data
        else:
            vals: dict[str, list[str]] = {}
            for k, v in (data or {}).items():
                if isinstance(v, list | tuple):
                    vals[k] = [str(x) for x in v]
                elif v is not None:
                    vals[k] = [str(v)]
            self.input = FormInput(vals)
        self.errors: dict[str, str] = {}
        self.cleaned: dict[str, Any] = {}

    # what the template shows back
    def value(self, name: str) -> str:
        return self.input.get(name)

    def values(self, name: str) -> list[str]:
        return self.input.getlist(name)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def validate(self) -> bool:
        self.errors = {}
        self.cleaned = {}
        self.clean()
        return not self.errors

    def clean(self) -> None:
        raise NotImplementedError

    # field helpers: each stores the cleaned value and records a translated error
    def text(
        self, name: str, *, required: bool = True, min_length: int = 0,
        max_length: int | None = None, multiline: bool = False,
    ) -> str:  # fmt: skip
        raw = self.input.get(name)
        value = raw.strip() if multiline else " ".join(raw.split())
        if not value:
            if required:
                self.error(name, _("This field is required."))
            self.cleaned[name] = ""
            return ""
        if len(value) < min_length:
            self.error(name, _("Please write at least %(n)s characters.", n=min_length))
        if max_length is not None and len(value) > max_length:
            self.error(
                name,
                _("Please keep this to %(n)s characters or fewer (now %(len)s).",
                  n=max_length, len=len(value)),
            )  # fmt: skip
        self.cleaned[name] = value
        return value

    def email(self, name: str, *, required: bool = True) -> str:
        value = self.text(name, required=required, max_length=254).lower()
        if value and not EMAIL_RE.match(value):
            self.error(name, _("Please enter a valid e-mail address, like name@example.org."))
        self.cleaned[name] = value
        return value

    def integer(
        self, name: str, *, required: bool = True, min_value: int | None = None,
        max_value: int | None = None,
    ) -> int | None:  # fmt: skip
        raw = ascii_digits(self.input.get(name).strip())
        if not raw:
            if required:
                self.error(name, _("This field is required."))
            self.cleaned[name] = None
            return None
        try:
            value = int(raw)
        except ValueError:
            self.error(name, _("Please enter a whole number."))
            self.cleaned[name] = None
            return None
        if (min_value is not None and value < min_value) or (
            max_value is not None and value > max_value
        ):
            self.error(name, _("Please enter a number between %(a)s and %(b)s.",
                               a=min_value, b=max_value))  # fmt: skip
        self.cleaned[name] = value
        return value

    def choice(self, name: str, choices: Sequence[str], *, required: bool = True) -> str:
        value = self.input.get(name).strip()
        if not value:
            if required:
                self.error(name, _("Please choose one of the options."))
            self.cleaned[name] = ""
            return ""
        if value not in choices:
            self.error(name, _("Please choose one of the options."))
        self.cleaned[name] = value
        return value

    def boolean(self, name: str, *, required: bool = False) -> bool:
        value = self.input.get(name) in ("1", "on", "true", "yes")
        if required and not value:
            self.error(name, _("Please tick this box to continue."))
        self.cleaned[name] = value
        return value

    def datetime(self, name: str, *, required: bool = True) -> datetime | None:
        """An <input type=datetime-local> value, read as UTC."""
        raw = ascii_digits(self.input.get(name).strip())
        if not raw:
            if required:
                self.error(name, _("This field is required."))
            self.cleaned[name] = None
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            self.error(name, _("Please enter a date and time like 2026-03-21 09:00."))
            self.cleaned[name] = None
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        self.cleaned[name] = value
        return value
