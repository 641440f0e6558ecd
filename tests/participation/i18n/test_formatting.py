"""Numbers, dates and plurals as a Persian, Arabic, French or English reader expects them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from participation.i18n import ngettext, use_locale
from participation.i18n.formatting import (
    ascii_digits,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    localize_digits,
)


def test_persian_numbers_use_persian_digits_and_separators() -> None:
    assert format_number(1234567, "fa") == "۱٬۲۳۴٬۵۶۷"


def test_arabic_numbers_use_arabic_indic_digits() -> None:
    text = format_number(1234567, "ar")
    assert set(text) <= set("٠١٢٣٤٥٦٧٨٩٬,.")
    assert text.startswith("١")


def test_arabic_numbers_use_arabic_separators_not_latin_ones() -> None:
    assert format_number(1234567, "ar") == "١٬٢٣٤٬٥٦٧"
    assert format_number(3.75, "ar") == "٣٫٧٥"
    assert format_percent(0.125, "ar") == "١٢٫٥٪"
    assert format_percent(0.125, "fa") == "۱۲٫۵٪"


def test_english_and_french_numbers() -> None:
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(1234567, "fr").replace("\u202f", " ") == "1 234 567"


def test_persian_dates_are_solar_hijri() -> None:
    # 21 March 2026 is 1 Farvardin 1405 (Nowruz)
    assert format_date(date(2026, 3, 21), "fa") == "۱ فروردین ۱۴۰۵"
    assert format_date(datetime(2026, 11, 25, 12, 0, tzinfo=UTC), "fa") == "۴ آذر ۱۴۰۵"


def test_other_locales_use_gregorian_long_dates() -> None:
    assert format_date(date(2026, 3, 21), "en") == "March 21, 2026"
    assert format_date(date(2026, 3, 21), "fr") == "21 mars 2026"
    assert "٢٠٢٦" in format_date(date(2026, 3, 21), "ar")


def test_datetime_in_persian_has_persian_time_digits() -> None:
    text = format_datetime(datetime(2026, 3, 21, 9, 30, tzinfo=UTC), "fa")
    assert "۰۹:۳۰" in text and "فروردین" in text


def test_digits_typed_in_any_script_parse_back() -> None:
    assert ascii_digits("۱۲۳٤٥٦") == "123456"
    assert localize_digits("2026", "fa") == "۲۰۲۶"
    assert localize_digits("2026", "en") == "2026"


def test_plural_forms_follow_cldr() -> None:
    with use_locale("en"):
        assert ngettext("%(num)s comment", "%(num)s comments", 1) == "1 comment"
        assert ngettext("%(num)s comment", "%(num)s comments", 3) == "3 comments"
    with use_locale("fa"):
        assert "۳" in ngettext("%(num)s comment", "%(num)s comments", 3)
