"""The current locale and time zone: context variables set by the locale middleware (or by a
job that renders for one recipient). Everything in ``participation.i18n`` reads them from here.

The time zone is the deployment's (``TIME_ZONE``, one for everybody): times are shown in it,
with its name, and times typed into forms are read in it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from zoneinfo import ZoneInfo

LOCALES: tuple[str, ...] = ("en", "fa", "ar", "fr")
RTL_LOCALES = frozenset({"fa", "ar"})

_current: ContextVar[str] = ContextVar("locale", default="en")
UTC_ZONE = ZoneInfo("UTC")
_zone: ContextVar[ZoneInfo] = ContextVar("time_zone", default=UTC_ZONE)


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


def get_time_zone() -> ZoneInfo:
    return _zone.get()


def set_time_zone(zone: ZoneInfo) -> object:
    return _zone.set(zone)


def reset_time_zone(token: object) -> None:
    _zone.reset(token)  # type: ignore[arg-type]


@contextlib.contextmanager
def use_time_zone(zone: ZoneInfo | str) -> Iterator[None]:
    token = _zone.set(zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone))
    try:
        yield
    finally:
        _zone.reset(token)
