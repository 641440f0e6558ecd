"""Files for the attachment tests: a real PDF, and files that only start like one."""

from __future__ import annotations

import io

from pypdf import PdfWriter


def _one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _one_page_pdf()
# What a browser would render if it were served as HTML or SVG, behind a PDF's first bytes.
HTML_POLYGLOT = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG_POLYGLOT = (
    b'%PDF-1.4\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>\n%%EOF\n'
)
