"""Searching petitions (``?q=`` on the list, both databases) and a body's page listing its
consultations and petitions."""

from __future__ import annotations

from petitions import queries
from petitions.models import Status
from tests.factories import make_body, make_consultation
from tests.petitions.conftest import make_petition


async def test_search_finds_words_of_title_and_text_in_any_language(db):
    body = await make_body()
    bikes = await make_petition(
        body, title="ایجاد مسیر دوچرخه‌سواری امن",
        action="از شهرداری مي‌خواهيم يک مسیر جداشده بسازد.", language="fa",
    )  # fmt: skip
    lights = await make_petition(
        body, title="Éclairer la route d'Ispahan", action="Installer des lampadaires.",
        language="fr",
    )  # fmt: skip
    trees = await make_petition(body, title="Plant trees", action="Plant 10000 trees by 2030.")

    async def found(q: str) -> set[int]:
        items, _next = await queries.public_list(q=q)
        return {p.id for p in items}

    # Persian typed on an Arabic keyboard (ي ك) and without the half-space finds the Persian text
    assert await found("دوچرخهسواري") == {bikes.id}
    assert await found("شهرداری") == {bikes.id}
    # case and accents do not matter; a word's beginning is enough; every word must match
    assert await found("eclairer ROUTE") == {lights.id}
    assert await found("lampad") == {lights.id}
    assert await found("eclairer trees") == set()
    # Persian digits find Latin ones
    assert await found("۱۰۰۰۰") == {trees.id}
    # no word at all: no filter
    assert await found("  ?!  ") == {bikes.id, lights.id, trees.id}


async def test_search_keeps_the_keyset_pages_and_the_other_filters(db):
    body, other = await make_body(), await make_body()
    matching = [await make_petition(body, title=f"Repair road {i}") for i in range(5)]
    await make_petition(other, title="Repair road elsewhere")
    await make_petition(body, title="Plant trees", action="Plant trees by the road.")
    await make_petition(body, title="Repair road, closed", status=Status.CLOSED)
    seen: list[int] = []
    cursor = None
    while True:
        items, cursor = await queries.public_list(
            q="repair", body_id=body.id, sort="newest", cursor=cursor, limit=2
        )
        seen += [p.id for p in items]
        if cursor is None:
            break
    assert seen == sorted((p.id for p in matching), reverse=True)


async def test_search_page_is_a_get_form_and_says_when_nothing_matches(client):
    body = await make_body()
    p = await make_petition(body, title="Keep libraries open in the evening")
    await make_petition(body, title="Plant trees", action="Plant trees by the road.")
    r = await client.get("/petitions/", params={"q": "librar"})
    assert r.status_code == 200
    assert f"/petitions/{p.id}" in r.text and "Plant trees" not in r.text
    assert 'method="get"' in r.text and 'name="q"' in r.text and 'value="librar"' in r.text
    r = await client.get("/petitions/", params={"q": "nothing like it", "lang": "fa"})
    assert r.status_code == 200
    assert "هیچ دادخواستی با جست‌وجوی شما" in r.text
    assert "nothing like it" in r.text  # what was typed is shown back
    # a search far too long is cut, never an error
    assert (await client.get("/petitions/", params={"q": "x" * 5000})).status_code == 200


async def test_a_body_page_lists_its_consultations_and_petitions(client):
    body = await make_body()
    other = await make_body()
    open_c = await make_consultation(body, status="open")
    closed_c = await make_consultation(body, status="closed")
    elsewhere = await make_consultation(other, status="open")
    open_p = await make_petition(body, title="Open petition to this body")
    closed_p = await make_petition(body, title="Closed petition to this body", status=Status.CLOSED)
    waiting = await make_petition(body, title="Waiting petition", status=Status.MODERATION)
    r = await client.get(f"/bodies/{body.slug}")
    assert r.status_code == 200
    for c in (open_c, closed_c):
        assert f"/consultations/{c.slug}" in r.text
    assert f"/consultations/{elsewhere.slug}" not in r.text
    for p in (open_p, closed_p):
        assert f"/petitions/{p.id}" in r.text
    assert f'/petitions/{waiting.id}"' not in r.text
    assert "Consultations of this body" in r.text and "Petitions to this body" in r.text
    r = await client.get(f"/bodies/{body.slug}", params={"lang": "fa"})
    assert r.status_code == 200 and "Consultations of this body" not in r.text


async def test_the_open_data_api_searches_too(client):
    body = await make_body()
    p = await make_petition(body, title="Keep libraries open in the evening")
    await make_petition(body, title="Plant trees", action="Plant trees by the road.")
    r = await client.get("/api/v1/petitions", params={"q": "LIBRAR"})
    assert r.status_code == 200
    assert [i["id"] for i in r.json()["items"]] == [p.id]
    assert (await client.get("/api/v1/petitions", params={"q": "x" * 201})).status_code == 400
