"""Translatable content written by officials (titles, bodies, names).

Stored as one JSON object per row: ``{"en": {"title": ...}, "fa": {...}}`` plus the row's
``original_locale``. A reader gets their language when it exists, else the original with a
visible "not yet translated" mark. One column instead of one row per locale keeps every list
query join-free; the fallback rule is the same as a translation table's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from participation.i18n import LOCALES, get_locale


@dataclass(frozen=True, slots=True)
class Translated:
    text: str
    locale: str
    fallback: bool  # True when shown in the original language, not the reader's

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(self.text))


def pick(
    i18n: dict[str, dict[str, str]], original: str, field: str, locale: str | None = None
) -> Translated:
    loc = locale or get_locale()
    value = (i18n.get(loc) or {}).get(field)
    if value:
        return Translated(value, loc, False)
    value = (i18n.get(original) or {}).get(field, "")
    if value:
        return Translated(value, original, loc != original)
    for other in LOCALES:
        value = (i18n.get(other) or {}).get(field, "")
        if value:
            return Translated(value, other, True)
    return Translated("", loc, True)


def build(fields: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Normalise form input ``{locale: {field: text}}``: known locales, stripped, no empties."""
    out: dict[str, dict[str, str]] = {}
    for loc in LOCALES:
        values = {k: v.strip() for k, v in (fields.get(loc) or {}).items() if v and v.strip()}
        if values:
            out[loc] = values
    return out


class TranslatableMixin:
    """For models with ``i18n`` (JSON) and ``original_locale`` fields."""

    i18n: Any
    original_locale: str

    def tr(self, field: str, locale: str | None = None) -> Translated:
        return pick(self.i18n or {}, self.original_locale, field, locale)

    def available_locales(self) -> list[str]:
        return [loc for loc in LOCALES if (self.i18n or {}).get(loc)]
