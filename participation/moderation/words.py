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
# Persian verb prefixes typed with a space where a half-space belongs ("می خواهم")
_PREFIXES = frozenset({"می", "نمی"})


def _words(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in _WORD.findall(normalise(text)):
        if out and out[-1] in _PREFIXES:
            out[-1] += word
        else:
            out.append(word)
    return tuple(out)


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
