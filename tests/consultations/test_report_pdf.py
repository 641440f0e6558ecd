"""The feedback report as PDF: the page's report, laid out by WeasyPrint in the reader's
language; in Persian and Arabic the text read back from the PDF is the page's text."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser

import httpx
from pypdf import PdfReader

from consultations import report
from consultations.models import Consultation, Section, Status
from participation.comments.models import Stance
from participation.i18n.formatting import format_number
from tests.consultations.test_report import comment, planted, vote
from tests.factories import make_user

# pypdf reads a right-to-left line by turning around every Arabic-script character, digits
# included, which Pango wrote left to right: turn those digit runs back
_DIGIT_RUN = re.compile(
    r"[\u06f0-\u06f9\u0660-\u0669][\u06f0-\u06f9\u0660-\u0669\u066b\u066c\u066a]*"
)
_SPACE = re.compile(r"\s+")


class _ReportText(HTMLParser):
    """The text a reader sees in the page's ``<h1>`` and ``<div id="report">``: the words
    of the SVG charts' labels too (they are drawn), not their titles (the table captions
    say the same and the PDF draws those)."""

    def __init__(self, locale: str) -> None:
        super().__init__()
        self.locale = locale
        self.items: list[int] = []  # the open lists: items so far, -1 for a <ul>
        self.parts: list[str] = []
        self.depth = 0  # inside the report: its open elements
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += tag not in ("br", "img", "input", "rect", "circle", "path")
            self.skip += tag == "title"
            if tag in ("ol", "ul"):
                self.items.append(0 if tag == "ol" else -1)
            elif tag == "li" and self.items and self.items[-1] >= 0:
                self.items[-1] += 1  # the list's marker is drawn: "۱." in Persian
                self.parts.append(format_number(self.items[-1], self.locale) + ".")
        elif tag == "h1" or (tag == "div" and ("id", "report") in attrs):
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in ("br", "img", "input", "rect", "circle", "path"):
            self.depth -= 1
            if tag in ("ol", "ul"):
                self.items.pop()
            self.skip -= tag == "title"

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


_MARKS = re.compile("[\u064b-\u0652\u200c\u200f]")


def _letters(text: str) -> Counter[str]:
    """The characters of ``text`` without spaces, the joiners (ZWNJ) PDF readers drop and
    Arabic vowel marks (a PDF maps each glyph to one text: the glyph of a letter first drawn
    with a mark on it reads back with the mark wherever it is drawn)."""
    text = _MARKS.sub("", unicodedata.normalize("NFC", text))
    return Counter(ch for ch in text if not ch.isspace())


def page_text(html: str, locale: str) -> str:
    parser = _ReportText(locale)
    parser.feed(html)
    return _SPACE.sub(" ", " ".join(parser.parts)).strip()


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return _DIGIT_RUN.sub(lambda m: m.group(0)[::-1], text)


async def _world() -> dict:
    w = await planted()
    s1 = await Section.filter(consultation_id=w["c"].id).order_by("position").first()
    assert s1 is not None
    for text in ("این بند را بازنویسی کنید", "هذا البند جيد"):
        said = await comment("section", s1.id, stance=Stance.FOR, author=await make_user(),
                             text=text)  # fmt: skip
        await vote(said, await make_user(), 1)  # among the most supported
    await Consultation.filter(id=w["c"].id).update(status=Status.CLOSED)
    await report.request(w["c"].id, "closed")
    return w


async def test_the_pdf_in_persian_and_arabic_says_what_the_page_says(
    client: httpx.AsyncClient,
) -> None:
    w = await _world()
    url = f"/consultations/{w['c'].slug}/report"
    for lang in ("fa", "ar"):
        page = await client.get(f"{url}?lang={lang}")
        assert f'{url}.pdf"' in page.text
        r = await client.get(f"{url}.pdf?lang={lang}")
        assert r.status_code == 200, lang
        assert r.headers["content-type"] == "application/pdf"
        assert "attachment" in r.headers["content-disposition"]
        expected, got = page_text(page.text, lang), pdf_text(r.content)
        assert _letters(got) == _letters(expected), lang
        lines = {_SPACE.sub(" ", line).strip() for line in got.replace("\u200c", "").splitlines()}
        # headings and the citizens' words come back whole, in reading order
        for heading in re.findall(r"<h2[^>]*>([^<]+)</h2>", page.text):
            assert heading.replace("\u200c", "").strip() in lines, (lang, heading)
        assert "این بند را بازنویسی کنید" in lines and "هذا البند جيد" in lines
    assert "Persian" not in pdf_text((await client.get(f"{url}.pdf?lang=fa")).content)


async def test_no_pdf_before_a_report_is_built_nor_for_those_who_may_not_see_it(
    client: httpx.AsyncClient,
) -> None:
    w = await planted()  # open: the report is for its officials only
    url = f"/consultations/{w['c'].slug}/report.pdf"
    assert (await client.get(url)).status_code == 404
    await Consultation.filter(id=w["c"].id).update(status=Status.CLOSED)
    assert (await client.get(url)).status_code == 404  # closed, but nothing built yet
    await report.request(w["c"].id, "closed")
    r = await client.get(url + "?lang=en")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert "Who took part" in pdf_text(r.content)
