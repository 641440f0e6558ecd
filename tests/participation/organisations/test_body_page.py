"""The public page of a body."""

from __future__ import annotations

import httpx

from tests.factories import make_body


async def test_persian_reader_sees_the_english_name_marked_untranslated(
    client: httpx.AsyncClient,
) -> None:
    await make_body("health", names={"en": "Ministry of Health"})
    r = await client.get("/bodies/health?lang=fa")
    assert r.status_code == 200
    assert 'dir="rtl"' in r.text
    assert '<span lang="en" dir="auto">Ministry of Health</span>' in r.text
    assert 'class="untranslated"' in r.text


async def test_a_translated_name_is_shown_without_the_mark(client: httpx.AsyncClient) -> None:
    await make_body("health", names={"en": "Ministry of Health", "fa": "وزارت بهداشت"})
    r = await client.get("/bodies/health?lang=fa")
    assert "وزارت بهداشت" in r.text
    assert 'class="untranslated"' not in r.text


async def test_the_page_links_parent_and_units(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", name="Ministry of Roads")
    await make_body("agency", name="Road Agency", parent=ministry)
    r = await client.get("/bodies/ministry")
    assert 'href="http://testserver/bodies/agency"' in r.text and "Road Agency" in r.text
    r = await client.get("/bodies/agency")
    assert 'href="http://testserver/bodies/ministry"' in r.text


async def test_an_unknown_body_is_404(client: httpx.AsyncClient) -> None:
    r = await client.get("/bodies/nothing-here")
    assert r.status_code == 404
