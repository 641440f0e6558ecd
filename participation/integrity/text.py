"""Normalised words of a comment, for near-duplicate detection.

Two copies of one letter should give the same words however they were typed:

* Unicode NFKC (presentation forms, ligatures, full-width letters and digits), then case
  folding;
* diacritics removed: French accents (``é`` -> ``e``), Arabic harakat and tanwin, the hamza and
  madda carriers (``أ إ آ`` -> ``ا``, ``ؤ`` -> ``و``, ``ئ`` -> ``ی``), tatweel;
* Arabic and Persian letter variants made one: ``ي ى`` -> ``ی``, ``ك`` -> ``ک``,
  ``ة ۀ`` -> ``ه`` (an Arabic keyboard and a Persian one type different code points);
* zero-width non-joiner and joiner removed, so ``می‌خواهم`` (half-space), ``میخواهم`` and
  ``می خواهم`` (space) are one word: a separate ``می``/``نمی`` prefix is joined to the next
  word, a separate plural or comparative suffix (``ها``, ``تر``...) to the previous one;
* Arabic-Indic and Persian digits -> Latin digits;
* every other character that is not a letter or digit separates words (punctuation).

Quoted passages (between quotation marks, or lines starting with ``>``) are marked, so that a
comment quoting the draft or another comment is compared on its own words.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in range(0x30000):  # BMP, SMP, SIP: every combining mark in use
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if unicodedata.category(ch) == "Mn":  # combining marks: accents, harakat, hamza above
            table[cp] = None
    letters = {
        "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ە": "ه", "ہ": "ه",
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ۆ": "و", "ٸ": "ی", "ے": "ی",
        "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i",
    }  # fmt: skip
    for src, dst in letters.items():
        table[ord(src)] = dst
    for i in range(10):
        table[0x0660 + i] = str(i)  # Arabic-Indic digits
        table[0x06F0 + i] = str(i)  # Persian digits
    for cp in (0x200C, 0x200D, 0x0640, 0x200E, 0x200F, 0x00AD, 0xFEFF, 0x2060):
        table[cp] = None  # ZWNJ, ZWJ, tatweel, direction marks, soft hyphen, BOM, word joiner
    return table


_TABLE = _build_table()

# Persian words typed with a space where a half-space belongs.
_PREFIXES = frozenset({"می", "نمی", "بی"})
_SUFFIXES = frozenset({"ها", "های", "هایی", "هایم", "هایش", "تر", "ترین", "ای", "اند", "ام",
                       "ایم", "اید"})  # fmt: skip

# Function words of the platform's languages (after normalisation). A text must have enough
# OTHER words to be compared at all: see ``neardup.MIN_CONTENT``.
_STOPWORDS_RAW = """
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves also please thank thanks
dear hello hi regards sincerely yes ok okay agree disagree support oppose think
au aux avec ce ces cette dans de des du elle elles en et eux il ils je la le les leur leurs lui
ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta
te tes toi ton tu un une vos votre vous c d j l m n s t y ete etre avoir suis est sont etait
ont a ai as avons avez cela ca plus tres bien aussi tout tous toutes merci bonjour madame
monsieur cordialement accord contre
و در به از که این را با است برای آن یک تا بر هم نیز یا اما اگر هر می شود شد کرد کند کنند
باید بود های ها ای من ما شما او آنها ایشان خود نه هست نیست دارد داریم دارم کنیم کنم ام ایم
سلام با احترام ممنون متشکرم موافقم مخالفم لطفا خیلی بسیار همه چه چرا کجا وقتی چون پس
في من على إلى عن مع هذا هذه ذلك التي الذي أن إن كان كانت هو هي هم نحن أنا لا ما لم لن قد
ثم أو بل كل بعض عند حتى إذا لكن السلام عليكم شكرا أوافق أعارض جدا
"""


def normalise(text: str) -> str:
    """The text as it is compared: see the module docstring (punctuation kept, for sentences)."""
    t = unicodedata.normalize("NFKC", text).casefold()
    return unicodedata.normalize("NFD", t).translate(_TABLE)


_WORD = re.compile(r"[^\W_]+")

STOPWORDS = frozenset(w for raw in _STOPWORDS_RAW.split() for w in _WORD.findall(normalise(raw)))

# The same mapping as ``_TABLE`` as an array over code points (``str.translate`` looks every
# character up in a dict; this maps a whole batch of texts at once). Multi-letter
# replacements are done with ``str.replace`` first.
_DELETE = np.uint32(0xFFFFFFFF)
_LIMIT = 0x30000
_MULTI = {chr(cp): v for cp, v in _TABLE.items() if v is not None and len(v) > 1}
_LUT = np.arange(_LIMIT, dtype=np.uint32)
for _cp, _v in _TABLE.items():
    if _v is None:
        _LUT[_cp] = _DELETE
    elif len(_v) == 1:
        _LUT[_cp] = ord(_v)


def _normalise_joined(text: str) -> str:
    """``normalise`` of a long text (many comments joined), the character mapping done with
    NumPy."""
    t = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    for src, dst in _MULTI.items():
        if src in t:
            t = t.replace(src, dst)
    cps = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32)
    high = cps >= _LIMIT
    mapped = _LUT[np.where(high, 0, cps)]
    if high.any():
        mapped[high] = cps[high]
    return mapped[mapped != _DELETE].tobytes().decode("utf-32-le")


_SENTENCE_MARKS = ".!?؟;؛…:"
_QUOTE_MARKS = '"“”«»„'
_SEPARATOR = rf"[^\w{_SENTENCE_MARKS}{_QUOTE_MARKS}\n\x00]+"  # between two words of a sentence
# Persian words typed with a space where a half-space belongs: a separate prefix joins the
# next word, a separate suffix the previous one (only Arabic-script words can match).
_GLUE_PREFIX = re.compile(
    rf"({'|'.join(sorted(_PREFIXES, key=len, reverse=True))}){_SEPARATOR}(?=\w)"
)
_GLUE_SUFFIX = re.compile(
    rf"([\u0600-\u06ff]){_SEPARATOR}({'|'.join(sorted(_SUFFIXES, key=len, reverse=True))})(?!\w)"
)
# words, runs of sentence marks, quotation marks, and line starts (a comment's first line
# starts with \x00, the others with \n; ``>`` after it quotes the line)
_TOKEN = re.compile(rf"\w+|[{_SENTENCE_MARKS}]+|[{_QUOTE_MARKS}]|[\n\x00][^\S\n]*>?")

# codes of what is not a word (a word's code is its hash, >= 0)
_BREAK, _MARK, _LINE, _LINE_QUOTED, _DOC, _DOC_QUOTED = -1, -2, -3, -4, -5, -6


def _glue_prefix(m: re.Match[str]) -> str:
    s = m.start()
    return m.group(0) if s and m.string[s - 1].isalnum() else m.group(1)


def _code(token: str) -> int:
    c = token[0]
    if c == "\x00":
        return _DOC_QUOTED if token[-1] == ">" else _DOC
    if c == "\n":
        return _LINE_QUOTED if token[-1] == ">" else _LINE
    if c in _QUOTE_MARKS:
        return _MARK
    if c in _SENTENCE_MARKS:
        return _BREAK
    stop = token in STOPWORDS or token.isdigit()
    return zlib.crc32(token.encode()) | (1 << 32 if stop else 0)


@dataclass(slots=True)
class Tokens:
    """The words of many comments, flat, in order: per word its hash, whether it is a function
    word or a number, its comment (0-based), its sentence (numbers increasing through the
    batch) and whether it is quoted."""

    hashes: np.ndarray  # uint32
    stop: np.ndarray  # bool
    doc: np.ndarray  # int64
    sentence: np.ndarray  # int64
    quoted: np.ndarray  # bool
    words: list[str] | None = None  # the words themselves, when asked for


def tokenise(texts: Sequence[str], memo: dict[str, int], keep_words: bool = False) -> Tokens:
    """The words of ``texts`` (see the module docstring), all at once. ``memo`` maps each
    token seen to its code and is shared between calls of one run.

    Quotation marks are matched as pairs of any of ``" “ ” « » „``; when a text has an odd
    number of them, none counts (an unmatched mark is a typo, not a quotation). A line
    starting with ``>`` is quoted to its end. Sentences end at ``. ! ? ; … :``, at quotation
    marks and at line ends.
    """
    n = len(texts)
    joined = _normalise_joined("\x00" + "\x00".join(t.replace("\x00", " ") for t in texts))
    joined = joined.replace("_", " ")
    joined = _GLUE_SUFFIX.sub(r"\1\2", _GLUE_PREFIX.sub(_glue_prefix, joined))
    toks = _TOKEN.findall(joined)
    for t in set(toks).difference(memo):
        memo[t] = _code(t)
    codes = np.fromiter(map(memo.__getitem__, toks), dtype=np.int64, count=len(toks))
    is_doc = codes <= _DOC
    doc = np.cumsum(is_doc) - 1
    # quotation marks count only in a text with an even number of them
    is_mark = codes == _MARK
    marks = np.bincount(doc[is_mark], minlength=n)
    mark = is_mark & ((marks > 0) & (marks % 2 == 0))[doc]
    inside = np.cumsum(mark)
    inside -= inside[np.flatnonzero(is_doc)][doc]
    # a line starting with ">" is quoted to its end
    is_line = codes <= _LINE
    line_start = np.maximum.accumulate(np.where(is_line, np.arange(codes.size), 0))
    line_quoted = ((codes == _LINE_QUOTED) | (codes == _DOC_QUOTED))[line_start]
    sentence = np.cumsum((codes == _BREAK) | is_line | mark)
    word = codes >= 0
    c = codes[word]
    return Tokens(
        hashes=(c & 0xFFFFFFFF).astype(np.uint32),
        stop=(c >> 32) != 0,
        doc=doc[word],
        sentence=sentence[word],
        quoted=((inside % 2 == 1) | line_quoted)[word],
        words=[t for t, w in zip(toks, word.tolist(), strict=True) if w] if keep_words else None,
    )


@dataclass(slots=True)
class Words:
    """The words of one comment: all of them in order, which of them are quoted, and the
    sentence each one belongs to."""

    words: list[str]
    quoted: list[bool]
    sentence: list[int]

    def own(self) -> list[str]:
        """The words outside quotations."""
        return [w for w, q in zip(self.words, self.quoted, strict=True) if not q]


def words(text: str) -> Words:
    """Normalised words of one text with their quotation and sentence marks (``tokenise``)."""
    t = tokenise([text], {}, keep_words=True)
    assert t.words is not None
    return Words(t.words, t.quoted.tolist(), t.sentence.tolist())


def content_words(tokens: list[str]) -> list[str]:
    """The words that are not function words, greetings or bare agreement."""
    return [t for t in tokens if t not in STOPWORDS and not t.isdigit()]
