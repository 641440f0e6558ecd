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
passage is dissolved (``_dissolve_quotations``). A sentence is such a common passage
(``common_sentences``) when the comments holding it go on in different words each time, or
only react in a word or two ("The draft says: ... Finally."); words that were found common
themselves (the draft's next sentence, quoted with it) do not count as going on.

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

**Partial copies by sentence.** After the bulk grouping, a comment left out that is made of
two or more of a group's own sentences, word for word (sentences that copies in the group
hold), joins it (``join_by_sentences``): a copy keeping two of a short letter's five
sentences shares too few word pairs with any one copy to verify. The incremental placing does
not do this; the next rebuild of the space does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from datasketch import MinHash
from datasketch.minhash import _fmix

from participation.integrity.text import tokenise

MIN_WORDS = 15
MIN_CONTENT = 6
SENTENCE_WORDS = 4
COMMON_MIN_DOCS = 3
COMMON_SAMPLE = 24  # comments looked at per frequent sentence
COMMON_ACCOMPANIED = 0.5  # share of them with other words for the sentence to be a quotation
COMMON_COMPANION = 0.25  # a pair of words "recurs" in the rest when this share of them has it
COMMON_CONSISTENCY = 0.35  # below this median share of recurring pairs, the rest is diverse
COMMON_CHANCE = 1e-3  # how unlikely by chance a recurring pair's count must be
COMMON_MOST = 0.6  # ... unless most rests have it
COMMON_BASE = 0.1  # the chance of a pair is taken as this at most
COMMON_ROUNDS = 3  # sentences found common leave the others' rests, looked at again
MIN_SHARED = 24
JACCARD = 0.5
NEAR_EXACT = 0.8
CONTAINMENT = 0.7
SEQUENCE = 0.6
GROUP_VOCAB = 5
VOCAB_SHARE = 0.85
SKELETON = 0.35
JOIN_HOLDERS = 3
JOIN_OWNED = 0.1
JOIN_SENTENCES = 2
JOIN_COVER = 0.6
CHUNK = 2000  # comments tokenised at once, and looked at at once by the quotation check
STEP_ITEMS = 1 << 20  # word pairs handled at once by the vectorised steps (bounded memory)
NUM_PERM = 64
BANDS = 16
ROWS = 4
SEED = 1

_U64 = np.uint64
_M64 = _U64(0x9E3779B97F4A7C15)
_UNIGRAM_SALT = _U64(0x5BD1E995)
_MASK32 = _U64(0xFFFFFFFF)
_PERMS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser over a uint64 array (wrapping arithmetic)."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def _offsets(doc: np.ndarray, n: int) -> np.ndarray:
    """CSR offsets (n + 1) of rows numbered by ``doc`` (sorted)."""
    out = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(doc, minlength=n), out=out[1:])
    return out


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(s, s + l)`` for each start and length."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    return np.arange(total, dtype=np.int64) + np.repeat(starts - (ends - lengths), lengths)


def _unique(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values (NumPy's hash-based ``unique`` is slow on wide integers)."""
    s = np.sort(a)
    return s[np.concatenate([[True], s[1:] != s[:-1]])] if s.size else s


def _unique_counts(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted distinct values, the first position of each, each element's value number and
    each value's count."""
    order = np.argsort(a, kind="stable")
    s = a[order]
    new = np.concatenate([[True], s[1:] != s[:-1]]) if s.size else np.zeros(0, dtype=bool)
    number = np.cumsum(new) - 1
    inverse = np.empty(a.size, dtype=np.int64)
    inverse[order] = number
    return s[new], order[new], inverse, np.bincount(number, minlength=int(new.sum()))


def _pairs(tok: np.ndarray) -> np.ndarray:
    """Hashes (uint32) of each word and the next (the last word's is meaningless)."""
    if tok.size < 2:
        return np.zeros(0, np.uint32)
    pair = (tok[:-1].astype(_U64) << _U64(32)) | tok[1:].astype(_U64)
    return ((pair * _M64) >> _U64(32)).astype(np.uint32)


# ---- parsing: many comments at once ------------------------------------------------------


@dataclass
class Corpus:
    """The compared words of many comments, flat: comment i is ``tokens[offsets[i]:
    offsets[i + 1]]``; its sentences of ``SENTENCE_WORDS`` words or more are rows of the
    ``sent_*`` arrays (a key per wording, and their positions in ``tokens``)."""

    tokens: np.ndarray  # uint32 word hashes
    content: np.ndarray  # bool: not a function word or a number
    offsets: np.ndarray  # int64, n + 1
    sent_key: np.ndarray  # int64
    sent_doc: np.ndarray  # int64
    sent_start: np.ndarray  # int64
    sent_end: np.ndarray  # int64

    def __len__(self) -> int:
        return int(self.offsets.size - 1)

    def doc_ids(self) -> np.ndarray:
        return np.repeat(np.arange(len(self)), np.diff(self.offsets))


def _parse_chunk(texts: Sequence[str], memo: dict[str, int]) -> tuple[np.ndarray, ...]:
    t = tokenise(texts, memo)
    n = len(texts)
    # a comment quoting something is compared on its own words; one that is all quotation on
    # all its words; a quotation with a short reaction is that reaction (too short to compare)
    words = np.bincount(t.doc, minlength=n)
    quoted = np.bincount(t.doc[t.quoted], minlength=n)
    keep = ~(t.quoted & ((quoted > 0) & (quoted < words))[t.doc])
    tok, stop, doc, sent = t.hashes[keep], t.stop[keep], t.doc[keep], t.sentence[keep]
    # sentences: runs of one sentence number (a comment always starts a new one)
    cut = np.flatnonzero(np.diff(sent)) + 1
    starts = np.concatenate([[0], cut]).astype(np.int64)
    lengths = np.diff(np.concatenate([starts, [tok.size]]))
    pos = np.arange(tok.size, dtype=np.int64) - np.repeat(starts, lengths)
    mixed = _mix64(tok.astype(_U64) * _M64 + pos.astype(_U64))
    long = lengths >= SENTENCE_WORDS
    if tok.size:
        key = _mix64(np.add.reduceat(mixed, starts)[long] ^ lengths[long].astype(_U64))
    else:
        key = np.zeros(0, _U64)
    s = starts[long]
    return tok, ~stop, doc, key.view(np.int64), doc[s] if s.size else s, s, s + lengths[long]


def parse_corpus(texts: Iterable[str], memo: dict[str, int] | None = None) -> Corpus:
    """Parse many comments, ``CHUNK`` at a time (``memo`` caches word codes within one run)."""
    memo = {} if memo is None else memo
    parts: list[tuple[np.ndarray, ...]] = []
    n = base = 0
    buffer: list[str] = []

    def flush() -> None:
        nonlocal n, base
        tok, content, doc, key, sdoc, s, e = _parse_chunk(buffer, memo)
        parts.append((tok, content, doc + n, key, sdoc + n, s + base, e + base))
        n += len(buffer)
        base += tok.size
        buffer.clear()

    for text in texts:
        buffer.append(text)
        if len(buffer) == CHUNK:
            flush()
    if buffer or not parts:
        flush()
    cols = [np.concatenate([p[i] for p in parts]) for i in range(7)]
    return Corpus(
        tokens=cols[0].astype(np.uint32), content=cols[1].astype(bool),
        offsets=_offsets(cols[2].astype(np.int64), n),
        sent_key=cols[3].astype(np.int64), sent_doc=cols[4].astype(np.int64),
        sent_start=cols[5].astype(np.int64), sent_end=cols[6].astype(np.int64),
    )  # fmt: skip


def common_sentences(corpus: Corpus, known: Iterable[int] = ()) -> set[int]:
    """Sentences that many comments contain, each time among different words: common phrases
    and sentences of the draft or of a popular comment quoted without quotation marks, not a
    letter. (A letter's sentence comes with the letter's other sentences, even when those are
    varied: in most copies the rest of the text is much the same.) ``known`` are keys of
    sentences that are common whatever the comments say (the draft's own sentences, when the
    host gives them: ``sentence_keys``)."""
    common = set(known)
    key, doc = corpus.sent_key, corpus.sent_doc
    if key.size == 0:
        return common
    # one holder per (sentence, comment): its first occurrence; holders in comment order
    order = np.lexsort((np.arange(key.size), doc, key))
    k, d = key[order], doc[order]
    first = np.ones(k.size, dtype=bool)
    first[1:] = (k[1:] != k[:-1]) | (d[1:] != d[:-1])
    order, k = order[first], k[first]
    starts = np.flatnonzero(np.concatenate([[True], k[1:] != k[:-1]]))
    counts = np.diff(np.concatenate([starts, [k.size]]))
    group = np.repeat(np.arange(starts.size), counts)
    rank = np.arange(k.size) - starts[group]
    step = np.maximum(1, counts // COMMON_SAMPLE)[group]
    base = (counts >= COMMON_MIN_DOCS)[group] & (rank % step == 0) & (rank // step < COMMON_SAMPLE)
    if not base.any():
        return common
    pairs = _pairs(corpus.tokens)
    background = _pair_frequency(corpus, pairs)
    off = corpus.offsets
    keys_of = k[starts]
    holder_doc = d[first]
    look = np.ones(starts.size, dtype=bool)
    for _ in range(COMMON_ROUNDS):
        # the words of sentences already known to be common are no one's rest: a sentence of
        # the draft quoted with its neighbour is still a quotation
        skip = _in_sentences(corpus, common)
        chosen = base & look[group]
        sample = order[chosen]  # sentence rows looked at, grouped by key
        sample_group = group[chosen]
        if sample.size == 0:
            break
        sdoc = corpus.sent_doc[sample]
        n_words = off[sdoc + 1] - off[sdoc]
        # any words besides the sentence: a short reaction ("Why?", "Finally.") after a
        # quoted sentence counts as a rest of its own (no word pairs: nothing in it recurs)
        has_rest = n_words - (corpus.sent_end[sample] - corpus.sent_start[sample]) >= 1
        # batches of whole groups, about STEP_ITEMS word pairs each
        cost = np.cumsum(np.where(has_rest, n_words, 0))
        group_end = np.flatnonzero(np.concatenate([sample_group[1:] != sample_group[:-1], [True]]))
        found: set[int] = set()
        lo = 0
        while lo < sample.size:
            target = (cost[lo - 1] if lo else 0) + STEP_ITEMS
            ends = group_end[group_end >= lo]
            fit = ends[cost[ends] <= target]
            hi = int(fit[-1] if fit.size else ends[0]) + 1
            found.update(
                _common_in(corpus, pairs, background, sample[lo:hi], sample_group[lo:hi],
                           has_rest[lo:hi], keys_of, counts, skip)
            )  # fmt: skip
            lo = hi
        found -= common
        if not found:
            break
        common |= found
        # looked at again: the sentences not found common held by comments holding a new one
        new_keys = np.fromiter(found, dtype=np.int64, count=len(found))
        holds = np.zeros(len(corpus), dtype=bool)
        holds[corpus.sent_doc[np.isin(corpus.sent_key, new_keys)]] = True
        again = np.bincount(group, weights=holds[holder_doc], minlength=starts.size) > 0
        look = again & ~np.isin(keys_of, np.fromiter(common, np.int64, len(common)))
    return common


def _in_sentences(corpus: Corpus, keys: set[int]) -> np.ndarray | None:
    """Per word of the corpus: whether it is in one of these sentences (None: none is)."""
    if not keys:
        return None
    hit = np.isin(corpus.sent_key, np.fromiter(keys, dtype=np.int64, count=len(keys)))
    if not hit.any():
        return None
    delta = np.zeros(corpus.tokens.size + 1, dtype=np.int64)
    np.add.at(delta, corpus.sent_start[hit], 1)
    np.add.at(delta, corpus.sent_end[hit], -1)
    return np.cumsum(delta[:-1]) > 0


def _pair_frequency(corpus: Corpus, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct word pairs of the corpus, sorted, and how many comments hold each."""
    if pairs.size == 0:
        return pairs, np.zeros(0, dtype=np.int64)
    doc = corpus.doc_ids()
    same = np.flatnonzero(doc[:-1] == doc[1:])
    keys = _unique((doc[same].astype(_U64) << _U64(32)) | pairs[same].astype(_U64))
    s = np.sort((keys & _MASK32).astype(np.uint32))
    if s.size == 0:
        return s, np.zeros(0, dtype=np.int64)
    new = np.flatnonzero(np.concatenate([[True], s[1:] != s[:-1]]))
    return s[new], np.diff(np.concatenate([new, [s.size]]))


def _frequency(background: tuple[np.ndarray, np.ndarray], h: np.ndarray) -> np.ndarray:
    """How many comments hold each of the pairs ``h`` (looked up in sorted order: the
    searches stay in cache)."""
    values, counts = background
    out = np.zeros(h.size, dtype=np.int64)
    if values.size == 0 or h.size == 0:
        return out
    order = np.argsort(h, kind="stable")
    i = np.minimum(np.searchsorted(values, h[order]), values.size - 1)
    out[order] = np.where(values[i] == h[order], counts[i], 0)
    return out


def _common_in(corpus: Corpus, pairs: np.ndarray, background: tuple[np.ndarray, np.ndarray],
               rows: np.ndarray,
               grp: np.ndarray, has_rest: np.ndarray, group_key: np.ndarray,
               holders: np.ndarray, skip: np.ndarray | None) -> list[int]:  # fmt: skip
    """``common_sentences`` for the sampled sentence rows of a few keys (``holders``: how
    many comments hold each key)."""
    off = corpus.offsets
    # renumber the groups 0..g-1
    gid = np.concatenate([[0], np.cumsum(grp[1:] != grp[:-1])])
    g = int(gid[-1]) + 1
    firsts = grp[np.concatenate([[True], grp[1:] != grp[:-1]])]
    keys, n_holders = group_key[firsts], holders[firsts]
    n_sample = np.bincount(gid, minlength=g)
    doc = corpus.sent_doc[rows]
    s, e = corpus.sent_start[rows], corpus.sent_end[rows]
    # the rest of each holder: its word pairs that do not touch the sentence
    with_rest = np.flatnonzero(has_rest)
    n_rests = np.bincount(gid[with_rest], minlength=g)
    n_pairs = np.maximum(0, off[doc + 1] - off[doc] - 1)[with_rest]
    sid = np.repeat(with_rest, n_pairs)
    p = _ranges(off[doc[with_rest]], n_pairs)
    ok = (p + 1 < s[sid]) | (p >= e[sid])
    if skip is not None:
        ok &= ~(skip[p] | skip[p + 1])
    sid, p = sid[ok], p[ok]
    u = _unique((sid.astype(_U64) << _U64(32)) | pairs[p].astype(_U64))
    sid_u = (u >> _U64(32)).astype(np.int64)
    g_u = gid[sid_u]
    # how many rests of the same sentence have each pair
    _, _, inverse, seen = _unique_counts((g_u.astype(_U64) << _U64(32)) | (u & _MASK32))
    floor = np.maximum(2.0, COMMON_COMPANION * n_rests)
    # a pair recurs in the rests when many of them have it, far more often than chance
    # predicts from the comments without the sentence (a letter's other sentences, not the
    # phrases everyone uses): a binomial tail under COMMON_CHANCE (Chernoff bound)
    h = (u & _MASK32).astype(np.uint32)
    everywhere = _frequency(background, h)
    n = n_rests[g_u].astype(np.float64)
    rate = seen[inverse] / n
    others = np.maximum(len(corpus) - n_holders[g_u], 1)
    # (at most COMMON_BASE: a pair that more comments hold is no everyday phrase, it is a
    # campaign's own, as when one campaign's copies are most of the comments)
    base = np.clip((everywhere - rate * n_holders[g_u]) / others, 0.5 / others, COMMON_BASE)
    tail = rate * np.log(rate / base) + np.where(
        rate < 1, (1 - rate) * np.log(np.maximum(1 - rate, 1e-12) / (1 - base)), 0.0
    )
    surprising = (rate > base) & (n * tail >= -np.log(COMMON_CHANCE))
    recurring = (seen[inverse] >= floor[g_u]) & (surprising | (rate >= COMMON_MOST))
    size = np.bincount(sid_u, minlength=rows.size)
    n_recurring = np.bincount(sid_u, weights=recurring, minlength=rows.size)
    # a rest recurring by a sentence's worth of pairs at least: a few words that recur
    # ("the draft says:", "Re section 3:") introduce a quotation, they are not a letter
    shared = np.where(n_recurring >= SENTENCE_WORDS - 1, n_recurring, 0) / np.maximum(size, 1)
    # the median share of each sentence's rests
    have = with_rest
    order = np.lexsort((shared[have], gid[have]))
    hg = gid[have][order]
    n_have = np.bincount(hg, minlength=g)
    start = np.concatenate([[0], np.cumsum(n_have)[:-1]])
    ok_g = (n_have > 0) & (n_rests >= COMMON_ACCOMPANIED * n_sample)
    median = np.full(g, np.inf)
    median[ok_g] = shared[have][order][(start + n_have // 2)[ok_g]]
    return keys[median < COMMON_CONSISTENCY].tolist()


# ---- fingerprints --------------------------------------------------------------------------


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

    @classmethod
    def of(cls, tokens: np.ndarray, content: np.ndarray) -> Fingerprint:
        """From the compared words and the distinct content words (as stored)."""
        sh = _unique(_pairs(tokens))
        informative = tokens.size >= MIN_WORDS and content.size >= MIN_CONTENT
        return cls(tokens, sh, content, informative)


@dataclass
class Fingerprints:
    """The fingerprints of many comments, flat (see ``Corpus``)."""

    tokens: np.ndarray
    token_off: np.ndarray
    shingles: np.ndarray
    shingle_off: np.ndarray
    content: np.ndarray
    content_off: np.ndarray
    informative: np.ndarray  # bool
    exact: np.ndarray  # uint64: equal for equal compared words

    def __len__(self) -> int:
        return int(self.token_off.size - 1)

    def __getitem__(self, i: int) -> Fingerprint:
        return Fingerprint(
            self.tokens[self.token_off[i] : self.token_off[i + 1]],
            self.shingles[self.shingle_off[i] : self.shingle_off[i + 1]],
            self.content[self.content_off[i] : self.content_off[i + 1]],
            bool(self.informative[i]),
        )

    def __iter__(self) -> Iterator[Fingerprint]:
        return (self[i] for i in range(len(self)))


def fingerprints(corpus: Corpus, common: Iterable[int] = ()) -> Fingerprints:
    """Every comment's fingerprint, without the sentences that are common phrases."""
    n = len(corpus)
    tok, content, doc = corpus.tokens, corpus.content, corpus.doc_ids()
    common_keys = np.fromiter(common, dtype=np.int64)
    if common_keys.size:
        hit = np.isin(corpus.sent_key, common_keys)
        if hit.any():
            delta = np.zeros(tok.size + 1, dtype=np.int64)
            np.add.at(delta, corpus.sent_start[hit], 1)
            np.add.at(delta, corpus.sent_end[hit], -1)
            keep = np.cumsum(delta[:-1]) == 0
            tok, content, doc = tok[keep], content[keep], doc[keep]
    token_off = _offsets(doc, n)
    # word pairs within a comment, unique per comment
    same = np.flatnonzero(doc[:-1] == doc[1:]) if tok.size > 1 else np.zeros(0, np.int64)
    pair_keys = _unique((doc[same].astype(_U64) << _U64(32)) | _pairs(tok)[same].astype(_U64))
    shingles = (pair_keys & _MASK32).astype(np.uint32)
    shingle_off = _offsets((pair_keys >> _U64(32)).astype(np.int64), n)
    del pair_keys
    word_keys = _unique((doc[content].astype(_U64) << _U64(32)) | tok[content].astype(_U64))
    distinct = (word_keys & _MASK32).astype(np.uint32)
    content_off = _offsets((word_keys >> _U64(32)).astype(np.int64), n)
    del word_keys
    lengths = np.diff(token_off)
    informative = (lengths >= MIN_WORDS) & (np.diff(content_off) >= MIN_CONTENT)
    exact = np.zeros(n, dtype=_U64)
    nonempty = np.flatnonzero(lengths)
    if nonempty.size:
        pos = np.arange(tok.size, dtype=np.int64) - token_off[doc]
        mixed = _mix64(tok.astype(_U64) * _M64 + pos.astype(_U64))
        sums = np.add.reduceat(mixed, token_off[nonempty])
        exact[nonempty] = _mix64(sums ^ lengths[nonempty].astype(_U64))
    return Fingerprints(tok, token_off, shingles, shingle_off, distinct, content_off,
                        informative, exact)  # fmt: skip


def fingerprint(text: str, memo: dict[str, int] | None = None,
                common: Iterable[int] = ()) -> Fingerprint:  # fmt: skip
    """The fingerprint of one comment."""
    return fingerprints(parse_corpus([text], memo), common)[0]


def sentence_keys(texts: Iterable[str]) -> set[int]:
    """The keys of the sentences of ``texts`` (a draft's sections): what ``common_sentences``
    takes as ``known``, so that quoting the draft without quotation marks is never copying."""
    corpus = parse_corpus(texts)
    return set(corpus.sent_key.tolist())


# ---- MinHash and bands ---------------------------------------------------------------------


def signatures_flat(flat: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """MinHash signatures (rows x NUM_PERM, uint32) of the sets ``flat[offsets[i]:
    offsets[i + 1]]``; row i equals ``MinHash(NUM_PERM, seed=SEED, scheme="affine32",
    hashfunc=int)`` updated with that set."""
    a, b = _PERMS
    rows = offsets.size - 1
    out = np.full((rows, NUM_PERM), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    sizes = np.diff(offsets)
    nonempty = np.flatnonzero(sizes)
    chunk = 1 << 16  # hash values per step: 64 permutations x 4 bytes x 65536 = 16 MB
    ends = np.cumsum(sizes[nonempty])
    i = 0
    while i < nonempty.size:
        base = ends[i - 1] if i else 0
        j = max(i + 1, int(np.searchsorted(ends, base + chunk, side="right")))
        sel = nonempty[i:j]
        lo, hi = int(offsets[sel[0]]), int(offsets[sel[-1] + 1])
        hv = _fmix(flat[lo:hi].astype(np.uint32).reshape(-1, 1), 32)
        phv = hv * a + b  # uint32 arithmetic wraps: datasketch's affine32 permutations
        # rows between sel[0] and sel[-1] that are empty add no values
        out[sel] = np.minimum.reduceat(phv, offsets[sel] - lo, axis=0)
        i = j
    return out


def signatures(items: Sequence[np.ndarray]) -> np.ndarray:
    """``signatures_flat`` of a list of sets."""
    offsets = _offsets(np.repeat(np.arange(len(items)), [len(x) for x in items]), len(items))
    flat = np.concatenate(list(items)) if len(items) else np.zeros(0, np.uint32)
    return signatures_flat(flat.astype(np.uint32), offsets)


def _lsh_items(fp: Fingerprint) -> np.ndarray:
    """The set MinHash is taken of: shingles and (salted) content words."""
    return np.concatenate([fp.shingles, _salted(fp.content)])


lsh_items = _lsh_items


def _salted(content: np.ndarray) -> np.ndarray:
    uni = ((content.astype(_U64) << _U64(32)) | _UNIGRAM_SALT) * _M64
    return (uni >> _U64(32)).astype(np.uint32)


def _lsh_flat(fps: Fingerprints, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_lsh_items`` of the fingerprints at ``rows``, flat."""
    sh_len = np.diff(fps.shingle_off)[rows]
    ct_len = np.diff(fps.content_off)[rows]
    offsets = np.zeros(rows.size + 1, dtype=np.int64)
    np.cumsum(sh_len + ct_len, out=offsets[1:])
    flat = np.empty(int(offsets[-1]), dtype=np.uint32)
    flat[_ranges(offsets[:-1], sh_len)] = fps.shingles[_ranges(fps.shingle_off[rows], sh_len)]
    flat[_ranges(offsets[:-1] + sh_len, ct_len)] = _salted(
        fps.content[_ranges(fps.content_off[rows], ct_len)]
    )
    return flat, offsets


def band_keys(sig: np.ndarray) -> np.ndarray:
    """(n x BANDS) uint64 keys: a hash of each band's rows, the band number mixed in."""
    n = sig.shape[0]
    bands = sig[:, : BANDS * ROWS].reshape(n, BANDS, ROWS).astype(_U64)
    key = np.broadcast_to(np.arange(BANDS, dtype=_U64) + _U64(1), (n, BANDS)).copy()
    for r in range(ROWS):
        key = (key * _M64) ^ bands[:, :, r]
        key ^= key >> _U64(29)
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


@dataclass
class _Buckets:
    """Per band, the texts sharing a band key (two or more): members of bucket b are
    ``members[offsets[b]:offsets[b + 1]]``; ``of[i, band]`` is text i's bucket (-1: alone)."""

    members: np.ndarray
    offsets: np.ndarray
    of: np.ndarray
    degree: np.ndarray  # copies of other texts sharing a bucket, over all bands


def _buckets(keys: np.ndarray, weight: np.ndarray) -> _Buckets:
    u = keys.shape[0]
    of = np.full((u, BANDS), -1, dtype=np.int64)
    degree = np.zeros(u, dtype=np.int64)
    members: list[np.ndarray] = []
    sizes: list[np.ndarray] = []
    count = 0
    for band in range(BANDS):
        col = keys[:, band]
        order = np.argsort(col, kind="stable")
        sk = col[order]
        new = np.concatenate([[True], sk[1:] != sk[:-1]])
        bucket = np.cumsum(new) - 1
        size = np.bincount(bucket)
        shared = size[bucket] >= 2
        ids, _, local, _ = _unique_counts(bucket[shared])
        m = order[shared]
        of[m, band] = count + local
        total = np.bincount(local, weights=weight[m]).astype(np.int64)
        degree[m] += total[local] - weight[m]
        members.append(m)
        sizes.append(size[ids])
        count += ids.size
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.concatenate(sizes), out=offsets[1:])
    return _Buckets(np.concatenate(members), offsets, of, degree)


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Whether each value is in ``sorted_set`` (sorted, distinct)."""
    if sorted_set.size == 0:
        return np.zeros(values.size, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), sorted_set.size - 1)
    return sorted_set[at] == values


class _Verifier:
    """``similar`` and ``fits_group`` of many candidates against one representative at once:
    the counts in NumPy, the word order (``lcs_length``) only where the counts leave the
    answer open."""

    def __init__(self, fps: Fingerprints, rep: int) -> None:
        self.fps = fps
        fp = fps[rep]
        self.informative = fp.informative
        self.shingles = fp.shingles
        self.content = fp.content
        self.words = _unique(fp.tokens)
        self.length = fp.tokens.size
        self.tokens = fp.tokens.tolist()

    def _per(self, values: np.ndarray, off: np.ndarray, pos: np.ndarray,
             sorted_set: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """Per candidate: its number of values, and how many of them are in ``sorted_set``."""
        n = off[pos + 1] - off[pos]
        vals = values[_ranges(off[pos], n)]
        owner = np.repeat(np.arange(pos.size), n)
        hits = np.bincount(owner[_member(vals, sorted_set)], minlength=pos.size)
        return n, hits

    def check(self, pos: np.ndarray, vocabulary: np.ndarray, size: int) -> np.ndarray:
        """Which of the fingerprints at ``pos`` join the group: ``similar`` to the
        representative, or ``fits_group`` with the group's ``vocabulary`` (sorted) and
        ``size``."""
        fps = self.fps
        ok = fps.informative[pos] & self.informative
        na, shared = self._per(fps.shingles, fps.shingle_off, pos, self.shingles)
        nb = self.shingles.size
        union = np.maximum(na + nb - shared, 1)
        jac = shared / union
        accept = ok & ((jac >= NEAR_EXACT) | ((jac >= JACCARD) & (shared >= MIN_SHARED)))
        accept |= ok & (shared >= MIN_SHARED) & (shared >= CONTAINMENT * np.minimum(na, nb))
        la = fps.token_off[pos + 1] - fps.token_off[pos]
        lb = self.length
        total = la + lb
        length_ok = np.minimum(la, lb) >= 0.6 * np.maximum(la, lb)
        n_content, cshared = self._per(fps.content, fps.content_off, pos, self.content)
        # an upper bound of the common subsequence: the candidate's words found in the
        # representative
        _, present = self._per(fps.tokens, fps.token_off, pos, self.words)
        open_ = ok & ~accept & length_ok
        sequence = (
            open_ & (total >= 2 * MIN_SHARED) & (cshared >= MIN_CONTENT)
            & (cshared >= 0.4 * np.minimum(n_content, self.content.size))
            & (present >= MIN_SHARED) & (2 * present >= SEQUENCE * total)
        )  # fmt: skip
        if size >= GROUP_VOCAB and vocabulary.size:
            _, known = self._per(fps.content, fps.content_off, pos, vocabulary)
            skeleton = (
                open_ & (n_content >= MIN_CONTENT) & (known >= VOCAB_SHARE * n_content)
                & (2 * present >= SKELETON * total)
            )  # fmt: skip
        else:
            skeleton = np.zeros(pos.size, dtype=bool)
        for i in np.flatnonzero(sequence | skeleton).tolist():
            p = int(pos[i])
            common = lcs_length(fps.tokens[fps.token_off[p] : fps.token_off[p + 1]].tolist(),
                                self.tokens)  # fmt: skip
            seq = 2 * common / int(total[i])
            if (sequence[i] and seq >= SEQUENCE and common >= MIN_SHARED) or (
                skeleton[i] and seq >= SKELETON
            ):
                accept[i] = True
        return accept


class _Group:
    """A group while it grows: its representative, size (copies) and vocabulary (the content
    words of its members, counted)."""

    def __init__(self, fps: Fingerprints, uniq: np.ndarray, weight: np.ndarray,
                 assigned: np.ndarray, tested_by: np.ndarray, gid: int, rep: int) -> None:  # fmt: skip
        self.fps, self.uniq, self.weight = fps, uniq, weight
        self.assigned, self.tested_by, self.gid = assigned, tested_by, gid
        self.verifier = _Verifier(fps, int(uniq[rep]))
        assigned[rep] = tested_by[rep] = gid
        self.size = int(weight[rep])
        self.vocabulary: Counter[int] = Counter()
        for _ in range(self.size):
            self.vocabulary.update(self._content(rep))
        self._words = np.zeros(0, dtype=np.uint32)
        self._words_at = -1  # the size when ``_words`` (the vocabulary, sorted) was made

    def _content(self, i: int) -> list[int]:
        p = int(self.uniq[i])
        off = self.fps.content_off
        return self.fps.content[off[p] : off[p + 1]].tolist()  # type: ignore[no-any-return]

    def test(self, cands: np.ndarray, times: int, again: bool = False) -> np.ndarray:
        """Test the candidates not yet tested for this group (``again``: also those that
        were, and failed); those that join are assigned and returned. A member's content
        words join the vocabulary ``times`` times (at most once per copy)."""
        cands = cands[self.assigned[cands] < 0]
        if not again:
            cands = cands[self.tested_by[cands] != self.gid]
        if cands.size == 0:
            return cands
        self.tested_by[cands] = self.gid
        if self._words_at != self.size:
            self._words = np.fromiter(self.vocabulary, np.uint32, len(self.vocabulary))
            self._words.sort()
            self._words_at = self.size
        joined = cands[self.verifier.check(self.uniq[cands], self._words, self.size)]
        self.assigned[joined] = self.gid
        for v in joined.tolist():
            self.size += int(self.weight[v])
            words = self._content(v)
            for _ in range(min(times, int(self.weight[v]))):
                self.vocabulary.update(words)
        return joined


def group_fingerprints(fps: Fingerprints) -> Grouping:
    """Near-duplicate groups of these fingerprints (see the module docstring)."""
    n = len(fps)
    group_of = np.full(n, -1, dtype=np.int64)
    informative = np.flatnonzero(fps.informative)
    if informative.size == 0:
        return Grouping(group_of, [])
    # exact copies first: one unique text per class (in order of first appearance), with its
    # number of copies
    _, first, inverse, weight = _unique_counts(fps.exact[informative])
    by_first = np.argsort(first, kind="stable")
    rank = np.empty_like(by_first)
    rank[by_first] = np.arange(by_first.size)
    uniq = informative[first[by_first]]  # position of each unique text's first copy
    weight = weight[by_first].astype(np.int64)
    class_of = rank[inverse]
    u = uniq.size
    flat, offsets = _lsh_flat(fps, uniq)
    keys = band_keys(signatures_flat(flat, offsets))
    del flat, offsets
    bk = _buckets(keys, weight)
    del keys
    # representatives: most collisions first, then most copies, then longest
    length = np.diff(fps.token_off)[uniq]
    order = np.lexsort((-length, -weight, -bk.degree))
    assigned = np.full(u, -1, dtype=np.int64)
    tested_by = np.full(u, -1, dtype=np.int64)
    representative: list[int] = []

    # content words -> unique texts (sorted by word): where a group looks for copies whose
    # wording varies too much for any band to match (spun letters)
    ct_len = np.diff(fps.content_off)[uniq]
    cw_word = fps.content[_ranges(fps.content_off[uniq], ct_len)].astype(np.int64)
    cw_doc = np.repeat(np.arange(u, dtype=np.int64), ct_len)
    by_word = np.argsort(cw_word, kind="stable")
    cw_word, cw_doc = cw_word[by_word], cw_doc[by_word]
    del by_word

    for r in order.tolist():
        if assigned[r] >= 0:
            continue
        if bk.degree[r] == 0 and weight[r] < 2:
            continue
        gid = len(representative)
        representative.append(int(uniq[r]))
        group = _Group(fps, uniq, weight, assigned, tested_by, gid, r)
        frontier = [r]
        doubtful: list[np.ndarray] = []
        seen_buckets: set[int] = set()
        while frontier:
            m = frontier.pop()
            found = []
            for b in bk.of[m].tolist():
                if b >= 0 and b not in seen_buckets:
                    seen_buckets.add(b)
                    found.append(bk.members[bk.offsets[b] : bk.offsets[b + 1]])
            if found:
                cands = _unique(np.concatenate(found))
                frontier.extend(group.test(cands, 2).tolist())
                doubtful.append(cands)
            if not frontier and doubtful and group.size >= GROUP_VOCAB:
                # the vocabulary grew since these were tested: one more look
                again = _unique(np.concatenate(doubtful))
                doubtful = []
                frontier.extend(group.test(again, 1, again=True).tolist())
        for _ in range(3):
            if group.size < GROUP_VOCAB:
                break
            # the group's own words (used by a fifth of it, rare elsewhere): comments using
            # several of them are looked at too, again while the group grows
            floor = max(2, 0.2 * group.size)
            own = np.array([h for h, c in group.vocabulary.items() if c >= floor], np.int64)
            lo = np.searchsorted(cw_word, own, side="left")
            hi = np.searchsorted(cw_word, own, side="right")
            hits = np.bincount(cw_doc[_ranges(lo, hi - lo)], minlength=u)
            if group.test(np.flatnonzero(hits >= MIN_CONTENT), 1, again=True).size == 0:
                break
    group_of[informative] = assigned[class_of]
    _dissolve_quotations(fps, group_of, representative)
    return Grouping(group_of, representative)


def _dissolve_quotations(fps: Fingerprints, group_of: np.ndarray,
                         representative: list[int]) -> None:  # fmt: skip
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
            counts.update(fps.shingles[fps.shingle_off[pos] : fps.shingle_off[pos + 1]].tolist())
        core = frozenset(h for h, c in counts.items() if c >= 0.6 * len(sample))
        if core:
            cores[g] = core
    if not cores:
        return
    # the comments outside each group that hold most of its core: candidates through the
    # core's rarest shingles (one of them is in every comment holding 80 % of the core:
    # prefix filtering), then counted exactly
    gids = np.array(list(cores), dtype=np.int64)
    core_size = np.array([len(cores[g]) for g in gids], dtype=np.int64)
    core_g = np.repeat(np.arange(gids.size), core_size)
    core_h = np.concatenate([np.fromiter(cores[g], np.int64, len(cores[g])) for g in gids])
    core_keys = np.sort((core_g << 32) | core_h)
    everywhere = np.sort(fps.shingles)
    df = np.searchsorted(everywhere, core_h, side="right") - np.searchsorted(everywhere, core_h)
    del everywhere
    by_df = np.lexsort((df, core_g))
    rank = np.arange(core_h.size) - np.repeat(np.cumsum(core_size) - core_size, core_size)
    prefix = by_df[rank < (core_size - np.ceil(0.8 * core_size).astype(np.int64) + 1)[core_g]]
    pre_h, pre_g = core_h[prefix], core_g[prefix]
    by_h = np.argsort(pre_h, kind="stable")
    pre_h, pre_g = pre_h[by_h], pre_g[by_h]
    group_index = np.full(int(group_of.max()) + 1, -1, dtype=np.int64)
    group_index[gids] = np.arange(gids.size)
    sizes_all = np.diff(fps.shingle_off)
    outside = np.zeros(gids.size, dtype=np.int64)
    n = len(fps)
    step = CHUNK * 5
    for first in range(0, n, step):
        last = min(n, first + step)
        lo, hi = int(fps.shingle_off[first]), int(fps.shingle_off[last])
        doc_h = fps.shingles[lo:hi].astype(np.int64)
        doc_of = np.repeat(np.arange(first, last), sizes_all[first:last])
        left = np.searchsorted(pre_h, doc_h, side="left")
        right = np.searchsorted(pre_h, doc_h, side="right")
        hit = np.flatnonzero(right > left)
        if hit.size == 0:
            continue
        reps = (right - left)[hit]
        pair = _unique(np.repeat(doc_of[hit], reps) * gids.size + pre_g[_ranges(left[hit], reps)])
        doc, grp = pair // gids.size, pair % gids.size
        mine = group_of[doc]
        keep = (core_size[grp] <= 0.5 * sizes_all[doc]) & (
            (mine < 0) | (group_index[np.maximum(mine, 0)] != grp)
        )
        doc, grp = doc[keep], grp[keep]
        if doc.size == 0:
            continue
        n_sh = sizes_all[doc]
        owner = np.repeat(np.arange(doc.size), n_sh)
        h = fps.shingles[_ranges(fps.shingle_off[doc], n_sh)].astype(np.int64)
        held = np.bincount(owner[_member((grp[owner] << 32) | h, core_keys)], minlength=doc.size)
        qualifies = held >= 0.8 * core_size[grp]
        outside += np.bincount(grp[qualifies], minlength=gids.size)
    for i, g in enumerate(gids.tolist()):
        if outside[i] >= max(3, 0.3 * len(members[g])):
            group_of[members[g]] = -1


def join_by_sentences(corpus: Corpus, common: set[int], fps: Fingerprints,
                      grouping: Grouping) -> None:  # fmt: skip
    """Comments left out of every group that are made of a group's own sentences join it: a
    partial copy of a short letter (two or three of its sentences, word for word) shares too
    few word pairs with any one copy to verify, but each of its sentences is one that copies
    in the group hold (at least ``JOIN_HOLDERS`` of them, and ``JOIN_OWNED`` of all the
    comments holding it). It joins when ``JOIN_SENTENCES`` of its sentences or more are the
    group's and they make ``JOIN_COVER`` of its words."""
    group_of = grouping.group_of
    if group_of.size == 0 or group_of.max() < 0 or corpus.sent_key.size == 0:
        return
    key, sdoc = corpus.sent_key, corpus.sent_doc
    length = corpus.sent_end - corpus.sent_start
    if common:
        keep = ~np.isin(key, np.fromiter(common, np.int64, len(common)))
        key, sdoc, length = key[keep], sdoc[keep], length[keep]
    order = np.lexsort((sdoc, key))
    key, sdoc, length = key[order], sdoc[order], length[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = (key[1:] != key[:-1]) | (sdoc[1:] != sdoc[:-1])
    key, sdoc, length = key[first], sdoc[first], length[first]
    if key.size == 0:
        return
    kid = np.cumsum(np.concatenate([[True], key[1:] != key[:-1]])) - 1
    holders = np.bincount(kid)
    g = group_of[sdoc]
    n_groups = int(group_of.max()) + 1
    grouped = np.flatnonzero(g >= 0)
    if grouped.size == 0:
        return
    # each sentence's owner: the group holding it most
    pair, _, _, count = _unique_counts(kid[grouped] * n_groups + g[grouped])
    pk, pg = pair // n_groups, pair % n_groups
    best = np.lexsort((-count, pk))
    lead = best[np.concatenate([[True], pk[best][1:] != pk[best][:-1]])]
    owner = np.full(holders.size, -1, dtype=np.int64)
    owns = count[lead] >= np.maximum(JOIN_HOLDERS, JOIN_OWNED * holders[pk[lead]])
    owner[pk[lead][owns]] = pg[lead][owns]
    cand = np.flatnonzero((g < 0) & fps.informative[sdoc] & (owner[kid] >= 0))
    if cand.size == 0:
        return
    d, o, w = sdoc[cand], owner[kid[cand]], length[cand]
    dk, _, inverse, n_sent = _unique_counts(d * n_groups + o)
    words = np.bincount(inverse, weights=w)
    dd, do = dk // n_groups, dk % n_groups
    best = np.lexsort((-words, dd))
    lead = best[np.concatenate([[True], dd[best][1:] != dd[best][:-1]])]
    doc_len = np.diff(fps.token_off)[dd[lead]]
    ok = (n_sent[lead] >= JOIN_SENTENCES) & (words[lead] >= JOIN_COVER * doc_len)
    group_of[dd[lead][ok]] = do[lead][ok]


def group_corpus(corpus: Corpus, known: Iterable[int] = ()
                 ) -> tuple[set[int], Fingerprints, Grouping]:  # fmt: skip
    """The common sentences, fingerprints and near-duplicate groups of a parsed corpus."""
    common = common_sentences(corpus, known)
    fps = fingerprints(corpus, common)
    grouping = group_fingerprints(fps)
    join_by_sentences(corpus, common, fps, grouping)
    return common, fps, grouping


def group_texts(texts: Iterable[str], known: Iterable[int] = ()) -> Grouping:
    """Near-duplicate groups of these texts (``known``: see ``common_sentences``)."""
    return group_corpus(parse_corpus(texts), known)[2]


def group_comments(texts: Iterable[str]) -> list[list[int]]:
    """Positions of near-duplicate groups (size >= 2) of these texts, largest first."""
    return group_texts(texts).groups()


# ---- incremental index ------------------------------------------------------------------------


@dataclass
class _Cluster:
    rep_id: Any
    rep: Fingerprint
    members: list[Any] = field(default_factory=list)
    side: _Side | None = None  # prepared when first compared

    def prepared(self) -> _Side:
        if self.side is None:
            self.side = _Side.of(self.rep)
        return self.side


@dataclass
class Match:
    """Where a comment landed in the index."""

    cluster: int
    size: int  # members of its cluster, itself included
    representative: Any  # id of the cluster's representative

    @property
    def grouped(self) -> bool:
        return self.size >= 2


def best_match(fp: Fingerprint, candidates: Iterable[tuple[int, Fingerprint | _Side]]) -> int:
    """Of ``(cluster, its representative)``, the cluster whose representative ``fp`` verifies
    against best; -1 when none does."""
    me = _Side.of(fp)
    best, best_score = -1, 0.0
    for c, rep in candidates:
        score = similar(me, rep if isinstance(rep, _Side) else _Side.of(rep))
        if score > best_score:
            best, best_score = c, score
    return best


class CommentIndex:
    """The near-duplicate index of one consultation, in memory: ``add`` a new comment and
    learn whether it belongs to a group; ``build`` is the full rebuild (the bulk grouping).
    (The platform keeps the same index in its database: ``participation.integrity.index``.)"""

    def __init__(self) -> None:
        self.clusters: list[_Cluster] = []
        self.cluster_of: dict[Any, int] = {}
        self.bands: dict[int, int] = {}  # band key -> cluster (the first to claim it)
        self.exact: dict[bytes, int] = {}
        self.memo: dict[str, int] = {}
        self.common: set[int] = set()  # common sentences found by the last full build

    def __len__(self) -> int:
        return len(self.cluster_of)

    @classmethod
    def build(cls, rows: Iterable[tuple[Any, str]], known: Iterable[int] = ()) -> CommentIndex:
        index = cls()
        ids: list[Any] = []

        def texts() -> Iterator[str]:
            for cid, text in rows:
                ids.append(cid)
                yield text

        corpus = parse_corpus(texts(), index.memo)
        index.common, fps, grouping = group_corpus(corpus, known)
        del corpus
        informative = np.flatnonzero(fps.informative)
        flat, offsets = _lsh_flat(fps, informative)
        keys = band_keys(signatures_flat(flat, offsets))
        by_group: dict[int, int] = {}
        for row, pos in enumerate(informative.tolist()):
            g = int(grouping.group_of[pos])
            if g >= 0 and g in by_group:
                c = by_group[g]
            else:
                rep = grouping.representative[g] if g >= 0 else pos
                c = len(index.clusters)
                index.clusters.append(_Cluster(ids[rep], fps[rep]))
                if g >= 0:
                    by_group[g] = c
            index._attach(ids[pos], fps[pos], keys[row], c)
        for pos in np.flatnonzero(~fps.informative).tolist():
            index.cluster_of[ids[pos]] = -1  # too short to compare: remembered, unmatched
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
        best = best_match(fp, ((c, self.clusters[c].prepared()) for c in self.candidates(fp, keys)))
        if best < 0:
            best = len(self.clusters)
            self.clusters.append(_Cluster(cid, fp))
        self._attach(cid, fp, keys, best)
        cluster = self.clusters[best]
        return Match(best, len(cluster.members), cluster.rep_id)

    def groups(self) -> list[list[Any]]:
        out = [list(c.members) for c in self.clusters if len(c.members) >= 2]
        out.sort(key=lambda m: -len(m))
        return out
