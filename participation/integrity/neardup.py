"""Near-duplicate groups of comments: form letters sent many times, however they were varied.

**What is compared.** A comment's own words (``text.words``; words in quotation marks or on
``>`` lines are left out when the comment has enough words of its own, so quoting the draft
or another comment is not copying). Its *shingles* are its pairs of consecutive words (word
2-shingles); its *content words* are its words that are not function words or greetings.

**Not a campaign.** A text with fewer than ``MIN_WORDS`` own words or fewer than
``MIN_CONTENT`` distinct content words is never grouped, even with identical copies: short
common phrases ("I agree", "Who will pay for this?", "موافقم") are written by many people on
their own. A pair of comments that shares less than ``MIN_SHARED`` shingles is grouped only
when the two are nearly the same text (Jaccard); a comment quoting one sentence of the draft
and adding two words of its own therefore does not join the comments that quote the same
sentence. A passage that many ungrouped comments also contain (a sentence of the draft quoted
without quotation marks) is a quotation, not a letter: a group whose common text is such a
passage is dissolved (``_is_quotation``).

**Candidates.** MinHash (datasketch's affine32 scheme, ``NUM_PERM`` permutations, computed for
all comments at once with NumPy) over the shingles and content words, cut into ``BANDS`` bands
of ``ROWS`` rows: two comments whose signatures agree on a whole band are candidates (LSH).

**Verified pairs.** A candidate joins a group only if it verifies against the group's
representative (``verify``): nearly the same shingles (Jaccard >= ``JACCARD``); or most of the
shorter text's shingles in the other (containment >= ``CONTAINMENT`` with at least
``MIN_SHARED`` shared: partial copies, truncation, greetings, sign-offs and personal sentences
added); or the same words in the same order with some replaced (``SEQUENCE``: the longest
common subsequence of the two word sequences against their mean length: spun synonyms,
templates with slots, typos). Every member verifies against its representative, so a chain of
short texts each like the next can never make one group.

**Groups.** In bulk (``group_comments``), the representative of each group is the comment
with the most LSH collisions among those not yet grouped (the most typical copy); the group
grows through the LSH buckets of its members, each new member verified against the
representative. Incrementally (``CommentIndex``), a new comment is compared with the
representatives of the groups whose members share a band with it, and joins the best one or
starts its own; a full rebuild (``CommentIndex.build``) gives the bulk grouping again.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from datasketch import MinHash
from datasketch.minhash import _fmix

from participation.integrity.text import STOPWORDS, words

MIN_WORDS = 15
MIN_CONTENT = 6
SENTENCE_WORDS = 4
COMMON_MIN_DOCS = 3
COMMON_SAMPLE = 24  # comments looked at per frequent sentence
COMMON_ACCOMPANIED = 0.5  # share of them with other words for the sentence to be a quotation
COMMON_COMPANION = 0.25  # a pair of words "recurs" in the rest when this share of them has it
COMMON_CONSISTENCY = 0.35  # below this median share of recurring pairs, the rest is diverse
MIN_SHARED = 24
JACCARD = 0.5
NEAR_EXACT = 0.8
CONTAINMENT = 0.7
SEQUENCE = 0.6
GROUP_VOCAB = 5
VOCAB_SHARE = 0.85
SKELETON = 0.35
DISSOLVE_CHUNK = 2000
NUM_PERM = 64
BANDS = 16
ROWS = 4
SEED = 1

_M64 = np.uint64(0x9E3779B97F4A7C15)
_UNIGRAM_SALT = np.uint64(0x5BD1E995)
_MASK32 = np.uint64(0xFFFFFFFF)
_PERMS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations


def _token_hash(token: str) -> int:
    return zlib.crc32(token.encode())


@dataclass(slots=True)
class Parsed:
    """The compared words of one comment as hashes, with its sentences."""

    tokens: np.ndarray  # uint32 word hashes, in order
    content: np.ndarray  # bool: not a function word or a number
    sentences: list[tuple[int, int, int]]  # (key, start, end), SENTENCE_WORDS words or more

    def sentence_keys(self) -> list[tuple[int, int, int]]:
        return self.sentences


def parse(text: str, memo: dict[str, int] | None = None) -> Parsed:
    """Hash the compared words of a comment (``memo`` caches word hashes within one run and
    must only be shared with other ``parse`` calls).

    A comment quoting something is compared on its own words; one that is all quotation on
    all its words; a quotation with a short reaction is that reaction (too short to compare).
    """
    w = words(text)
    if any(w.quoted) and not all(w.quoted):
        keep = [i for i, q in enumerate(w.quoted) if not q]
        toks = [w.words[i] for i in keep]
        sent = [w.sentence[i] for i in keep]
    else:
        toks, sent = w.words, w.sentence
    if memo is None:
        memo = {}
    get = memo.get
    # one look-up per word: its hash, with bit 32 set for a function word or a number
    hashes = [get(t) for t in toks]
    for k, h in enumerate(hashes):
        if h is None:
            t = toks[k]
            stop = t in STOPWORDS or t.isdigit()
            hashes[k] = memo[t] = _token_hash(t) | (1 << 32 if stop else 0)
    both = np.array(hashes, dtype=np.uint64)
    tokens = (both & _MASK32).astype(np.uint32)
    sentences: list[tuple[int, int, int]] = []
    start = 0
    for k in range(1, len(sent) + 1):
        if k == len(sent) or sent[k] != sent[start]:
            if k - start >= SENTENCE_WORDS:
                sentences.append((zlib.crc32(tokens[start:k].tobytes()), start, k))
            start = k
    return Parsed(tokens, (both >> np.uint64(32)) == 0, sentences)


@dataclass(slots=True)
class Fingerprint:
    """What the comparison needs of one comment."""

    tokens: np.ndarray  # uint32 hashes of the compared words, in order
    shingles: np.ndarray  # sorted unique uint32 hashes of its word 2-shingles
    content: np.ndarray  # sorted unique uint32 hashes of its content words
    informative: bool

    @property
    def key(self) -> bytes:
        """Equal for texts whose compared words are equal (exact copies)."""
        return self.tokens.tobytes()


def _shingles(tok: np.ndarray) -> np.ndarray:
    if tok.size < 2:
        return np.zeros(0, np.uint32)
    pair = (tok[:-1].astype(np.uint64) << np.uint64(32)) | tok[1:].astype(np.uint64)
    return np.unique(((pair * _M64) >> np.uint64(32)).astype(np.uint32))


def _lsh_items(fp: Fingerprint) -> np.ndarray:
    """The set MinHash is taken of: shingles and (salted) content words."""
    uni = ((fp.content.astype(np.uint64) << np.uint64(32)) | _UNIGRAM_SALT) * _M64
    return np.concatenate([fp.shingles, (uni >> np.uint64(32)).astype(np.uint32)])


def fingerprint_parsed(p: Parsed, common: frozenset[int] | set[int] = frozenset()) -> Fingerprint:
    """The fingerprint, without the sentences that are common phrases (``common_sentences``)."""
    tok, content = p.tokens, p.content
    if common:
        keep = np.ones(tok.size, dtype=bool)
        for key, s, e in p.sentence_keys():
            if key in common:
                keep[s:e] = False
        if not keep.all():
            tok, content = tok[keep], content[keep]
    distinct = np.unique(tok[content])
    informative = tok.size >= MIN_WORDS and distinct.size >= MIN_CONTENT
    return Fingerprint(tok, _shingles(tok), distinct, informative)


def fingerprint(text: str, memo: dict[str, int] | None = None,
                common: frozenset[int] | set[int] = frozenset()) -> Fingerprint:  # fmt: skip
    return fingerprint_parsed(parse(text, memo), common)


def common_sentences(parsed: Sequence[Parsed]) -> set[int]:
    """Sentences that many comments contain, each time among different words: common phrases
    and sentences of the draft or of a popular comment quoted without quotation marks, not a
    letter. (A letter's sentence comes with the letter's other sentences, even when those are
    varied: in most copies the rest of the text is much the same.)"""
    keys = [p.sentence_keys() for p in parsed]
    df: Counter[int] = Counter()
    for ks in keys:
        df.update({k for k, _, _ in ks})
    holders: dict[int, list[tuple[int, int, int]]] = {}
    for doc, ks in enumerate(keys):
        for k, s, e in ks:
            if df[k] >= COMMON_MIN_DOCS:
                holders.setdefault(k, []).append((doc, s, e))
    common: set[int] = set()
    for k, docs in holders.items():
        sample = docs[:: max(1, len(docs) // COMMON_SAMPLE)][:COMMON_SAMPLE]
        rests: list[set[int]] = []
        for doc, s, e in sample:
            tok = parsed[doc].tokens
            rest = np.concatenate([tok[:s], tok[e:]])
            if rest.size >= SENTENCE_WORDS:
                rests.append(set(_shingles(rest).tolist()))
        if len(rests) < COMMON_ACCOMPANIED * len(sample):
            continue  # mostly alone: the sentence is the whole text
        seen: Counter[int] = Counter()
        for r in rests:
            seen.update(r)
        floor = max(2, COMMON_COMPANION * len(rests))
        shared = sorted(sum(1 for h in r if seen[h] >= floor) / len(r) for r in rests)
        if shared[len(shared) // 2] < COMMON_CONSISTENCY:
            common.add(k)
    return common


# ---- MinHash and bands ---------------------------------------------------------------------


def signatures(items: Sequence[np.ndarray]) -> np.ndarray:
    """MinHash signatures (len(items) x NUM_PERM, uint32) of many sets at once; row i equals
    ``MinHash(NUM_PERM, seed=SEED, scheme="affine32", hashfunc=int)`` updated with items[i]."""
    a, b = _PERMS
    out = np.full((len(items), NUM_PERM), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    sizes = np.array([len(x) for x in items], dtype=np.int64)
    nonempty = np.flatnonzero(sizes)
    chunk = 1 << 16  # hash values per step: 64 permutations x 4 bytes x 65536 = 16 MB
    i = 0
    while i < nonempty.size:
        j = i
        total = 0
        while j < nonempty.size and (total == 0 or total + sizes[nonempty[j]] <= chunk):
            total += sizes[nonempty[j]]
            j += 1
        rows = nonempty[i:j]
        flat = np.concatenate([items[r] for r in rows]).astype(np.uint32)
        hv = _fmix(flat.reshape(-1, 1), 32)
        phv = hv * a + b  # uint32 arithmetic wraps: datasketch's affine32 permutations
        starts = np.concatenate([[0], np.cumsum(sizes[rows])[:-1]])
        out[rows] = np.minimum.reduceat(phv, starts, axis=0)
        i = j
    return out


def band_keys(sig: np.ndarray) -> np.ndarray:
    """(n x BANDS) uint64 keys: a hash of each band's rows, the band number mixed in."""
    n = sig.shape[0]
    bands = sig[:, : BANDS * ROWS].reshape(n, BANDS, ROWS).astype(np.uint64)
    key = np.broadcast_to(np.arange(BANDS, dtype=np.uint64) + np.uint64(1), (n, BANDS)).copy()
    for r in range(ROWS):
        key = (key * _M64) ^ bands[:, :, r]
        key ^= key >> np.uint64(29)
    return key


# ---- verification ---------------------------------------------------------------------------


def lcs_length(a: Sequence[int], b: Sequence[int]) -> int:
    """Length of the longest common subsequence (bit-parallel, Hyyrö 2004)."""
    if len(a) < len(b):
        a, b = b, a
    masks: dict[int, int] = {}
    for i, x in enumerate(b):
        masks[x] = masks.get(x, 0) | (1 << i)
    full = (1 << len(b)) - 1
    v = full
    for x in a:
        m = masks.get(x)
        if m:
            u = v & m
            v = ((v + u) | (v - u)) & full
    return len(b) - v.bit_count()


@dataclass(slots=True)
class _Side:
    """A fingerprint prepared for many comparisons (a representative)."""

    fp: Fingerprint
    shingles: set[int]
    content: set[int]
    tokens: list[int]

    @classmethod
    def of(cls, fp: Fingerprint) -> _Side:
        return cls(fp, set(fp.shingles.tolist()), set(fp.content.tolist()), fp.tokens.tolist())


def similar(a: _Side, b: _Side) -> float:
    """How strongly ``a`` verifies against ``b``: 0 when it does not, else a score in (0, 1]."""
    if not (a.fp.informative and b.fp.informative):
        return 0.0
    na, nb = len(a.shingles), len(b.shingles)
    shared = len(a.shingles & b.shingles) if na <= nb else len(b.shingles & a.shingles)
    jac = shared / (na + nb - shared) if na + nb else 0.0
    if jac >= NEAR_EXACT or (jac >= JACCARD and shared >= MIN_SHARED):
        return jac
    if shared >= MIN_SHARED and shared / min(na, nb) >= CONTAINMENT:
        return shared / min(na, nb) * 0.9
    la, lb = len(a.tokens), len(b.tokens)
    if min(la, lb) < 0.6 * max(la, lb) or la + lb < 2 * MIN_SHARED:
        return 0.0
    cshared = len(a.content & b.content)
    if cshared < 0.4 * min(len(a.content), len(b.content)) or cshared < MIN_CONTENT:
        return 0.0
    common = lcs_length(a.tokens, b.tokens)
    seq = 2 * common / (la + lb)
    return seq * 0.8 if seq >= SEQUENCE and common >= MIN_SHARED else 0.0


def fits_group(a: _Side, rep: _Side, vocabulary: Counter[int], size: int) -> bool:
    """A copy whose wording varies too much from the representative's for ``similar`` (a spun
    letter: most phrases have synonyms) still belongs to a group of at least ``GROUP_VOCAB``
    members when nearly all its content words are words other members of the group used, and
    its words follow the representative's order (the letter's skeleton)."""
    if size < GROUP_VOCAB or not a.fp.informative or len(a.content) < MIN_CONTENT:
        return False
    known = sum(1 for h in a.content if h in vocabulary)
    if known < VOCAB_SHARE * len(a.content):
        return False
    la, lb = len(a.tokens), len(rep.tokens)
    if min(la, lb) < 0.6 * max(la, lb):
        return False
    return 2 * lcs_length(a.tokens, rep.tokens) / (la + lb) >= SKELETON


def verify(a: Fingerprint, b: Fingerprint) -> bool:
    return similar(_Side.of(a), _Side.of(b)) > 0


# ---- bulk grouping --------------------------------------------------------------------------


@dataclass
class Grouping:
    """The result of a bulk run: for each input position its group number (-1: none) and for
    each group its representative's position."""

    group_of: np.ndarray
    representative: list[int]

    def groups(self) -> list[list[int]]:
        """Positions of each group (size >= 2), largest first, each in input order."""
        members: dict[int, list[int]] = {}
        for pos, g in enumerate(self.group_of.tolist()):
            if g >= 0:
                members.setdefault(g, []).append(pos)
        out = [m for m in members.values() if len(m) >= 2]
        out.sort(key=lambda m: (-len(m), m[0]))
        return out


def group_fingerprints(fps: Sequence[Fingerprint]) -> Grouping:
    """Near-duplicate groups of these fingerprints (see the module docstring)."""
    n = len(fps)
    group_of = np.full(n, -1, dtype=np.int64)
    # exact copies first: one unique text per class, with its multiplicity
    classes: dict[bytes, list[int]] = {}
    for pos, fp in enumerate(fps):
        if fp.informative:
            classes.setdefault(fp.key, []).append(pos)
    uniq = list(classes.values())
    u = len(uniq)
    if u == 0:
        return Grouping(group_of, [])
    weight = np.array([len(c) for c in uniq], dtype=np.int64)
    sig = signatures([_lsh_items(fps[c[0]]) for c in uniq])
    keys = band_keys(sig)
    del sig
    # buckets: per band, the uniques sharing a key
    bucket_members: list[np.ndarray] = []
    bucket_of = np.full((u, BANDS), -1, dtype=np.int64)
    degree = np.zeros(u, dtype=np.int64)
    for band in range(BANDS):
        col = keys[:, band]
        order = np.argsort(col, kind="stable")
        sorted_keys = col[order]
        edges = np.flatnonzero(np.diff(sorted_keys)) + 1
        starts = np.concatenate([[0], edges])
        ends = np.concatenate([edges, [u]])
        for s, e in zip(starts[ends - starts >= 2].tolist(), ends[ends - starts >= 2].tolist(),
                        strict=True):  # fmt: skip
            members = order[s:e]
            bucket_of[members, band] = len(bucket_members)
            bucket_members.append(members)
            degree[members] += weight[members].sum() - weight[members]
    del keys
    # representatives: most collisions first, then most copies, then longest
    length = np.array([fps[c[0]].tokens.size for c in uniq], dtype=np.int64)
    order = np.lexsort((-length, -weight, -degree))
    assigned = np.full(u, -1, dtype=np.int64)
    sides: dict[int, _Side] = {}
    representative: list[int] = []

    def side(i: int) -> _Side:
        s = sides.get(i)
        return s if s is not None else _Side.of(fps[uniq[i][0]])

    # content words -> uniques (flat, sorted): where a group looks for copies whose wording
    # varies too much for any band to match (spun letters)
    cw_doc = np.concatenate(
        [np.full(fps[c[0]].content.size, i, dtype=np.int64) for i, c in enumerate(uniq)]
    )
    cw_word = np.concatenate([fps[c[0]].content for c in uniq]).astype(np.int64)
    by_word = np.argsort(cw_word, kind="stable")
    cw_word, cw_doc = cw_word[by_word], cw_doc[by_word]
    del by_word

    def holders(word_list: list[int]) -> np.ndarray:
        w = np.array(word_list, dtype=np.int64)
        lo = np.searchsorted(cw_word, w, side="left")
        hi = np.searchsorted(cw_word, w, side="right")
        return np.concatenate([cw_doc[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)])

    for r in order.tolist():
        if assigned[r] >= 0:
            continue
        if degree[r] == 0 and weight[r] < 2:
            continue
        gid = len(representative)
        representative.append(uniq[r][0])
        assigned[r] = gid
        rep = sides[r] = _Side.of(fps[uniq[r][0]])
        vocabulary: Counter[int] = Counter()
        for _ in range(weight[r]):
            vocabulary.update(rep.content)
        size = int(weight[r])
        seen_buckets: set[int] = set()
        tested: set[int] = {r}
        doubtful: list[int] = []
        frontier = [r]
        while frontier:
            m = frontier.pop()
            for bk in bucket_of[m].tolist():
                if bk < 0 or bk in seen_buckets:
                    continue
                seen_buckets.add(bk)
                for v in bucket_members[bk].tolist():
                    if v in tested or assigned[v] >= 0:
                        continue
                    tested.add(v)
                    sv = side(v)
                    if similar(sv, rep) > 0 or fits_group(sv, rep, vocabulary, size):
                        assigned[v] = gid
                        frontier.append(v)
                        size += int(weight[v])
                        for _ in range(min(2, weight[v])):
                            vocabulary.update(sv.content)
                    else:
                        doubtful.append(v)
            if not frontier and doubtful and size >= GROUP_VOCAB:
                # the vocabulary grew since these were tested: one more look
                again, doubtful = doubtful, []
                for v in again:
                    if assigned[v] < 0 and fits_group(side(v), rep, vocabulary, size):
                        assigned[v] = gid
                        frontier.append(v)
                        size += int(weight[v])
                        vocabulary.update(side(v).content)
        if size >= GROUP_VOCAB:
            # the group's own words (used by a fifth of it, rare elsewhere): comments using
            # several of them are looked at too
            floor = max(2, 0.2 * size)
            own = [h for h, c in vocabulary.items() if c >= floor]
            if own:
                found = holders(own)
                docs, hits = np.unique(found, return_counts=True)
                for v in docs[hits >= MIN_CONTENT].tolist():
                    if assigned[v] >= 0 or v in tested:
                        continue
                    tested.add(v)
                    sv = side(v)
                    if similar(sv, rep) > 0 or fits_group(sv, rep, vocabulary, size):
                        assigned[v] = gid
                        size += int(weight[v])
                        vocabulary.update(sv.content)
        sides.pop(r, None)
    for i, c in enumerate(uniq):
        if assigned[i] >= 0:
            group_of[c] = assigned[i]
    _dissolve_quotations(fps, group_of, representative)
    return Grouping(group_of, representative)


def _dissolve_quotations(
    fps: Sequence[Fingerprint], group_of: np.ndarray, representative: list[int]
) -> None:
    """A group whose common text is only a minor part of many comments outside it (a sentence
    of the draft, or a stock phrase, each time with other words around it) is people quoting
    or using the same phrases, not a letter: it is dissolved."""
    members: dict[int, list[int]] = {}
    for pos, g in enumerate(group_of.tolist()):
        if g >= 0:
            members.setdefault(g, []).append(pos)
    cores: dict[int, frozenset[int]] = {}
    for g, ms in members.items():
        if len(ms) < 2:
            continue
        counts: Counter[int] = Counter()
        sample = ms[:: max(1, len(ms) // 50)]
        for pos in sample:
            counts.update(set(fps[pos].shingles.tolist()))
        core = frozenset(h for h, c in counts.items() if c >= 0.6 * len(sample))
        if core:
            cores[g] = core
    if not cores:
        return
    # every (document, group) pair where the document holds a shingle of the group's core
    gids = np.array(list(cores), dtype=np.int64)
    core_h = np.concatenate([np.fromiter(cores[g], np.int64, len(cores[g])) for g in gids])
    core_g = np.repeat(gids, [len(cores[g]) for g in gids])
    by_h = np.argsort(core_h, kind="stable")
    core_h, core_g = core_h[by_h], core_g[by_h]
    span = int(gids.max()) + 1
    core_size = np.zeros(span, dtype=np.int64)
    core_size[gids] = [len(cores[g]) for g in gids]
    outside: Counter[int] = Counter()
    for first in range(0, len(fps), DISSOLVE_CHUNK):  # bounded memory: a chunk at a time
        chunk = fps[first : first + DISSOLVE_CHUNK]
        doc_h = np.concatenate([fp.shingles for fp in chunk]).astype(np.int64)
        sizes = np.array([fp.shingles.size for fp in chunk], dtype=np.int64)
        doc_of = np.repeat(np.arange(first, first + len(chunk)), sizes)
        lo = np.searchsorted(core_h, doc_h, side="left")
        hi = np.searchsorted(core_h, doc_h, side="right")
        hit = np.flatnonzero(hi > lo)
        if hit.size == 0:
            continue
        reps = (hi - lo)[hit]
        pair_doc = np.repeat(doc_of[hit], reps)
        offsets = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        pair_g = core_g[np.repeat(lo[hit], reps) + offsets]
        keys, n_hits = np.unique(pair_doc * span + pair_g, return_counts=True)
        docs, groups = keys // span, keys % span
        doc_size = sizes[docs - first]
        outside_hit = (
            (group_of[docs] != groups)
            & (n_hits >= 0.8 * core_size[groups])
            & (core_size[groups] <= 0.5 * doc_size)
        )
        outside.update(groups[outside_hit].tolist())
    for g, n_out in outside.items():
        if n_out >= max(3, 0.3 * len(members[g])):
            group_of[members[g]] = -1


def group_comments(texts: Iterable[str]) -> list[list[int]]:
    """Positions of near-duplicate groups (size >= 2) of these texts, largest first."""
    memo: dict[str, int] = {}
    parsed = [parse(t, memo) for t in texts]
    common = common_sentences(parsed)
    return group_fingerprints([fingerprint_parsed(p, common) for p in parsed]).groups()


# ---- incremental index ------------------------------------------------------------------------


@dataclass
class _Cluster:
    rep_id: Any
    rep: _Side
    members: list[Any] = field(default_factory=list)


@dataclass
class Match:
    """Where a comment landed in the index."""

    cluster: int
    size: int  # members of its cluster, itself included
    representative: Any  # id of the cluster's representative

    @property
    def grouped(self) -> bool:
        return self.size >= 2


class CommentIndex:
    """The near-duplicate index of one consultation: ``add`` a new comment and learn whether
    it belongs to a group, in well under a millisecond for a small comment; ``build`` is the
    full rebuild (the bulk grouping)."""

    def __init__(self) -> None:
        self.clusters: list[_Cluster] = []
        self.cluster_of: dict[Any, int] = {}
        self.bands: dict[int, int] = {}  # band key -> cluster (the latest to claim it)
        self.exact: dict[bytes, int] = {}
        self.memo: dict[str, int] = {}
        self.common: set[int] = set()  # common sentences found by the last full build

    def __len__(self) -> int:
        return len(self.cluster_of)

    @classmethod
    def build(cls, rows: Iterable[tuple[Any, str]]) -> CommentIndex:
        index = cls()
        ids: list[Any] = []
        parsed: list[Parsed] = []
        for cid, text in rows:
            ids.append(cid)
            parsed.append(parse(text, index.memo))
        index.common = common_sentences(parsed)
        fps = [fingerprint_parsed(p, index.common) for p in parsed]
        del parsed
        grouping = group_fingerprints(fps)
        informative = [i for i, fp in enumerate(fps) if fp.informative]
        keys = band_keys(signatures([_lsh_items(fps[i]) for i in informative]))
        by_group: dict[int, int] = {}
        for row, pos in enumerate(informative):
            g = int(grouping.group_of[pos])
            if g >= 0 and g in by_group:
                c = by_group[g]
            else:
                rep = grouping.representative[g] if g >= 0 else pos
                c = len(index.clusters)
                index.clusters.append(_Cluster(ids[rep], _Side.of(fps[rep])))
                if g >= 0:
                    by_group[g] = c
            index._attach(ids[pos], fps[pos], keys[row], c)
        for pos, fp in enumerate(fps):  # texts too short to compare are remembered, unmatched
            if not fp.informative:
                index.cluster_of[ids[pos]] = -1
        return index

    def _attach(self, cid: Any, fp: Fingerprint, keys: np.ndarray, c: int) -> None:
        self.clusters[c].members.append(cid)
        self.cluster_of[cid] = c
        for k in keys.tolist():
            self.bands.setdefault(k, c)
        self.exact.setdefault(fp.key, c)

    def candidates(self, fp: Fingerprint, keys: np.ndarray) -> list[int]:
        found = [self.bands[k] for k in keys.tolist() if k in self.bands]
        exact = self.exact.get(fp.key)
        if exact is not None:
            found.insert(0, exact)
        return list(dict.fromkeys(found))

    def add(self, cid: Any, text: str) -> Match:
        """Place one new comment: into the group whose representative it verifies against
        best, or into a cluster of its own (which later copies may join)."""
        fp = fingerprint(text, self.memo, self.common)
        if not fp.informative:
            self.cluster_of[cid] = -1
            return Match(-1, 1, cid)
        keys = band_keys(signatures([_lsh_items(fp)]))[0]
        me = _Side.of(fp)
        best, best_score = -1, 0.0
        for c in self.candidates(fp, keys):
            score = similar(me, self.clusters[c].rep)
            if score > best_score:
                best, best_score = c, score
        if best < 0:
            best = len(self.clusters)
            self.clusters.append(_Cluster(cid, me))
        self._attach(cid, fp, keys, best)
        cluster = self.clusters[best]
        return Match(best, len(cluster.members), cluster.rep_id)

    def groups(self) -> list[list[Any]]:
        out = [list(c.members) for c in self.clusters if len(c.members) >= 2]
        out.sort(key=lambda m: -len(m))
        return out
