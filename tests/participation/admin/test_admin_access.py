"""Admin pages are for administrators only."""

from __future__ import annotations

import httpx
import pytest

from participation.organisations.models import Body, Role
from tests.conftest import login, post_form
from tests.factories import make_body, make_moderator, make_official, make_user

PAGES = [
    "/admin/",
    "/admin/bodies/new",
    "/admin/bodies/health/edit",
    "/admin/bodies/health/members",
    "/admin/moderators",
]


@pytest.mark.parametrize("who", ["citizen", "official", "body moderator", "global moderator"])
async def test_everybody_but_admins_is_refused(client: httpx.AsyncClient, who: str) -> None:
    body = await make_body("health")
    email = "who@example.org"
    if who == "citizen":
        await make_user(email)
    elif who == "official":
        await make_official(body, Role.PUBLISHER, email=email)
    elif who == "body moderator":
        await make_moderator(body, email=email)
    else:
        await make_moderator(None, email=email)
    await login(client, email)
    for page in PAGES:
        r = await client.get(page)
        assert r.status_code == 403, page
        assert "Only administrators" in r.text
    r = await post_form(
        client, "/admin/bodies/new", {"slug": "mine", "original_locale": "en", "name_en": "Mine"}
    )
    assert r.status_code == 403
    assert await Body.filter(slug="mine").count() == 0


async def test_anonymous_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    await make_body("health")
    for page in PAGES:
        r = await client.get(page)
        assert r.status_code == 303, page
        assert "/account/login?next=" in r.headers["location"]


async def test_an_admin_sees_bodies_and_can_search_users(client: httpx.AsyncClient) -> None:
    await make_body("health", name="Ministry of Health")
    await make_user("admin@example.org", admin=True)
    await make_user("somebody@example.org", name="Somebody")
    await login(client, "admin@example.org")
    r = await client.get("/admin/")
    assert r.status_code == 200 and "Ministry of Health" in r.text
    r = await client.get("/admin/?q=someb")
    assert "somebody@example.org" in r.text and "admin@example.org</td>" not in r.text
