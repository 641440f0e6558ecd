"""Report statistics on known numbers."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from participation.reports import stats


def test_wilson_ranks_many_votes_above_few_perfect_ones() -> None:
    assert stats.wilson_lower_bound(90, 10) > stats.wilson_lower_bound(3, 0)
    assert stats.wilson_lower_bound(0, 0) == 0.0
    assert round(stats.wilson_lower_bound(1, 0), 4) == 0.2065


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_wilson_lies_below_the_observed_share(up: int, down: int) -> None:
    low = stats.wilson_lower_bound(up, down)
    assert 0.0 <= low <= (up / (up + down) if up + down else 0.0) + 1e-12


def test_controversy_wants_both_volume_and_balance() -> None:
    assert stats.controversy(50, 50) > stats.controversy(5, 5)
    assert stats.controversy(50, 50) > stats.controversy(90, 10)
    assert stats.controversy(100, 0) == 0.0


def test_mean_median_percent() -> None:
    assert stats.mean([1, 2, 4]) == 2.33
    assert stats.median([5, 1, 3]) == 3.0
    assert stats.median([1, 2, 3, 4]) == 2.5
    assert stats.median([]) is None and stats.mean([]) is None
    assert stats.percent(1, 3) == 33.3 and stats.percent(1, 0) == 0.0


def test_the_array_forms_equal_the_scores_one_by_one() -> None:
    rng = np.random.default_rng(3)
    up, down = rng.integers(0, 60, 5000), rng.integers(0, 60, 5000)
    up[:50] = 0
    down[50:100] = 0
    many_w = stats.wilson_lower_bounds(up, down)
    many_c = stats.controversies(up, down)
    for i in range(len(up)):
        assert math.isclose(many_w[i], stats.wilson_lower_bound(int(up[i]), int(down[i])),
                            abs_tol=1e-12)  # fmt: skip
        assert math.isclose(many_c[i], stats.controversy(int(up[i]), int(down[i])), abs_tol=1e-9)


def test_near_top_holds_the_exact_top_under_rounding_and_ties() -> None:
    """The report ranks comments by rounded scores with ties broken by votes and id; the
    candidates ``near_top`` keeps always hold that exact top ten (many ties included)."""
    rng = np.random.default_rng(4)
    for _ in range(20):
        up, down = rng.integers(0, 12, 3000), rng.integers(0, 12, 3000)
        score = stats.wilson_lower_bounds(up, down)
        keep = up > 0
        ids = np.arange(len(up))

        def key(j: int, up: np.ndarray = up, down: np.ndarray = down) -> tuple[float, int, int]:
            return (-round(stats.wilson_lower_bound(int(up[j]), int(down[j])), 4), -int(up[j]), j)

        exact = sorted((int(j) for j in ids[keep]), key=key)[:10]
        near = sorted((int(j) for j in stats.near_top(score, keep, 10)), key=key)[:10]
        assert near == exact
