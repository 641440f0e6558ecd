"""Which language a page is shown in."""

from __future__ import annotations

import httpx
import pytest

from participation.i18n import negotiate, parse_accept_language


@pytest.mark.parametrize(
    ("chosen", "query", "accept", "expected"),
    [
        ("fa", "fr", "ar", "fa"),  # explicit choice wins
        (None, "fr", "ar", "fr"),  # then ?lang=
        (None, None, "de-DE,ar;q=0.9,en;q=0.5", "ar"),  # then Accept-Language
        (None, "xx", "de", "en"),  # then the default
    ],
)
def test_locale_order(chosen: str | None, query: str | None, accept: str, expected: str) -> None:
    assert negotiate(chosen=chosen, query=query, accept_language=accept, default="en") == expected


def test_accept_language_quality_order() -> None:
    assert parse_accept_language("en;q=0.2, fa-IR;q=0.8, fr") == ["fr", "fa", "en"]
    assert parse_accept_language("garbage;q=x,,") == ["garbage"]


@pytest.mark.parametrize(
    ("lang", "direction"), [("en", "ltr"), ("fr", "ltr"), ("fa", "rtl"), ("ar", "rtl")]
)
async def test_page_sets_lang_and_dir(client: httpx.AsyncClient, lang: str, direction: str) -> None:
    r = await client.get(f"/?lang={lang}")
    assert f'<html lang="{lang}" dir="{direction}">' in r.text


async def test_accept_language_header_picks_persian(client: httpx.AsyncClient) -> None:
    r = await client.get("/", headers={"Accept-Language": "fa-IR,fa;q=0.9"})
    assert 'lang="fa"' in r.text
