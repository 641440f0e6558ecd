"""The one sanitiser: light markup in, safe HTML out; XSS payloads come out harmless."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from participation import sanitize
from participation.sanitize import sanitize_comment, text_hash

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java&#09;script:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{display:none}</style>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<svg/onload=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<iframe src="https://evil.example"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><img src=x onerror=alert(1)>',
    "<!--<img src=x onerror=alert(1)>-->",
    '<a href="https://ok.example" onclick="alert(1)" style="x" target="_blank">ok</a>',
    "<em onmouseover=alert(1)>hover</em>",
    "<form action=https://evil.example><input name=x></form>",
    "[link](javascript:alert(1))",
]

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a"}


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_come_out_harmless(payload: str) -> None:
    html = sanitize_comment(payload)
    tags = {t.lower() for t in re.findall(r"<\s*/?\s*([a-zA-Z0-9]+)", html)}
    assert tags <= ALLOWED_TAGS, html
    attrs = set(re.findall(r"\s([a-zA-Z:-]+)=", html))
    assert attrs <= {"href", "rel"}, html
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("http://", "https://", "mailto:")), html


def test_paragraphs_line_breaks_and_emphasis() -> None:
    html = sanitize_comment("First line\nsecond line\n\nNew *paragraph* with **strong** words")
    assert html == (
        "<p>First line<br>second line</p>"
        "<p>New <em>paragraph</em> with <strong>strong</strong> words</p>"
    )


def test_lists_and_quotes() -> None:
    assert sanitize_comment("- one\n- two") == "<ul><li>one</li><li>two</li></ul>"
    assert sanitize_comment("1. one\n2. two") == "<ol><li>one</li><li>two</li></ol>"
    assert sanitize_comment("> they said\n> this") == (
        "<blockquote><p>they said<br>this</p></blockquote>"
    )


def test_typed_html_of_the_allowed_subset_is_kept() -> None:
    html = sanitize_comment(
        "<strong>Bold</strong> and <em>soft</em>\n\n<blockquote>Cited</blockquote>"
    )
    assert html == "<p><strong>Bold</strong> and <em>soft</em></p><blockquote>Cited</blockquote>"


def test_links_get_nofollow_ugc_and_bare_addresses_are_linked() -> None:
    html = sanitize_comment(
        'See https://example.org/a?b=1&c=2 and <a href="https://gov.example">this</a>'
    )
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc">' in html
    assert '<a href="https://gov.example" rel="nofollow ugc">this</a>' in html
    assert 'rel="nofollow ugc"' in sanitize_comment('<a href="https://x.example" rel="me">x</a>')


def test_text_that_looks_like_markup_is_escaped_not_dropped() -> None:
    assert sanitize_comment("1 < 2 and 3 > 2 & so on") == "<p>1 &lt; 2 and 3 &gt; 2 &amp; so on</p>"
    assert sanitize_comment("a * b * c") == "<p>a * b * c</p>"


def test_persian_text_passes_unchanged() -> None:
    assert sanitize_comment("سلام\n\nخداحافظ") == "<p>سلام</p><p>خداحافظ</p>"


def test_copies_that_differ_in_case_spacing_punctuation_or_markup_hash_the_same() -> None:
    h = text_hash("Stop the project now!")
    assert text_hash("stop  the PROJECT, now") == h
    assert text_hash("<em>Stop</em> the project now.") == h
    assert text_hash("Stop the project later") != h


def test_a_typed_list_with_blank_lines_stays_one_list() -> None:
    html = sanitize_comment("<ul><li>a</li>\n\n<li>b</li></ul>\n\nafter")
    assert html == "<ul><li>a</li>\n<li>b</li></ul><p>after</p>"


# ---- one sanitising for a posted comment: the same HTML, words and hash --------------------

PIECES = [
    "<p>", "</p>", "<em>", "</em>", "<EM>", "<em >", "</ em>", "</em x", "<strong>", "</strong>",
    "</strong >", '<a href="https://x.org/a>b">', "<a href=javascript:x>", "</a>", "<a", "<em",
    "<ul>", "</ul>", "<li>", "</li>", "<br>", "<br/>", "<div>", "</div>", "<table>", "<td>",
    "<script>", "</script>", "<!-- c -->", "<blockquote>", "</blockquote>", "<h1>", "<abbr>",
    "<img src=x onerror=1>", "**", "*", "\n", "\n\n", "\r\n", "- ", "> ", "1. ", "&", "&amp;",
    "<", ">", '"', " ", "word", "Wort", "كلمة", "é", "\x0c", "example.org",
    "https://ex.org/p?q=1", "mailto:a@b.c", "x@y.com",
]  # fmt: skip


def _reference_html(text: str) -> str:
    """What sanitize_comment gave before it learnt to skip the linkifier: always linkified."""
    first = sanitize._first_pass.clean(sanitize.normalise_newlines(text).strip())
    return sanitize._final_pass.clean("".join(sanitize._block(b) for b in sanitize._blocks(first)))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=25).map("".join))
def test_one_sanitising_gives_what_the_separate_passes_give(text: str) -> None:
    """``sanitise`` (two bleach passes, the linkifier only where a link may be) gives the HTML
    of the full passes, the words of ``plain_text`` and the hash of ``text_hash``."""
    got = sanitize.sanitise(text)
    assert got.html == _reference_html(text) == sanitize_comment(text)
    assert got.plain.strip() == sanitize.plain_text(text).strip()
    assert got.hash == text_hash(text)


def test_the_bench_comment_is_sanitised_in_two_passes() -> None:
    """A 2 KB comment with hand-typed <em>/<strong>, light markup and a bare address: linkified,
    and its words taken from the first pass (no third bleach pass for them)."""
    text = 6 * (
        "I support the **target for cleaner air**, but the *delivery vehicles* should go; see "
        "https://example.org/air-quality/report-2026 for the figures.\n\n- fewer vans\n"
        "- a <em>loading zone</em> on every block\n- <strong>real</strong> checks\n\n"
        "> The draft says 2030. That is too late.\n\n"
    )
    got = sanitize.sanitise(text)
    assert '<a href="https://example.org/air-quality/report-2026" rel="nofollow ugc">' in got.html
    assert "<em>loading zone</em>" in got.html and "<strong>real</strong>" in got.html
    assert got.plain == sanitize._SIMPLE_TAG.sub("", sanitize._first(text))
    assert got.hash == text_hash(text) and got.plain.strip() == sanitize.plain_text(text).strip()
