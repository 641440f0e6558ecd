"""Near-duplicate groups of comments: planted campaigns are found, people are not grouped."""

from __future__ import annotations

import random

import numpy as np
from datasketch import MinHash
from hypothesis import given
from hypothesis import strategies as st

from participation.integrity import neardup
from participation.integrity.neardup import CommentIndex, group_comments
from tests.participation.integrity.planted import (
    CAMPAIGN_STYLES,
    LETTERS,
    campaign_copy,
    organic_sentence,
    planted_comments,
    score_comments,
)


def test_planted_campaigns_are_grouped_and_people_are_not() -> None:
    """Every campaign style in en/fa/fr; organic comments quoting the draft and each other.
    Three planted sets (other seeds, styles and shares), scored together."""
    recalled = campaign = wrong = organic = 0.0
    for seed, styles, share in (
        (101, None, 0.3),
        (202, ("spun", "partial", "typos", "keyboard"), 0.25),
        (303, ("decorated", "template", "truncated", "exact", "mixed"), 0.35),
    ):
        planted = planted_comments(1500, seed, campaign_share=share, styles=styles)
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


def test_short_common_phrases_written_by_many_are_not_a_campaign() -> None:
    phrases = ["I agree.", "Who will pay for this?", "موافقم", "Je suis d'accord.",
               "I agree with this proposal completely.", "چه کسی هزینه این را می‌پردازد؟"]  # fmt: skip
    texts = [phrases[i % len(phrases)] for i in range(300)]
    assert group_comments(texts) == []


def test_quoting_the_draft_is_not_a_campaign() -> None:
    """The same sentence of the draft quoted by many, each with a reaction of their own."""
    rng = random.Random(2)
    quote = "The council will widen Riverside Avenue and remove the old oak trees along it"
    reactions = ["I agree.", "No way!", "Who pays?", "Good.", "Terrible idea.", "Why?"]
    texts = [f'"{quote}" {r}' for r in reactions * 10]
    texts += [f"« {quote} » {r}" for r in reactions * 5]
    texts += [f"{quote}. {organic_sentence('en', rng)} {organic_sentence('en', rng)}"
              for _ in range(30)]  # fmt: skip
    assert all(len(g) < 3 for g in group_comments(texts))


def test_groups_never_chain_unrelated_texts() -> None:
    """A chain where each text shares half of its words with the next: no group spans it."""
    rng = random.Random(4)
    vocab = [f"word{i}" for i in range(2000)]
    chain = [rng.sample(vocab, 30)]
    for _ in range(40):
        keep = chain[-1][15:]
        chain.append(keep + rng.sample(vocab, 15))
    groups = group_comments(" ".join(c) for c in chain)
    assert all(max(g) - min(g) <= 2 for g in groups)


def test_copies_on_other_sections_and_stances_stay_one_group() -> None:
    rng = random.Random(7)
    letter = LETTERS["fr"][0]
    copies = [campaign_copy(letter, "fr", "decorated", rng) for _ in range(20)]
    assert group_comments(copies) == [list(range(20))]


def test_incremental_index_grows_a_group_as_copies_arrive() -> None:
    rng = random.Random(3)
    planted = planted_comments(400, 5, campaign_share=0.0)
    index = CommentIndex.build((r["id"], r["text"]) for r in planted.rows)
    sizes = []
    for i in range(12):
        text = campaign_copy(LETTERS["fa"][1], "fa", "mixed", rng)
        sizes.append(index.add(f"new{i}", text).size)
    assert sizes[0] == 1 and sizes[-1] >= 10
    assert max(len(set(g) & {f"new{i}" for i in range(12)}) for g in index.groups()) >= 10


def test_rebuild_gives_the_bulk_grouping() -> None:
    planted = planted_comments(600, 9)
    rows = [(r["id"], r["text"]) for r in planted.rows]
    bulk = group_comments(t for _, t in rows)
    index = CommentIndex.build(rows)
    assert sorted(map(sorted, index.groups())) == sorted(
        sorted(rows[i][0] for i in g) for g in bulk
    )


def test_signatures_are_datasketch_minhash() -> None:
    items = [np.array([1, 2, 3, 99, 12345], dtype=np.uint32), np.array([], dtype=np.uint32),
             np.arange(500, dtype=np.uint32)]  # fmt: skip
    sig = neardup.signatures(items)
    for row, values in zip(sig, items, strict=True):
        m = MinHash(num_perm=neardup.NUM_PERM, seed=neardup.SEED, scheme="affine32",
                    hashfunc=int)  # fmt: skip
        m.update_batch(values.tolist())
        assert row.tolist() == m.hashvalues.tolist()


@given(st.lists(st.integers(0, 5), max_size=40), st.lists(st.integers(0, 5), max_size=40))
def test_lcs_length_is_the_longest_common_subsequence(a: list[int], b: list[int]) -> None:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
            )
    assert neardup.lcs_length(a, b) == table[-1][-1]


def test_every_style_exists() -> None:
    assert set(CAMPAIGN_STYLES) >= {"spun", "partial", "typos", "truncated", "keyboard"}
