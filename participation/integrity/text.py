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
from dataclasses import dataclass


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
_SPLIT = re.compile(r"[.!?؟;؛…]+")
_SPLIT_MARKS = re.compile(r"[.!?؟;؛…]+|([\"“”«»„])")
_QUOTE_MARKS = frozenset('"“”«»„')
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


def _glue(tokens: list[str]) -> list[str]:
    """Persian half-space words typed with a space: ``می خواهم`` -> ``میخواهم``."""
    out: list[str] = []
    for tok in tokens:
        if out and (out[-1] in _PREFIXES or tok in _SUFFIXES):
            out[-1] += tok
        else:
            out.append(tok)
    return out


STOPWORDS = frozenset(w for raw in _STOPWORDS_RAW.split() for w in _WORD.findall(normalise(raw)))


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
    """Normalised words with their quotation and sentence marks.

    Quotation marks are matched as pairs of any of ``" “ ” « » „``; when a text has an odd
    number of them, none counts (an unmatched mark is a typo, not a quotation). A line
    starting with ``>`` is quoted to its end.
    """
    norm = normalise(text)
    marks = sum(norm.count(c) for c in '"“”«»„')
    splitter = _SPLIT_MARKS if marks and marks % 2 == 0 else _SPLIT
    glue = _ARABIC_SCRIPT.search(norm) is not None
    out: list[str] = []
    quoted: list[bool] = []
    sentence: list[int] = []
    in_quote = False
    sent = 0
    for line in norm.split("\n"):
        line_quote = line.lstrip().startswith(">")
        for piece in splitter.split(line):
            sent += 1
            if not piece:
                continue
            if piece in _QUOTE_MARKS:
                in_quote = not in_quote
                continue
            toks = _WORD.findall(piece)
            if not toks:
                continue
            if glue:
                toks = _glue(toks)
            out.extend(toks)
            quoted.extend([in_quote or line_quote] * len(toks))
            sentence.extend([sent] * len(toks))
    return Words(out, quoted, sentence)


def content_words(tokens: list[str]) -> list[str]:
    """The words that are not function words, greetings or bare agreement."""
    return [t for t in tokens if t not in STOPWORDS and not t.isdigit()]
