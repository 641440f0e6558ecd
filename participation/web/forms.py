"""Form input: read once, validate field by field, keep what the user typed.

Each domain's ``forms.py`` subclasses ``Form`` and implements ``clean``; errors are translated
messages keyed by field name, shown next to the field by ``templates/_macros/forms.html``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from participation.db import INT_MAX
from participation.i18n import gettext as _
from participation.i18n.formatting import ascii_digits


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


EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


class FormInput:
    """The submitted fields: first value per name, all values, and uploaded files."""

    def __init__(self, values: dict[str, list[str]], files: dict[str, UploadFile] | None = None):
        self.values = values
        self.files = files or {}

    def get(self, name: str, default: str = "") -> str:
        v = self.values.get(name)
        return v[0] if v else default

    def getlist(self, name: str) -> list[str]:
        return list(self.values.get(name, []))

    def __contains__(self, name: str) -> bool:
        return name in self.values


async def read_form(request: Request, max_files: int = 5) -> FormInput:
    """Parse the request body; a NUL byte in any text field is a 400."""
    form = await request.form(max_files=max_files, max_fields=500)
    values: dict[str, list[str]] = {}
    files: dict[str, UploadFile] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if value.filename:
                files[key] = value
            continue
        if "\x00" in value or "\x00" in key:
            raise HTTPException(400, "NUL byte in form field")
        values.setdefault(key, []).append(value)
    return FormInput(values, files)


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
