"""The current locale: a context variable set by the locale middleware (or by a job that
renders for one recipient). Everything in ``participation.i18n`` reads it from here."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

LOCALES: tuple[str, ...] = ("en", "fa", "ar", "fr")
RTL_LOCALES = frozenset({"fa", "ar"})

_current: ContextVar[str] = ContextVar("locale", default="en")


def get_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> object:
    return _current.set(locale if locale in LOCALES else "en")


@contextlib.contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = _current.set(locale if locale in LOCALES else "en")
    try:
        yield
    finally:
        _current.reset(token)


def direction(locale: str | None = None) -> str:
    return "rtl" if (locale or get_locale()) in RTL_LOCALES else "ltr"
