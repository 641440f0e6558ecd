"""SVG charts: labelled, in the reader's digits, mirrored right-to-left, escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from participation.i18n import set_locale
from participation.reports.rendering import bar_chart

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_a_chart_is_labelled_and_bars_scale_with_values() -> None:
    set_locale("en")
    root = _parse(str(bar_chart("Comments <by> day", [("Monday", 10), ("Tuesday", 5)])))
    assert root.find(f"{NS}title").text == "Comments <by> day"  # escaped, read back as text
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts == ["Monday", "10", "Tuesday", "5"]
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect")]
    assert widths[0] == 2 * widths[1] > 0


def test_persian_digits_and_mirrored_bars() -> None:
    set_locale("en")
    ltr = _parse(str(bar_chart("t", [("a", 40)], percent=True)))
    set_locale("fa")
    rtl = _parse(str(bar_chart("t", [("a", 40)], percent=True)))
    assert [t.text for t in rtl.iter(f"{NS}text")][1] == "۴۰٪"
    assert not re.search(r"[0-9]", "".join(t.text for t in rtl.iter(f"{NS}text")))
    lrect, rrect = next(ltr.iter(f"{NS}rect")), next(rtl.iter(f"{NS}rect"))
    width = float(lrect.get("width"))
    # the bar grows from the right edge of the label area in RTL: its mirror image
    assert float(rrect.get("x")) == 640 - float(lrect.get("x")) - width
    set_locale("en")
