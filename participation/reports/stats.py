"""Small statistics of reports: plain functions of numbers, the same on every database."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

Z95 = 1.959963984540054


def wilson_lower_bound(up: int, down: int, z: float = Z95) -> float:
    """Lower bound of the Wilson score interval of the share of up votes (0 with no votes):
    ranks 90 of 100 above 3 of 3."""
    n = up + down
    if n <= 0:
        return 0.0
    p = up / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt((p * (1 - p) + z * z / (4 * n)) / n)
    return (centre - spread) / (1 + z * z / n)


def controversy(up: int, down: int) -> float:
    """Many votes, evenly split: (up + down) ** balance, balance = min/max (0 when one-sided)."""
    if up <= 0 or down <= 0:
        return 0.0
    balance = min(up, down) / max(up, down)
    return float((up + down) ** balance)


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def median(values: Iterable[float]) -> float | None:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return None
    mid = n // 2
    return float(ordered[mid]) if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def wilson_lower_bounds(up: np.ndarray, down: np.ndarray, z: float = Z95) -> np.ndarray:
    """``wilson_lower_bound`` of many (up, down) pairs at once (equal to it but for the last
    bits of a float)."""
    n = (up + down).astype(float)
    safe = np.where(n > 0, n, 1.0)
    p = up / safe
    centre = p + z * z / (2 * safe)
    spread = z * np.sqrt((p * (1 - p) + z * z / (4 * safe)) / safe)
    return np.where(n > 0, (centre - spread) / (1 + z * z / safe), 0.0)


def controversies(up: np.ndarray, down: np.ndarray) -> np.ndarray:
    """``controversy`` of many (up, down) pairs at once."""
    both = (up > 0) & (down > 0)
    high = np.maximum(np.maximum(up, down), 1)
    balance = np.minimum(up, down) / high
    return np.where(both, (up + down).astype(float) ** balance, 0.0)


def near_top(score: np.ndarray, keep: np.ndarray, k: int, margin: float = 2e-4) -> np.ndarray:
    """Indices of the kept items whose score is within ``margin`` of the k-th best kept one:
    a superset of the top k under any tie-break and any rounding finer than ``margin``."""
    kept = np.flatnonzero(keep)
    if len(kept) <= k:
        return kept
    kth = np.partition(score[kept], len(kept) - k)[len(kept) - k]
    return kept[score[kept] >= kth - margin]
