"""Locale choice, gettext and text direction.

The current locale lives in a context variable set by the locale middleware (or by a job that
renders for one recipient), so services, forms and templates all translate the same way.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from participation.i18n.context import (
    LOCALES,
    RTL_LOCALES,
    direction,
    get_locale,
    set_locale,
    use_locale,
)
from participation.i18n.formatting import format_number, localize_digits

__all__ = [
    "LOCALES", "RTL_LOCALES", "LANGUAGE_NAMES", "direction", "get_locale", "set_locale",
    "use_locale", "gettext", "ngettext", "pgettext", "lazy_gettext", "LazyString",
]  # fmt: skip

LANGUAGE_NAMES = {"en": "English", "fa": "فارسی", "ar": "العربية", "fr": "Français"}
LOCALE_DIR = Path(__file__).resolve().parent.parent.parent / "locales"


@cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of one locale, compiled in memory from its .po file (no build step)."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == "en" or not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf)


def localized(variables: dict[str, object]) -> dict[str, object]:
    """Numbers in a message are written in the reader's digits (Persian, Arabic-Indic), as
    they are (no separators: a count worth grouping is passed already formatted)."""
    return {
        k: localize_digits(str(v)) if isinstance(v, int | float) and not isinstance(v, bool) else v
        for k, v in variables.items()
    }


def gettext(message: str, **variables: object) -> str:
    text = translations(get_locale()).ugettext(message)
    return text % localized(variables) if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations(get_locale()).ungettext(singular, plural, n)
    variables.setdefault("num", format_number(n))
    return text % localized(variables)


def pgettext(context: str, message: str, **variables: object) -> str:
    text = translations(get_locale()).upgettext(context, message)
    return text % localized(variables) if variables else text


_ = gettext


class LazyString:
    """A message translated when rendered, for module-level constants (choices, reasons)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.message)


def lazy_gettext(message: str) -> LazyString:
    return LazyString(message)


def parse_accept_language(header: str) -> list[str]:
    """Language codes from an Accept-Language header, best first."""
    items: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")[:20]):
        piece = part.strip()
        if not piece:
            continue
        lang, _, params = piece.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        items.append((-q, i, lang.strip().lower().split("-")[0]))
    return [lang for _, _, lang in sorted(items)]


def negotiate(
    *,
    chosen: str | None,
    query: str | None,
    accept_language: str | None,
    default: str,
) -> str:
    """Locale from, in order: explicit choice (cookie/user), `?lang=`, Accept-Language, default."""
    for candidate in (chosen, query):
        if candidate in LOCALES:
            return candidate  # type: ignore[return-value]
    if accept_language:
        for lang in parse_accept_language(accept_language):
            if lang in LOCALES:
                return lang
    return default
