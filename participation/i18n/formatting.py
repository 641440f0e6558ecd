"""Numbers, dates and plurals for every locale, in one place.

fa shows Persian digits and Solar Hijri dates; ar shows Arabic-Indic digits. Templates and
services call these helpers instead of formatting with f-strings. Dates and times are those of
the deployment's time zone (``get_time_zone()``), and a time is shown with the zone's name.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache

import jdatetime
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import get_timezone_name
from babel.numbers import format_decimal

from participation.i18n.context import get_locale, get_time_zone

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_DIGIT_MAPS = {"fa": PERSIAN_DIGITS, "ar": ARABIC_DIGITS}
# The separators that go with those digits (٬ and ٫): babel's default for ar is Latin.
_NUMBERING = {"fa": "arabext", "ar": "arab"}
# Any digit a user may type, mapped back to ASCII (for parsing form input).
TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

PERSIAN_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip


def localize_digits(text: str, locale: str | None = None) -> str:
    table = _DIGIT_MAPS.get(locale or get_locale())
    return text.translate(table) if table else text


def ascii_digits(text: str) -> str:
    return text.translate(TO_ASCII)


def format_number(value: int | float, locale: str | None = None) -> str:
    loc = locale or get_locale()
    if type(value) is int:
        if 0 <= value < 1000:  # no separator, no sign: only the digits change
            table = _DIGIT_MAPS.get(loc)
            return str(value).translate(table) if table else str(value)
        return _format_int(value, loc)
    text = format_decimal(value, locale=loc, numbering_system=_NUMBERING.get(loc, "default"))
    return localize_digits(text, loc)


@lru_cache(maxsize=16384)
def _format_int(value: int, loc: str) -> str:
    # babel's format_decimal costs ~30 µs; a page of comments shows a hundred counts
    text = format_decimal(value, locale=loc, numbering_system=_NUMBERING.get(loc, "default"))
    return localize_digits(text, loc)


def format_percent(value: float, locale: str | None = None) -> str:
    loc = locale or get_locale()
    numbering = _NUMBERING.get(loc, "default")
    text = format_decimal(round(value * 100, 1), locale=loc, numbering_system=numbering)
    return localize_digits(f"{text}٪" if loc in _NUMBERING else f"{text}%", loc)


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local(value: datetime) -> datetime:
    """The moment in the deployment's time zone (a naive value is UTC, as stored)."""
    return _as_utc(value).astimezone(get_time_zone())


def format_date(value: date | datetime | None, locale: str | None = None) -> str:
    if value is None:
        return ""
    loc = locale or get_locale()
    day = local(value).date() if isinstance(value, datetime) else value
    if loc == "fa":
        j = jdatetime.date.fromgregorian(date=day)
        return localize_digits(f"{j.day} {PERSIAN_MONTHS[j.month - 1]} {j.year}", loc)
    return localize_digits(babel_format_date(day, format="long", locale=loc), loc)


def format_datetime(value: datetime | str | None, locale: str | None = None) -> str:
    """Date and time in the deployment's zone, the zone named: "21 March 2026, 12:30:00
    (Iran Standard Time)". An ISO string (as a job's JSON carries it) is read first."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if value else None
    if value is None:
        return ""
    loc = locale or get_locale()
    moment = local(value)
    if loc == "fa":
        text = f"{format_date(moment, loc)}، {localize_digits(moment.strftime('%H:%M'), loc)}"
    else:
        text = babel_format_datetime(moment, format="medium", locale=loc, tzinfo=moment.tzinfo)
    return localize_digits(f"{text} ({zone_name(moment, loc)})", loc)


def zone_name(moment: datetime | None = None, locale: str | None = None) -> str:
    """The deployment's time zone as the reader calls it ("Iran Standard Time", "وقت عادی
    ایران"), at ``moment`` (summer and winter names differ), else now."""
    loc = locale or get_locale()
    at = local(moment) if moment is not None else datetime.now(get_time_zone())
    assert at.tzinfo is not None
    return _zone_name(at.tzinfo, loc, at.year, bool(at.dst()))


@lru_cache(maxsize=256)
def _zone_name(zone: tzinfo, loc: str, year: int, dst: bool) -> str:
    # babel's lookup costs ~50 µs and a page may show fifty times: one per zone, year, season
    samples = [datetime(year, month, 15, 12, tzinfo=zone) for month in (1, 7)]
    sample = next((s for s in samples if bool(s.dst()) == dst), samples[0])
    return get_timezone_name(sample, locale=loc)


def local_input(value: datetime | None) -> str:
    """A moment as an <input type=datetime-local> value in the deployment's zone (ASCII
    digits: the browser's format), the inverse of ``participation.forms.DateTime``."""
    return local(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def iso(value: datetime | None) -> str:
    return _as_utc(value).isoformat() if value else ""
