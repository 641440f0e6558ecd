"""The near-duplicate index as rows: what ``neardup.CommentIndex`` keeps in memory, in the
shape the database keeps it (``participation.integrity.models``). Pure functions, no I/O.

``prepare`` gives what placing one new comment needs (its fingerprint, the hash of its
compared words, its LSH band keys as signed 64-bit integers); ``stored`` turns stored bytes
back into a fingerprint; ``best_cluster`` is ``neardup.best_match``; ``build`` is the full
rebuild of a space (the bulk grouping) as rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from participation.integrity import neardup
from participation.integrity.neardup import Fingerprint


@dataclass(frozen=True, slots=True)
class Prepared:
    fp: Fingerprint
    exact: int  # signed 64-bit hash of the compared words
    keys: tuple[int, ...]  # LSH band keys (signed 64-bit); empty when not informative

    @property
    def tokens(self) -> bytes:
        return self.fp.tokens.astype("<u4").tobytes()

    @property
    def content(self) -> bytes:
        return self.fp.content.astype("<u4").tobytes()


def exact_of(fp: Fingerprint) -> int:
    digest = hashlib.blake2b(fp.tokens.astype("<u4").tobytes(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _signed(keys: np.ndarray) -> tuple[int, ...]:
    return tuple(int(k) for k in keys.astype(np.uint64).view(np.int64).tolist())


def prepare(text: str, memo: dict[str, int], common: Iterable[int] = ()) -> Prepared:
    fp = neardup.fingerprint(text, memo, common)
    if not fp.informative:
        return Prepared(fp, exact_of(fp), ())
    keys = neardup.band_keys(neardup.signatures([neardup.lsh_items(fp)]))[0]
    return Prepared(fp, exact_of(fp), _signed(keys))


def stored(tokens: bytes, content: bytes) -> Fingerprint:
    return Fingerprint.of(
        np.frombuffer(tokens, dtype="<u4").astype(np.uint32),
        np.frombuffer(content, dtype="<u4").astype(np.uint32),
    )


def best_cluster(fp: Fingerprint, representatives: Mapping[int, Fingerprint],
                 order: Iterable[int]) -> int:  # fmt: skip
    """The cluster (of ``order``, tried in that order) whose representative ``fp`` verifies
    against best; -1 when none does."""
    return neardup.best_match(fp, ((c, representatives[c]) for c in order if c in representatives))


@dataclass(frozen=True, slots=True)
class BuiltComment:
    comment_id: int
    cluster: int  # index into ``Built.representatives``; -1: too short to compare
    informative: bool
    exact: int
    tokens: bytes
    content: bytes


@dataclass(frozen=True, slots=True)
class Built:
    comments: list[BuiltComment]
    representatives: list[int]  # comment id of each cluster's representative
    bands: dict[int, int]  # band key or exact hash -> cluster (the first to claim it)
    common: list[int]  # sentence keys left out of every fingerprint


def build(rows: Iterable[tuple[int, str]], known: Iterable[int] = ()) -> Built:
    """The bulk grouping of a space as rows, as ``CommentIndex.build`` makes it in memory:
    every informative comment in a cluster (its group's, or one of its own)."""
    ids: list[int] = []
    memo: dict[str, int] = {}

    def texts() -> Iterable[str]:
        for cid, text in rows:
            ids.append(cid)
            yield text

    corpus = neardup.parse_corpus(texts(), memo)
    common, fps, grouping = neardup.group_corpus(corpus, known)
    del corpus
    informative = np.flatnonzero(fps.informative)
    keys = neardup.band_keys(neardup.signatures([neardup.lsh_items(fps[int(p)])
                                                 for p in informative]))  # fmt: skip
    cluster_of: dict[int, int] = {}  # position -> cluster
    by_group: dict[int, int] = {}
    representatives: list[int] = []
    bands: dict[int, int] = {}
    for row, pos in enumerate(informative.tolist()):
        g = int(grouping.group_of[pos])
        if g >= 0 and g in by_group:
            c = by_group[g]
        else:
            rep = grouping.representative[g] if g >= 0 else pos
            c = len(representatives)
            representatives.append(ids[rep])
            if g >= 0:
                by_group[g] = c
        cluster_of[pos] = c
        bands.setdefault(exact_of(fps[pos]), c)  # exact copies find their cluster too
        for k in _signed(keys[row]):
            bands.setdefault(k, c)
    out = []
    for pos, cid in enumerate(ids):
        fp = fps[pos]
        c = cluster_of.get(pos, -1)
        out.append(BuiltComment(
            cid, c, bool(fp.informative), exact_of(fp),
            fp.tokens.astype("<u4").tobytes() if fp.informative else b"",
            fp.content.astype("<u4").tobytes() if fp.informative else b"",
        ))  # fmt: skip
    return Built(out, representatives, bands, sorted(int(k) for k in common))
