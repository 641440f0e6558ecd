"""Reports as PDF: the report's HTML laid out by WeasyPrint (Pango and HarfBuzz shape Persian
and Arabic and lay right-to-left lines from ``dir``). Self-contained HTML only: nothing is
fetched while printing, so a report can never make the server read a URL or a file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio.to_thread

from participation.caching import memo

# a snapshot never changes once built: its PDF in a language is kept a while (a few, bounded)
_pdfs = memo("report_pdfs", seconds=600, maxsize=16, clear_on_commit=False)


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"a report fetches nothing: {url[:80]}")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy (Pango through cffi): loaded on the first PDF only

    pdf = HTML(string=html, url_fetcher=_refuse).write_pdf()
    assert pdf is not None
    return bytes(pdf)


async def report_pdf(key: tuple[Any, ...], render: Callable[[], str]) -> bytes:
    """The PDF of the HTML ``render`` gives, laid out in a worker thread (the event loop
    keeps serving); ``key`` names what it shows (snapshot id, language) for the memo."""
    return await _pdfs.get(key, lambda: anyio.to_thread.run_sync(html_to_pdf, render()))
