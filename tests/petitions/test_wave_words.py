"""Every rule and reason the wave rules can give is said in words on the review page: a new
reason in ``participation/integrity/waves.py`` without its sentence in ``petitions/views.py``
would show moderators only "another sign of a program"."""

from __future__ import annotations

import re
from pathlib import Path

from participation.integrity import waves
from petitions.views import WAVE_REASONS, WAVE_RULES
from tests.participation.integrity.heldout_signatures import heldout_signatures
from tests.participation.integrity.planted import planted_signatures

SOURCE = Path(waves.__file__).read_text()


def test_every_reason_written_in_the_wave_rules_has_its_sentence() -> None:
    written = set(re.findall(r'reasons\.append\("([^"]+)"\)', SOURCE))
    written |= set(re.findall(r'Wave\("[a-z_]+", \w+, \["([^"]+)"\]\)', SOURCE))
    assert len(written) >= 8, written  # the patterns still find them
    assert written <= set(WAVE_REASONS), written - set(WAVE_REASONS)


def test_every_wave_found_in_planted_sets_is_said_in_words() -> None:
    rules: set[str] = set()
    reasons: set[str] = set()
    for planted in (planted_signatures(days=3, per_day=800, seed=7),
                    heldout_signatures(days=3, per_day=800, seed=8)):  # fmt: skip
        for s in waves.wave_summaries(planted.rows):
            rules.update(r for r in s.rule.split("+") if r)
            reasons.update(s.reasons)
    assert len(rules) >= 4 and reasons
    assert rules <= set(WAVE_RULES), rules - set(WAVE_RULES)
    assert reasons <= set(WAVE_REASONS), reasons - set(WAVE_REASONS)
