"""What a reader of a page sees as interface text, apart from what people wrote.

``ui_text(html)`` walks a page and returns its visible text runs (and the text of ``title``,
``aria-label``, ``alt``, ``placeholder`` and button values, which are read out too) that are
the interface's own. Left out:
- people's text: an element with ``dir="auto"`` (the mark of text whose direction is not the
  page's; in SVG ``unicode-bidi="plaintext"``), ``<bdi>`` (which isolates such text inside a sentence), a ``lang`` other than the
  page's, ``translate="no"``, and what a form shows back (``<textarea>``, ``<input value>``);
- in ``<title>``, the parts (between " · ") that are people's text elsewhere on the page;
- machine text: ``<code>``, ``<kbd>``, ``<samp>``, ``<pre>`` (hashes, addresses), scripts and
  styles.
Each run carries whether it is inside machine text, so that codes can still be looked for
there (a raw ``petition.reject`` in a ``<code>`` is still a code shown to a reader).
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
MACHINE = frozenset({"code", "kbd", "samp", "pre"})
HIDDEN = frozenset({"script", "style", "template", "textarea"})
READ_OUT = ("title", "aria-label", "alt", "placeholder")


@dataclass(frozen=True)
class Run:
    text: str
    tag: str  # the element it is in (or "@attr" for an attribute's text)
    machine: bool  # inside <code>/<kbd>/<samp>/<pre>


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        # (tag, people's text, machine text, hidden)
        self.stack: list[tuple[str, bool, bool, bool]] = []
        self.runs: list[Run] = []
        self.people: set[str] = set()  # people's text seen, to take out of the <title>
        self.title = ""

    def _state(self) -> tuple[bool, bool, bool]:
        if not self.stack:
            return False, False, False
        _tag, people, machine, hidden = self.stack[-1]
        return people, machine, hidden

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.page_lang = a.get("lang", "")
        people, machine, hidden = self._state()
        lang = a.get("lang")
        people = (
            people
            or a.get("dir") == "auto"
            or a.get("unicode-bidi") == "plaintext"  # SVG's dir="auto"
            or tag == "bdi"
            or (lang is not None and lang != self.page_lang and tag != "html")
            or a.get("translate") == "no"
        )
        machine = machine or tag in MACHINE
        hidden = hidden or tag in HIDDEN or "hidden" in a
        if not people and not hidden:
            for name in READ_OUT:
                if a.get(name, "").strip():
                    self._add(a[name], f"@{name}", machine)
            if tag == "input" and a.get("type") in ("submit", "button", "reset"):
                if a.get("value", "").strip():
                    self._add(a["value"], "@value", machine)
        if tag not in VOID:
            self.stack.append((tag, people, machine, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        people, machine, hidden = self._state()
        tag = self.stack[-1][0] if self.stack else ""
        if tag == "title":
            self.title += data
        elif people:
            self.people.add(" ".join(data.split()))
        elif not hidden:
            self._add(data, tag, machine)

    def _add(self, text: str, tag: str, machine: bool) -> None:
        text = " ".join(text.split())
        if text:
            self.runs.append(Run(text, tag, machine))


def ui_text(html: str) -> tuple[str, list[Run]]:
    """(the page's language, its interface text runs)."""
    walker = _Walker()
    walker.feed(html)
    walker.close()
    for part in walker.title.split(" · "):
        if " ".join(part.split()) not in walker.people:
            walker._add(part, "title", False)
    return walker.page_lang, walker.runs
