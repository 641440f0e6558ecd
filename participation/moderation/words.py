"""The deployment's word list (``MODERATION_WORDS``): a comment that contains one of its words
or phrases waits for a moderator's approval instead of being published (never refused: a
person quoting a word is not silenced, a moderator decides).

Words are compared as the integrity checks compare texts (``participation.integrity.text``):
case, accents, Arabic and Persian letter variants, half-spaces and digits do not matter; a
phrase matches its words in order; a word matches whole words only ("ass" is not in "class").
"""

from __future__ import annotations

import re

from participation.integrity.text import normalise

_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalise(text)))


def _patterns(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(p for p in (_words(w) for w in words) if p)


def matches(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` contains one of ``words`` (the setting's words and phrases)."""
    patterns = _patterns(words)
    if not patterns:
        return False
    tokens = _words(text)
    singles = {p[0] for p in patterns if len(p) == 1}
    if singles.intersection(tokens):
        return True
    for p in patterns:
        n = len(p)
        if n > 1 and any(tokens[i : i + n] == p for i in range(len(tokens) - n + 1)):
            return True
    return False
