"""Opinion groups on a planted two-camp vote matrix with known answers."""

from __future__ import annotations

import random

from participation.reports.opinions import opinion_groups

CAMP_A = range(0, 5)  # comments camp A agrees with and camp B rejects
CAMP_B = range(5, 10)  # the other way round
SHARED = (10, 11)  # both camps agree
COMMENTS = list(range(100, 112))


def _planted(noise: float = 0.05, per_camp: int = 20) -> list[tuple[int, int, int]]:
    rng = random.Random(7)
    votes = []
    for person in range(2 * per_camp):
        camp_a = person < per_camp
        for j, cid in enumerate(COMMENTS):
            if rng.random() < 0.15 and j not in SHARED:
                continue  # not everyone votes on everything
            if j in SHARED:
                v = 1
            else:
                v = 1 if (j in CAMP_A) == camp_a else -1
            if rng.random() < noise:
                v = -v
            votes.append((1000 + person, cid, v))
    # someone who voted too little to be placed
    votes.append((9999, COMMENTS[0], 1))
    return votes


def test_two_camps_are_found_with_their_comments_and_the_consensus() -> None:
    result = opinion_groups(_planted(), COMMENTS)
    assert result is not None
    assert result["participants"] == 40 and result["min_votes"] == 7
    assert [g["size"] for g in result["groups"]] == [20, 20]
    sets = [{c["id"] for c in g["comments"]} for g in result["groups"]]
    camp_a = {COMMENTS[j] for j in CAMP_A}
    camp_b = {COMMENTS[j] for j in CAMP_B}
    assert {frozenset(sets[0]), frozenset(sets[1])} == {frozenset(camp_a), frozenset(camp_b)}
    assert {c["id"] for c in result["consensus"]} == {COMMENTS[j] for j in SHARED}
    assert len(result["points"]) == 40 and result["silhouette"] > 0.5


def test_the_same_votes_give_the_same_groups() -> None:
    assert opinion_groups(_planted(), COMMENTS) == opinion_groups(_planted(), COMMENTS)


def test_too_few_voters_give_no_groups() -> None:
    votes = [(u, c, 1) for u in range(3) for c in COMMENTS]
    assert opinion_groups(votes, COMMENTS) is None
    assert opinion_groups([], []) is None
