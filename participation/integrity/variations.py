"""How a copy of a form letter differs from the group's representative, word by word, for the
moderators' queue: the copy's words, each run marked as the letter's or the copy's own (added
or changed), and how many of the letter's words it left out. Plain text in, plain text out."""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass

from participation.sanitize import plain_text

MAX_WORDS = 120


@dataclass(frozen=True, slots=True)
class Variation:
    comment_id: int
    runs: tuple[tuple[bool, str], ...]  # (its own words?, text), in order
    left_out: int  # words of the representative the copy does not have

    @property
    def own_words(self) -> int:
        return sum(len(t.split()) for own, t in self.runs if own)


def _words(text: str) -> list[str]:
    return " ".join(html.unescape(plain_text(text)).split()).split(" ")[:MAX_WORDS]


def variation(comment_id: int, representative: str, copy: str) -> Variation:
    rep, words = _words(representative), _words(copy)
    key = [w.casefold().strip(".,;:!?«»\"'()") for w in words]
    matcher = difflib.SequenceMatcher(
        a=[w.casefold().strip(".,;:!?«»\"'()") for w in rep], b=key, autojunk=False
    )
    runs: list[tuple[bool, str]] = []
    left_out = 0
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            left_out += a1 - a0
        if b1 > b0:
            own = op != "equal"
            text = " ".join(words[b0:b1])
            if runs and runs[-1][0] == own:
                runs[-1] = (own, runs[-1][1] + " " + text)
            else:
                runs.append((own, text))
    return Variation(comment_id, tuple(runs), left_out)
