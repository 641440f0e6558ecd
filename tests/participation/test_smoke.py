from __future__ import annotations

import httpx

from tests.factories import make_body


async def test_health_endpoints_answer(client: httpx.AsyncClient) -> None:
    r = await client.get("/healthz")
    assert r.status_code == 200 and r.text == "ok"
    r = await client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["checks"]["database"] == "ok"


async def test_home_lists_bodies_with_security_headers(client: httpx.AsyncClient) -> None:
    await make_body("ministry", name="Ministry of Roads")
    r = await client.get("/")
    assert r.status_code == 200
    assert "Ministry of Roads" in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "referrer-policy" in r.headers
