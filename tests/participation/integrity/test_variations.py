"""A copy of a letter shown against the letter: its own words marked, what it left out counted."""

from __future__ import annotations

from participation.integrity.variations import variation


def test_a_copy_shows_its_greeting_and_changed_words_as_its_own() -> None:
    rep = "I strongly oppose the plan to widen the avenue. Keep the trees."
    copy = "Dear council, I firmly oppose the plan to widen the avenue. Keep the <b>trees</b>!"
    v = variation(7, rep, copy)
    assert v.comment_id == 7
    own = [t for is_own, t in v.runs if is_own]
    assert own == ["Dear council,", "firmly"]
    assert "".join(t for _, t in v.runs).count("<") == 0  # plain text
    assert v.left_out == 1  # "strongly", replaced
    assert v.own_words == 3


def test_an_exact_copy_has_no_own_words() -> None:
    v = variation(1, "Same words here.", "same words   HERE")
    assert v.own_words == 0 and v.left_out == 0
