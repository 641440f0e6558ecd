"""Open data, once for the whole /api/v1: ETag and 304, Last-Modified and 304, CORS for any
site on GET (never on other methods, never with credentials); the audit log's endpoints are in
the OpenAPI document."""

from __future__ import annotations

import httpx

from participation.audit.services import record
from participation.db import transaction
from tests.conftest import post_form


async def test_get_answers_carry_an_etag_and_304_when_unchanged(client: httpx.AsyncClient) -> None:
    async with transaction():
        await record(None, "petition.publish", "petition", 1)
    for url in ("/api/v1/audit", "/api/v1/petitions", "/api/v1/openapi.json"):
        r = await client.get(url)
        etag = r.headers["etag"]
        assert r.status_code == 200 and etag.startswith('"')
        assert r.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in r.headers
        again = await client.get(url, headers={"if-none-match": etag})
        assert again.status_code == 304 and again.content == b"", url
        assert again.headers["etag"] == etag and again.headers["access-control-allow-origin"] == "*"
        weak = await client.get(url, headers={"if-none-match": f'"other", W/{etag}'})
        assert weak.status_code == 304
    async with transaction():
        await record(None, "petition.publish", "petition", 2)
    changed = await client.get("/api/v1/audit", headers={"if-none-match": etag})
    assert changed.status_code == 200  # the openapi etag above is not the audit's
    r = await client.get("/api/v1/audit")
    assert (
        await client.get("/api/v1/audit", headers={"if-none-match": r.headers["etag"]})
    ).status_code == 304
    head = await client.head("/api/v1/audit")
    assert head.status_code == 200 and head.headers["etag"] == r.headers["etag"]


async def test_last_modified_is_the_newest_event_and_answers_304(client: httpx.AsyncClient) -> None:
    async with transaction():
        await record(None, "petition.publish", "petition", 1)
    r = await client.get("/api/v1/audit")
    stamp = r.headers["last-modified"]
    assert stamp.endswith(" GMT")
    same = await client.get("/api/v1/audit", headers={"if-modified-since": stamp})
    assert same.status_code == 304
    old = await client.get(
        "/api/v1/audit", headers={"if-modified-since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    )
    assert old.status_code == 200
    garbage = await client.get("/api/v1/audit", headers={"if-modified-since": "yesterday"})
    assert garbage.status_code == 200


async def test_cors_only_on_get(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/audit")
    assert r.status_code in (403, 405) and "access-control-allow-origin" not in r.headers
    page = await client.get("/audit/")  # pages are not open data
    assert "access-control-allow-origin" not in page.headers
    form = await post_form(client, "/language", {"lang": "fa", "next": "/"})
    assert "access-control-allow-origin" not in form.headers
    missing = await client.get("/api/v1/petitions/999999")
    assert missing.status_code == 404 and missing.headers["access-control-allow-origin"] == "*"
    assert "etag" not in missing.headers


async def test_the_openapi_document_has_the_audit_log(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/api/v1/openapi.json")).json()
    assert "/api/v1/audit" in doc["paths"] and "/api/v1/audit/checkpoints" in doc["paths"]
    names = {p["name"] for p in doc["paths"]["/api/v1/audit"]["get"]["parameters"]}
    assert {"body", "kind", "since", "until", "cursor", "limit"} <= names


async def test_a_day_is_written_as_the_document_says_or_refused(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/audit?since=2026-01-02")).status_code == 200
    for bad in ("-1.5e-55", "1767312000", "2026-1-2", "02/01/2026"):
        r = await client.get(f"/api/v1/audit?since={bad}&until=2026-01-03")
        assert r.status_code == 400, (bad, r.status_code)
