"""Server-side SVG bar charts of reports: no JavaScript, labelled in the page's language with
its digits, mirrored right-to-left; each chart goes next to a table with the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count
from typing import Any

from markupsafe import Markup, escape

from participation.i18n import direction
from participation.i18n.formatting import format_number, format_percent

WIDTH = 640
ROW = 26
LABEL = 220  # room for the labels
VALUE = 80  # room for the value after the bar
_ids = count(1)


class PeopleText(str):
    """A chart label that people wrote (a region as typed in a profile), not the interface's:
    drawn isolated, its direction taken from its own letters (SVG's ``unicode-bidi``
    ``plaintext``, as ``dir="auto"`` does in HTML)."""


def bar_chart(
    title: str,
    rows: Sequence[Sequence[Any]],
    *,
    percent: bool = False,
    locale: str | None = None,
) -> Markup:
    """A horizontal bar chart of ``(label, value, ...)`` rows (anything after the value is
    ignored); percentages are given as 0..100."""
    rtl = direction(locale) == "rtl"
    peak = max((float(r[1]) for r in rows), default=0) or 1
    span = WIDTH - LABEL - VALUE
    height = ROW * max(len(rows), 1) + 8
    ident = f"chart-{next(_ids)}"

    def x(pos: float) -> float:  # LTR position -> the page's direction
        return WIDTH - pos if rtl else pos

    start, end = ("start", "end") if rtl else ("end", "start")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{ident}" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'direction="{"rtl" if rtl else "ltr"}"><title id="{ident}">{escape(title)}</title>'
    ]
    for i, (label, value, *_rest) in enumerate(rows):
        y = 4 + i * ROW
        w = span * (value / peak) if value > 0 else 0
        shown = format_percent(value / 100, locale) if percent else format_number(value, locale)
        bar_x = x(LABEL + w) if rtl else x(LABEL)
        parts.append(
            f'<text x="{x(LABEL - 8):.1f}" y="{y + 17}" text-anchor="{start}"{_isolated(label)}>'
            f"{escape(label)}</text>"
            f'<rect x="{bar_x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW - 8}" '
            f'fill="currentColor" opacity="0.6"/>'
            f'<text x="{x(LABEL + w + 6):.1f}" y="{y + 17}" text-anchor="{end}">'
            f"{escape(shown)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _isolated(label: object) -> str:
    return ' unicode-bidi="plaintext"' if isinstance(label, PeopleText) else ""


def _auto(label: object) -> str:
    return ' dir="auto"' if isinstance(label, PeopleText) else ""


SHAPES = ("circle", "square", "triangle", "diamond", "cross")


def scatter_chart(
    title: str, points: Sequence[Sequence[float]], *, locale: str | None = None
) -> Markup:
    """Participants as points ``(x, y, group)`` (no names), one shape per group, mirrored
    right-to-left; the groups' sizes go in the table beside it."""
    rtl = direction(locale) == "rtl"
    size = 320
    pad = 16
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [0.0]
    span = max(max(map(abs, xs)), max(map(abs, ys))) or 1.0
    ident = f"chart-{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{ident}" viewBox="0 0 {size} {size}" width="{size}">'
        f'<title id="{ident}">{escape(title)}</title>'
    ]
    half = size / 2
    for x, y, group in points:
        cx = half + (half - pad) * x / span
        cx = size - cx if rtl else cx
        cy = half - (half - pad) * y / span
        shape = SHAPES[int(group) % len(SHAPES)]
        if shape == "circle":
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="currentColor"/>')
        elif shape == "square":
            parts.append(
                f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="none" stroke="currentColor"/>'
            )
        elif shape == "triangle":
            parts.append(
                f'<path d="M{cx:.1f} {cy - 5:.1f}l5 9h-10z" fill="currentColor" opacity="0.6"/>'
            )
        elif shape == "diamond":
            parts.append(
                f'<path d="M{cx:.1f} {cy - 5:.1f}l5 5l-5 5l-5-5z" fill="none" stroke="currentColor"/>'
            )
        else:
            parts.append(
                f'<path d="M{cx - 4:.1f} {cy - 4:.1f}l8 8m0-8l-8 8" stroke="currentColor"/>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_boxes(
    title: str,
    rows: Sequence[Sequence[Any]],
    *,
    percent: bool = False,
    locale: str | None = None,
) -> Markup:
    """The same bars as ``bar_chart`` drawn as HTML boxes, for the PDF: WeasyPrint shapes and
    orders the text of boxes (Persian, Arabic) as the page's text, which it does not do for
    SVG text; the boxes follow the page's direction by themselves."""
    peak = max((float(r[1]) for r in rows), default=0) or 1
    parts = [f'<div class="bars" role="img" aria-label="{escape(title)}">']
    for label, value, *_rest in rows:
        share = 100 * float(value) / peak if value > 0 else 0
        shown = format_percent(value / 100, locale) if percent else format_number(value, locale)
        parts.append(
            f'<div class="bar-row"><span class="bar-label"{_auto(label)}>{escape(label)}</span>'
            f'<span class="bar-track"><span class="bar" style="width: {share:.1f}%"></span>'
            f'</span><span class="bar-value">{escape(shown)}</span></div>'
        )
    parts.append("</div>")
    return Markup("".join(parts))
