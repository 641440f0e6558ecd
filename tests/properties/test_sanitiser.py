"""Property-based tests of the one sanitiser: whatever a citizen types, what comes out has no
construct that can run script or load anything, and sanitising its own output changes nothing."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from participation.sanitize import ATTRIBUTES, PROTOCOLS, TAGS, sanitize_comment

# Pieces an attacker (or a clumsy writer) combines: markup, quotes, entities, schemes, our syntax.
PIECES = st.sampled_from([
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href=\"", "javascript:",
    "JaVaScRiPt:", "java&#09;script:", "data:text/html,", "vbscript:", "\">", "'", "<svg/onload=",
    "<style>", "<iframe src=", "<!--", "-->", "<a href=\"https://ok.example\">", "</a>", "<em>",
    "</em>", "<strong onclick=x>", "<p style=x>", "<math>", "<table>", "<ul>", "</ul>", "<li>",
    "> ", "- ", "1. ", "*", "**", "\n", "\n\n", " ", "https://ex.example/a?b=c&d=<e>", "&lt;",
    "&amp;", "&#x3C;", "<", ">", "=", "mailto:a@b.example", "<br>", "</p>", "<blockquote>",
    "{{ 7*7 }}", "{% if %}", "x", "word", "سلام", "\u200c", "<base href=//evil>",
    "<form action=//e>", "<object data=x>", "<embed src=x>", "<meta http-equiv=refresh>",
])  # fmt: skip
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=25).map("".join)

EVENT_OR_STYLE = ("on", "style", "src", "srcset", "formaction", "xlink:href", "action")


class Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.problems.append(f"tag {tag}")
        allowed = set(ATTRIBUTES.get(tag, ()))
        for name, value in attrs:
            if name not in allowed or name.startswith(EVENT_OR_STYLE):
                self.problems.append(f"attribute {name} on {tag}")
            if name == "href":
                scheme = (value or "").split(":", 1)[0].strip().lower()
                if ":" not in (value or "") or scheme not in PROTOCOLS:
                    self.problems.append(f"href {value!r}")

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")


def audit(html: str) -> list[str]:
    parser = Audit()
    parser.feed(html)
    parser.close()
    return parser.problems


@settings(max_examples=300)
@given(TEXT)
def test_output_never_contains_a_script_capable_construct(text: str) -> None:
    html = sanitize_comment(text)
    assert audit(html) == [], html


@settings(max_examples=300)
@given(TEXT)
def test_sanitising_is_idempotent(text: str) -> None:
    once = sanitize_comment(text)
    assert sanitize_comment(once) == once
