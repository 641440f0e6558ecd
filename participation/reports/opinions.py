"""Opinion groups as Polis finds them, from the participant x comment vote matrix.

Participants with at least ``min(7, number of comments)`` votes are kept; their rows (agree 1,
disagree -1, not voted 0) are centred and projected on the two principal components;
k-means with k from 2 to 5 is run on the projection and the k with the best mean silhouette
wins. Per group: its size and the comments that set it apart (agreed within far more than
outside); consensus comments are agreed by a majority of every group. Deterministic: a fixed
seed, so a report built twice says the same. numpy only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

MIN_VOTES = 7
MIN_PARTICIPANTS = 4
K_RANGE = range(2, 6)
RESTARTS = 8
DISTINGUISHING = 5
CONSENSUS_SHARE = 0.6
MAX_COMMENTS = 300  # the most voted comments: the matrix stays small however many there are
SILHOUETTE_SAMPLE = 1500  # silhouette on a seeded sample: its cost grows with the square


def _sqdist(x: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Squared distances of each point to each centre, ``(n, k)``, a coordinate at a time
    (a sum over a last axis of two is slow in NumPy)."""
    out = np.zeros((len(x), len(c)))
    for dim in range(x.shape[1]):
        diff = x[:, dim, None] - c[None, :, dim]
        out += diff * diff
    return out


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Labels and inertia of the best of ``RESTARTS`` k-means++ runs."""
    best: tuple[np.ndarray, float] | None = None
    for _ in range(RESTARTS):
        centres = [x[rng.integers(len(x))]]
        for _c in range(1, k):
            d = _sqdist(x, np.array(centres)).min(1)
            total = d.sum()
            idx = rng.choice(len(x), p=d / total) if total > 0 else rng.integers(len(x))
            centres.append(x[idx])
        c = np.array(centres, dtype=float)
        labels = np.zeros(len(x), dtype=int)
        for _it in range(100):
            new = _sqdist(x, c).argmin(1)
            if _it and np.array_equal(new, labels):
                break
            labels = new
            # each centre moves to the mean of its points (one that lost them all stays)
            sizes = np.bincount(labels, minlength=k)
            for dim in range(x.shape[1]):
                sums = np.bincount(labels, weights=x[:, dim], minlength=k)
                c[:, dim] = np.where(sizes > 0, sums / np.maximum(sizes, 1), c[:, dim])
        inertia = float(((x - c[labels]) ** 2).sum())
        if best is None or inertia < best[1]:
            best = (labels, inertia)
    assert best is not None
    return best


def silhouette(x: np.ndarray, labels: np.ndarray, rng: np.random.Generator | None = None) -> float:
    """Mean silhouette coefficient (-1 when fewer than two non-empty groups)."""
    if rng is not None and len(x) > SILHOUETTE_SAMPLE:
        keep = rng.choice(len(x), SILHOUETTE_SAMPLE, replace=False)
        x, labels = x[keep], labels[keep]
    groups = np.unique(labels)
    if len(groups) < 2:
        return -1.0
    d = np.sqrt(_sqdist(x, x))
    own = np.searchsorted(groups, labels)
    onehot = np.zeros((len(x), len(groups)))
    onehot[np.arange(len(x)), own] = 1.0
    sizes = onehot.sum(0)
    mean_to = (d @ onehot) / sizes  # each point's mean distance to each group's points
    rows = np.arange(len(x))
    n_own = sizes[own]
    a = mean_to[rows, own] * n_own / np.maximum(n_own - 1, 1)  # itself left out
    others = mean_to.copy()
    others[rows, own] = np.inf
    b = others.min(1)
    top = np.maximum(a, b)
    scores = np.where((n_own > 1) & (top > 0), (b - a) / np.where(top > 0, top, 1), 0.0)
    return float(scores.mean())


def opinion_groups(
    votes: Iterable[tuple[int, int, int]] | np.ndarray,
    comment_ids: Sequence[int],
    *,
    seed: int = 0,
) -> dict[str, Any] | None:
    """``votes`` are ``(participant, comment, value)`` (tuples, or an ``(n, 3)`` integer
    array: a million votes are read with NumPy, not one by one); ``comment_ids`` the comments
    that count. None when too few people voted enough to tell groups apart."""
    arr = votes if isinstance(votes, np.ndarray) else np.array(list(votes), dtype=np.int64)
    arr = arr.reshape(-1, 3).astype(np.int64, copy=False)
    wanted = np.unique(np.asarray(list(map(int, comment_ids)), dtype=np.int64))
    arr = arr[np.isin(arr[:, 1], wanted)]
    cids, counts = np.unique(arr[:, 1], return_counts=True)
    top = np.sort(cids[np.lexsort((cids, -counts))[:MAX_COMMENTS]])  # the most voted
    if len(top) < 2:
        return None
    comment_ids = top.tolist()
    sel = arr[np.isin(arr[:, 1], top) & (arr[:, 2] != 0)]
    users, inverse = np.unique(sel[:, 0], return_inverse=True)
    column = np.searchsorted(top, sel[:, 1])
    # distinct comments each person voted on (a repeated vote counts once, as the last one)
    pairs = np.unique(inverse * len(top) + column)
    per_user = np.bincount(pairs // len(top), minlength=len(users))
    need = min(MIN_VOTES, len(wanted))
    keep = per_user >= need
    if int(keep.sum()) < MIN_PARTICIPANTS:
        return None
    row_of = np.full(len(users), -1)
    row_of[keep] = np.arange(int(keep.sum()))
    rows = row_of[inverse]
    mask = rows >= 0
    m = np.zeros((int(keep.sum()), len(top)), dtype=np.int8)  # 1, -1, 0: a byte each
    m[rows[mask], column[mask]] = np.sign(sel[mask, 2])
    people = users[keep]
    centred = m - m.mean(0, dtype=float)
    # the two principal components: the top eigenvectors of the comments' covariance (a
    # small comments x comments matrix; an SVD of the whole matrix costs seconds at 20,000
    # people), each signed so that its largest entry is positive (the same picture each time)
    _w, vecs = np.linalg.eigh(centred.T @ centred)
    axes = vecs[:, ::-1][:, :2].T
    axes = (
        axes * np.where(axes[np.arange(len(axes)), np.abs(axes).argmax(1)] < 0, -1.0, 1.0)[:, None]
    )
    proj = centred @ axes.T
    if proj.shape[1] < 2:
        proj = np.hstack([proj, np.zeros((len(proj), 2 - proj.shape[1]))])
    rng = np.random.default_rng(seed)
    best: tuple[float, np.ndarray] | None = None
    for k in K_RANGE:
        if k >= len(people):
            break
        labels, _inertia = _kmeans(proj, k, rng)
        score = silhouette(proj, labels, rng)
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    if best is None:
        return None
    score, labels = best
    # number groups by size, largest first
    order = sorted(np.unique(labels), key=lambda g: (-int((labels == g).sum()), int(g)))
    renum = {int(g): n for n, g in enumerate(order)}
    labels = np.array([renum[int(g)] for g in labels])
    agree = m > 0
    seen = m != 0

    def share(mask: np.ndarray) -> np.ndarray:  # smoothed share of agreement per comment
        return (agree[mask].sum(0) + 1) / (seen[mask].sum(0) + 2)

    groups = []
    shares = []
    for g in range(len(order)):
        inside = labels == g
        p_in, p_out = share(inside), share(~inside)
        shares.append(p_in)
        gap = p_in - p_out
        picked = [j for j in np.argsort(-gap, kind="stable") if gap[j] > 0.2 and p_in[j] > 0.5]
        groups.append({
            "size": int(inside.sum()),
            "comments": [
                {"id": int(comment_ids[j]), "agree_in": round(float(p_in[j]), 3),
                 "agree_out": round(float(p_out[j]), 3)}
                for j in picked[:DISTINGUISHING]
            ],
        })  # fmt: skip
    low = np.min(np.array(shares), axis=0)
    consensus = [
        {"id": int(comment_ids[j]), "agree_min": round(float(low[j]), 3)}
        for j in np.argsort(-low, kind="stable")
        if low[j] >= CONSENSUS_SHARE
    ]
    return {
        "participants": len(people),
        "min_votes": need,
        "silhouette": round(score, 3),
        "groups": groups,
        "consensus": consensus[:DISTINGUISHING * 2],
        "points": [[round(float(x), 3), round(float(y), 3), int(g)]
                   for (x, y), g in zip(proj[:, :2], labels, strict=True)],
    }  # fmt: skip
