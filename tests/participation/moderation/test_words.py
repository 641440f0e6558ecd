"""The deployment's word list matches words however they are typed (case, accents, Arabic and
Persian letter variants, half-spaces, digits), whole words only, phrases in order."""

from __future__ import annotations

import pytest

from participation.moderation.words import matches
from participation.settings import Settings

WORDS = Settings.from_env(
    {"MODERATION_WORDS": "scam, fake news\nکلاهبرداری, مي خواهم"}
).moderation_words


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("A SCAM, plainly", True),
        ("Scampi and chips", False),
        ("fake   News!", True),
        ("news that is fake", False),
        ("این یک كلاهبرداري است", True),  # Arabic kaf and yeh typed on an Arabic keyboard
        ("من می‌خواهم بدانم", True),  # a half-space where the list has a space
        ("", False),
    ],
)
def test_words_are_matched_as_people_type_them(text: str, held: bool) -> None:
    assert matches(text, WORDS) is held


def test_no_list_holds_nothing() -> None:
    assert WORDS == ("scam", "fake news", "کلاهبرداری", "مي خواهم")
    assert not matches("scam", ())
