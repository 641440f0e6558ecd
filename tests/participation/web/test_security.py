"""CSRF, security headers, cookies and hostile input, on every kind of request."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from participation.app import create_app
from participation.settings import Settings
from tests.conftest import csrf_token


async def test_post_without_csrf_token_is_refused_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    r = await client.post("/language", data={"lang": "fa", "next": "/"})
    assert r.status_code == 403
    assert "expired" in r.text
    r = await client.get("/")
    assert 'lang="en"' in r.text


async def test_post_with_wrong_token_is_refused(client: httpx.AsyncClient) -> None:
    await csrf_token(client)
    r = await client.post("/language", data={"lang": "fa", "csrf_token": "forged"})
    assert r.status_code == 403


async def test_post_with_token_in_form_or_header_is_accepted(client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)
    r = await client.post("/language", data={"lang": "fa", "next": "/", "csrf_token": token})
    assert r.status_code == 303
    r = await client.get("/")
    assert 'lang="fa"' in r.text and 'dir="rtl"' in r.text
    r = await client.post("/language", data={"lang": "fr"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 303


async def test_csrf_refusal_is_translated(client: httpx.AsyncClient) -> None:
    r = await client.post("/language?lang=fa", data={"lang": "fa"})
    assert r.status_code == 403
    assert 'dir="rtl"' in r.text


async def test_language_switch_only_redirects_to_local_paths(client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)
    r = await client.post(
        "/language", data={"lang": "ar", "next": "//evil.example/", "csrf_token": token}
    )
    assert r.headers["location"] == "/"


@pytest.mark.parametrize("url", ["/%00", "/?q=%00", "/consultations/?q=a%00b"])
async def test_nul_bytes_in_url_get_400(client: httpx.AsyncClient, url: str) -> None:
    r = await client.get(url)
    assert r.status_code == 400


async def test_nul_bytes_in_form_body_get_400(client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)
    r = await client.post("/language", data={"lang": "fa\x00", "csrf_token": token})
    assert r.status_code == 400


async def test_every_response_has_security_headers(client: httpx.AsyncClient) -> None:
    for url in ("/", "/healthz", "/does-not-exist", "/api/v1/openapi.json"):
        r = await client.get(url)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"]
        assert r.headers["x-request-id"]
        assert "strict-transport-security" not in r.headers  # development


async def test_session_cookie_is_httponly_and_lax(client: httpx.AsyncClient) -> None:
    r = await client.get("/")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie


async def test_production_adds_hsts_and_secure_cookie(settings: Settings, db: Starlette) -> None:
    app = create_app(settings.with_(env="production"))
    # the lifespan of the test app (db fixture) already set up the ORM
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        app.state.limiter = db.state.limiter
        r = await c.get("/")
    assert "max-age" in r.headers["strict-transport-security"]
    assert "secure" in r.headers["set-cookie"].lower()


async def test_unknown_page_is_a_translated_404(client: httpx.AsyncClient) -> None:
    r = await client.get("/nowhere?lang=fa")
    assert r.status_code == 404
    assert 'lang="fa"' in r.text and "<h1>" in r.text
    r = await client.get("/api/v1/nowhere")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")


async def test_metrics_and_readiness(client: httpx.AsyncClient) -> None:
    await client.get("/")
    r = await client.get("/metrics")
    assert "http_requests_total" in r.text and "http_request_duration_seconds_bucket" in r.text
    r = await client.get("/readyz")
    assert r.json() == {"ready": True, "checks": {"database": "ok"}}
