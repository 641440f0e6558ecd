"""The profile: name, language and region."""

from __future__ import annotations

import httpx

from participation.accounts.models import User
from participation.audit.models import AuditEvent
from participation.audit.services import verify_chain
from tests.conftest import login, post_form
from tests.factories import make_user


async def test_changing_the_language_switches_the_site_to_it(client: httpx.AsyncClient) -> None:
    user = await make_user("kaveh@example.org", locale="en")
    await login(client, "kaveh@example.org")
    r = await client.get("/account/profile")
    assert 'dir="ltr"' in r.text
    r = await post_form(
        client,
        "/account/profile",
        {"display_name": "Kaveh", "locale": "fa", "region": "Yazd"},
        "/account/profile",
    )
    assert r.status_code == 303
    r = await client.get("/account/profile")
    assert '<html lang="fa" dir="rtl">' in r.text
    saved = await User.get(id=user.id)
    assert (saved.display_name, saved.locale, saved.region) == ("Kaveh", "fa", "Yazd")
    event = await AuditEvent.get(action="account.profile")
    assert event.actor_id == user.id
    assert event.data == {"changed": ["display_name", "locale", "region"]}
    assert await verify_chain() == (True, None)


async def test_an_empty_name_is_refused(client: httpx.AsyncClient) -> None:
    await make_user("kaveh@example.org", name="Kaveh")
    await login(client, "kaveh@example.org")
    r = await post_form(
        client, "/account/profile", {"display_name": " ", "locale": "en"}, "/account/profile"
    )
    assert r.status_code == 400 and 'id="display_name-error"' in r.text
    assert (await User.get(email="kaveh@example.org")).display_name == "Kaveh"


async def test_the_profile_asks_anonymous_visitors_to_sign_in(client: httpx.AsyncClient) -> None:
    r = await client.get("/account/profile")
    assert r.status_code == 303
    assert r.headers["location"].endswith("/account/login?next=%2Faccount%2Fprofile")
