"""Every accounts, organisations, admin and audit page renders in Persian, right to left."""

from __future__ import annotations

import httpx

from participation.audit.services import record
from participation.db import transaction
from tests.conftest import login
from tests.factories import make_body, make_user

PUBLIC = [
    "/account/login",
    "/account/register",
    "/account/register/sent",
    "/account/confirm/resend",
    "/account/password/reset",
    "/audit/",
    "/audit/verify",
    "/bodies/health",
]
SIGNED_IN = [
    "/account/profile",
    "/admin/",
    "/admin/?q=example",
    "/admin/bodies/new",
    "/admin/bodies/health/edit",
    "/admin/bodies/health/members",
    "/admin/moderators",
]


async def test_every_page_renders_in_persian_right_to_left(client: httpx.AsyncClient) -> None:
    await make_body("health", names={"en": "Ministry of Health"})
    async with transaction():
        await record(None, "test.action", "thing", 1)
    for page in PUBLIC:
        r = await client.get(page, params={"lang": "fa"})
        assert r.status_code == 200, page
        assert '<html lang="fa" dir="rtl">' in r.text, page
    await make_user("admin@example.org", admin=True, locale="fa")
    await login(client, "admin@example.org")
    for page in SIGNED_IN:
        r = await client.get(page)
        assert r.status_code == 200, page
        assert '<html lang="fa" dir="rtl">' in r.text, page
    r = await client.get("/account/password/reset/not-a-token", params={"lang": "fa"})
    assert r.status_code == 400 and 'dir="rtl"' in r.text
