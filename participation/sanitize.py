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
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

import bleach
from bleach.linkifier import LinkifyFilter

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


def sanitize_comment(text: str) -> str:
    """Safe HTML for a citizen's comment (see the module docstring for the syntax)."""
    cleaned = _first_pass.clean(normalise_newlines(text).strip())
    html = "".join(_block(b) for b in _blocks(cleaned))
    return _final_pass.clean(html)


def plain_text(text: str) -> str:
    """The words of a comment without any markup (for excerpts and campaign detection)."""
    return bleach.clean(normalise_newlines(text), tags=set(), strip=True, strip_comments=True)


def text_hash(text: str) -> str:
    """sha256 of the normalised words: copies that differ only in case, spacing, punctuation or
    markup hash the same, so copy-pasted campaigns can be grouped."""
    words = unicodedata.normalize("NFKC", plain_text(text)).casefold()
    words = words.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    norm = " ".join(re.findall(r"\w+", words))
    return hashlib.sha256(norm.encode()).hexdigest()
