"""The open-data API (counts only) and the pages in Persian."""

from __future__ import annotations

import pytest

from petitions import counting
from petitions.models import Status
from tests.conftest import login
from tests.factories import make_body, make_moderator, make_user
from tests.petitions.conftest import add_signatures, make_petition


async def test_api_lists_open_petitions_by_count_with_a_cursor(client):
    body = await make_body("roads")
    petitions = [await make_petition(body) for _ in range(3)]
    for n, p in enumerate(petitions):
        await add_signatures(p, n + 1, region="gilan")
    await make_petition(body, status=Status.MODERATION)
    await counting.count_signatures()
    seen, cursor = [], None
    while True:
        r = await client.get(
            "/api/v1/petitions", params={"body": "roads", **({"cursor": cursor} if cursor else {})}
        )
        assert r.status_code == 200
        data = r.json()
        seen += [i["signature_count"] for i in data["items"]]
        cursor = data["next_cursor"]
        if not cursor:
            break
    assert seen == [3, 2, 1]
    one = (await client.get(f"/api/v1/petitions/{petitions[2].id}")).json()
    assert one["counts_by_region"] == [{"region": "gilan", "count": 3}]
    assert "email" not in str(one) and "name" not in one


async def test_petitions_are_in_the_openapi_document(client):
    doc = (await client.get("/api/v1/openapi.json")).json()
    assert "/api/v1/petitions" in doc["paths"]
    assert "/api/v1/petitions/{id}" in doc["paths"]


async def test_waiting_petitions_are_not_in_the_api(client):
    p = await make_petition(await make_body(), status=Status.SPONSORING)
    assert (await client.get(f"/api/v1/petitions/{p.id}")).status_code == 404


@pytest.mark.parametrize("path", ["/petitions/", "/petitions/{id}", "/petitions/moderation",
                                  "/petitions/{id}/signatures", "/petitions/new",
                                  "/petitions/moderation/blocked", "/"])  # fmt: skip
async def test_pages_render_in_persian(client, path):
    body = await make_body(names={"fa": "شهرداری تهران"})
    p = await make_petition(body, title="درختکاری در کنار رودخانه", language="fa")
    await add_signatures(p, 2, region="fars")
    await counting.count_signatures()
    await make_petition(body, status=Status.MODERATION, submitted_days_ago=30)
    mod = await make_moderator(None, locale="fa")
    await login(client, mod.email)
    r = await client.get(path.format(id=p.id), params={"lang": "fa"})
    assert r.status_code == 200, r.text[:300]
    assert 'dir="rtl"' in r.text


async def test_sponsor_page_renders_in_persian(client):
    p = await make_petition(await make_body(), status=Status.SPONSORING)
    await make_user()
    r = await client.get(f"/petitions/{p.id}/sponsor/{p.sponsor_token}", params={"lang": "fa"})
    assert r.status_code == 200 and 'dir="rtl"' in r.text


async def test_home_page_shows_the_most_signed_open_petitions(client):
    body = await make_body()
    big = await make_petition(body, title="The most supported petition of all")
    await add_signatures(big, 3)
    await counting.count_signatures()
    r = await client.get("/")
    assert "The most supported petition of all" in r.text


@pytest.mark.parametrize("query", [
    {"status": "waiting"}, {"sort": "loudest"}, {"body": "b" * 81}, {"cursor": "12"},
    {"cursor": "3-x"}, {"cursor": "99999999999-1"},
])  # fmt: skip
async def test_api_refuses_a_parameter_it_cannot_read(client, query):
    r = await client.get("/api/v1/petitions", params=query)
    assert r.status_code == 400
    assert next(iter(query)) in r.json()["detail"]


async def test_api_cursor_beyond_every_id_reads_from_the_top(client):
    await make_petition(await make_body())
    r = await client.get("/api/v1/petitions", params={"cursor": f"{2**31}-{10**10 - 1}"})
    assert r.status_code == 200 and len(r.json()["items"]) == 1


async def test_api_list_of_an_unknown_body_is_empty(client):
    await make_petition(await make_body("roads"))
    r = await client.get("/api/v1/petitions", params={"body": "nowhere", "status": ""})
    assert r.status_code == 200 and r.json() == {"items": [], "next_cursor": None}
    mine = await client.get("/api/v1/petitions", params={"body": "roads"})
    assert len(mine.json()["items"]) == 1


@pytest.mark.parametrize("pid", ["0", str(2**31 - 1), str(2**31), "99999999999999999999"])
async def test_api_petition_ids_that_cannot_exist_are_not_found(client, pid):
    assert (await client.get(f"/api/v1/petitions/{pid}")).status_code == 404


async def test_the_openapi_document_declares_the_parameters(client):
    doc = (await client.get("/api/v1/openapi.json")).json()
    listing = doc["paths"]["/api/v1/petitions"]["get"]
    params = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert params["status"]["enum"] == ["open", "closed", "rejected"]
    assert params["sort"]["enum"] == ["count", "newest"]
    assert "400" in listing["responses"]
    one = doc["paths"]["/api/v1/petitions/{id}"]["get"]
    assert [p["name"] for p in one["parameters"]] == ["id"]
