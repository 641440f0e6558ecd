"""One letter typed on different keyboards and habits gives the same words."""

from __future__ import annotations

from participation.integrity.text import normalise, words


def test_persian_keyboards_half_spaces_and_digits_give_the_same_words() -> None:
    persian = "من می‌خواهم کتاب‌ها را در ۱۴۰۲ بخوانم"
    arabic_keyboard = "من مي خواهم كتاب ها را در ١٤٠٢ بخوانم"
    no_half_space = "من میخواهم کتابها را در 1402 بخوانم"
    assert words(persian).words == words(arabic_keyboard).words == words(no_half_space).words


def test_arabic_letter_variants_and_harakat() -> None:
    assert normalise("مدرسة") == normalise("مدرسه")
    assert normalise("أَنَا إِلَى") == normalise("انا الی")
    assert normalise("ـــسلام") == normalise("سلام")


def test_french_without_accents_and_case() -> None:
    assert words("Élève DÉÇU, très œuvre").words == words("eleve decu tres oeuvre").words


def test_quotations_are_marked() -> None:
    w = words(
        'The draft says « build the road » and "tax more". I disagree.\n> a quoted line\nMine'
    )
    quoted = [t for t, q in zip(w.words, w.quoted, strict=True) if q]
    assert quoted == ["build", "the", "road", "tax", "more", "a", "quoted", "line"]
    assert w.own() == ["the", "draft", "says", "and", "i", "disagree", "mine"]


def test_an_unmatched_quotation_mark_quotes_nothing() -> None:
    assert not any(words('He said "no and left').quoted)
