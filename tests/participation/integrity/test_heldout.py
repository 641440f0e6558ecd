"""The grouping on the held-out planted set (``heldout_comments``: other letters, drafts,
variations and Arabic, written apart from ``planted.py`` and never tuned on)."""

from __future__ import annotations

import random

from participation.integrity.neardup import group_comments
from tests.participation.integrity.heldout_comments import (
    DRAFT,
    LETTERS,
    REACT,
    heldout_comments,
    heldout_copy,
)
from tests.participation.integrity.planted import score_comments


def test_heldout_campaigns_are_grouped_and_people_are_not() -> None:
    recalled = campaign = wrong = organic = 0.0
    for seed in (31, 32, 33):
        planted = heldout_comments(3000, seed)
        groups = group_comments(r["text"] for r in planted.rows)
        score = score_comments(planted, [[planted.rows[i]["id"] for i in g] for g in groups])
        print(f"seed {seed}: {score.line()}")
        n_campaign = sum(1 for c in planted.campaign.values() if c is not None)
        n_organic = len(planted.rows) - n_campaign
        recalled += score.recall * n_campaign
        campaign += n_campaign
        wrong += score.organic_fp * n_organic
        organic += n_organic
    print(f"all: recall {recalled / campaign:.3f}, organic in groups of 3+ {wrong / organic:.4f}")
    assert recalled / campaign >= 0.95
    assert wrong / organic <= 0.01


def test_draft_sentences_quoted_without_marks_with_short_reactions_are_not_a_campaign() -> None:
    """Each quotes one sentence of the draft, or it and the next, after "The draft says:" or
    the like, and reacts in a word or two."""
    rng = random.Random(5)
    d = DRAFT["en"]
    texts = []
    for _ in range(300):
        i = rng.randrange(len(d))
        q = d[i] + (". " + d[(i + 1) % len(d)] if rng.random() < 0.3 else "")
        intro = rng.choice(["The draft says: ", "Re section 3: ", "", "Article 2: "])
        texts.append(f"{intro}{q}. {rng.choice(REACT['en'])}")
    assert all(len(g) < 3 for g in group_comments(texts))


def test_partial_copies_of_a_short_letter_join_its_group() -> None:
    """Copies keeping two or three of the five sentences of a short Arabic letter."""
    rng = random.Random(8)
    texts = [heldout_copy(LETTERS["ar"][0], "ar", "partial", rng) for _ in range(200)]
    groups = group_comments(texts)
    grouped = sum(len(g) for g in groups)
    assert grouped >= 0.95 * len(texts)
