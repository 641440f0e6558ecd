"""Report statistics on known numbers."""

from __future__ import annotations

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
