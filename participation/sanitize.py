"""The one module that turns citizens' text into HTML (and the only one importing bleach).

Input syntax of a comment: plain text in which a blank line starts a new paragraph and a single
newline is a line break, with a little light markup:

* ``*emphasis*`` and ``**strong**``, or the tags ``<em> <strong>`` typed by hand;
* a block whose lines all start with ``- `` or ``* `` is a list, ``1. `` a numbered list;
* a block whose lines all start with ``> `` is a quotation;
* bare http(s) addresses become links; ``<a href="...">`` typed by hand is kept for http, https
  and mailto only; every link gets ``rel="nofollow ugc"``.

Allowed HTML typed by the user: ``<p> <br> <em> <strong> <ul> <ol> <li> <blockquote> <a href>``.
Everything else is removed (its text kept, escaped). The result passes through one last bleach
pass with the same allowlist, so no transformation here can produce unsafe markup.

What posting a comment costs here (bleach is pure Python, about a millisecond per pass over
2 KB): ``sanitise(text)`` gives the HTML, the plain words and their hash from two passes (the
first pass and the final one), where calling ``sanitize_comment``, ``plain_text`` twice (the
emptiness check, the hash) cost four, two of them building a new ``Cleaner`` each time. The
words come from the first pass with its tags removed when the text holds no tag but
``<em>`` and ``<strong>`` (then that is exactly what ``plain_text`` gives), otherwise from a
``plain_text`` pass. The final pass runs the linkifier only when
the HTML holds a link or something bleach would make one of (its own address pattern); the
Cleaners are built once, at import (configuration, not data).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import bleach
from bleach.linkifier import URL_RE, LinkifyFilter
from bleach.sanitizer import INVISIBLE_CHARACTERS_RE

TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a"})
ATTRIBUTES = {"a": ["href", "rel"]}
PROTOCOLS = frozenset({"http", "https", "mailto"})
REL = "nofollow ugc"

_BLOCK_START = re.compile(r"^\s*<(ul|ol|blockquote|p)[\s>]", re.I)
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_UL_ITEM = re.compile(r"^[-*]\s+(.*)$")
_OL_ITEM = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
_QUOTE = re.compile(r"^&gt;\s?(.*)$")


def _rel(attrs: dict[Any, str], new: bool = False) -> dict[Any, str]:
    href = attrs.get((None, "href"), "")
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme not in PROTOCOLS:
        return None  # type: ignore[return-value]  # bleach: drop the link, keep its text
    attrs[(None, "rel")] = REL
    return attrs


_first_pass = bleach.sanitizer.Cleaner(
    tags=TAGS, attributes={"a": ["href"]}, protocols=PROTOCOLS, strip=True,
    strip_comments=True,
)  # fmt: skip
_final_pass = bleach.sanitizer.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    protocols=PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[lambda source: LinkifyFilter(source, callbacks=[_rel], parse_email=False)],
)
# the final pass for HTML with no link in it and nothing the linkifier would turn into one
_final_pass_no_links = bleach.sanitizer.Cleaner(
    tags=TAGS, attributes=ATTRIBUTES, protocols=PROTOCOLS, strip=True, strip_comments=True
)
_strip_all = bleach.sanitizer.Cleaner(tags=set(), strip=True, strip_comments=True)


def _inline(line: str) -> str:
    line = _STRONG.sub(r"<strong>\1</strong>", line)
    return _EM.sub(r"<em>\1</em>", line)


def _block(block: str) -> str:
    lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
    if not lines:
        return ""
    if _BLOCK_START.match(block):  # typed HTML: blank lines inside it mean nothing
        return re.sub(r"\n\s*", "\n", block.strip())
    if all(_UL_ITEM.match(ln) for ln in lines):
        items = "".join("<li>" + _inline(_UL_ITEM.sub(r"\1", ln)) + "</li>" for ln in lines)
        return f"<ul>{items}</ul>"
    if all(_OL_ITEM.match(ln) for ln in lines):
        items = "".join("<li>" + _inline(_OL_ITEM.sub(r"\1", ln)) + "</li>" for ln in lines)
        return f"<ol>{items}</ol>"
    if all(_QUOTE.match(ln) for ln in lines) and any(_QUOTE.sub(r"\1", ln) for ln in lines):
        inner = "<br>".join(_inline(_QUOTE.sub(r"\1", ln)) for ln in lines)
        return f"<blockquote><p>{inner}</p></blockquote>"
    return "<p>" + "<br>".join(_inline(ln) for ln in lines) + "</p>"


_OPEN = re.compile(r"<(ul|ol|blockquote)\b", re.I)
_CLOSE = re.compile(r"</(ul|ol|blockquote)\s*>", re.I)


def _blocks(text: str) -> list[str]:
    """Split on blank lines, except inside a typed <ul>, <ol> or <blockquote>."""
    out: list[str] = []
    depth = 0
    for part in re.split(r"\n[ \t]*\n", text):
        if depth > 0:
            out[-1] += "\n" + part
        else:
            out.append(part)
        depth = max(0, depth + len(_OPEN.findall(part)) - len(_CLOSE.findall(part)))
    return out


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _final(html: str) -> str:
    if "<a" in html or URL_RE.search(html):
        return _final_pass.clean(html)
    return _final_pass_no_links.clean(html)


def _first(text: str) -> str:
    return _first_pass.clean(normalise_newlines(text).strip())


def _html(first: str) -> str:
    return _final("".join(_block(b) for b in _blocks(first)))


def sanitize_comment(text: str) -> str:
    """Safe HTML for a citizen's comment (see the module docstring for the syntax)."""
    return _html(_first(text))


def plain_text(text: str) -> str:
    """The words of a comment without any markup (for excerpts and campaign detection)."""
    return _strip_all.clean(normalise_newlines(text))


# Text whose only "<" open the tags <em> </em> <strong> </strong> (typed by hand: the common
# case): its first pass keeps these and escapes nothing else into a tag, and the plain pass
# strips them to nothing, so its words are the first pass's output without them (unless it
# holds control characters, which bleach's two passes do not replace alike).
_NOT_SIMPLE = re.compile(r"<(?!/?(?:em|strong)>)", re.I)
_SIMPLE_TAG = re.compile(r"</?(?:em|strong)>")


@dataclass(frozen=True, slots=True)
class Sanitised:
    html: str  # sanitize_comment(text)
    plain: str  # plain_text(text), up to white space at either end
    hash: str  # text_hash(text)


def sanitise(text: str) -> Sanitised:
    """The HTML, plain words and hash of a comment in two bleach passes (see the module
    docstring); the same values as ``sanitize_comment``, ``plain_text`` and ``text_hash``."""
    first = _first(text)
    html = _html(first)
    simple = not _NOT_SIMPLE.search(text) and not INVISIBLE_CHARACTERS_RE.search(text)
    plain = _SIMPLE_TAG.sub("", first) if simple else plain_text(text)
    return Sanitised(html, plain, _hash_of_plain(plain))


def text_hash(text: str) -> str:
    """sha256 of the normalised words: copies that differ only in case, spacing, punctuation or
    markup hash the same, so copy-pasted campaigns can be grouped."""
    return _hash_of_plain(plain_text(text))


def _hash_of_plain(plain: str) -> str:
    words = unicodedata.normalize("NFKC", plain).casefold()
    words = words.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    norm = " ".join(re.findall(r"\w+", words))
    return hashlib.sha256(norm.encode()).hexdigest()
