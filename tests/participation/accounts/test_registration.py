"""Signing up: confirmation by mail, no account enumeration, CSRF."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from participation.accounts.models import User
from participation.audit.models import AuditEvent
from participation.settings import Settings
from tests.conftest import post_form
from tests.factories import links_in, make_user, sent_mails

NEW = {
    "email": "Neda@Example.org",
    "password": "a-long-password",
    "display_name": "ندا",
    "locale": "fa",
    "region": "Shiraz",
}


async def _register(client: httpx.AsyncClient, **changes: str) -> httpx.Response:
    return await post_form(client, "/account/register", {**NEW, **changes}, "/account/register")


async def test_register_confirm_from_the_mail_then_sign_in(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    r = await _register(client)
    assert r.status_code == 303
    assert r.headers["location"].endswith("/account/register/sent")
    user = await User.get(email="neda@example.org")
    assert user.locale == "fa" and user.region == "Shiraz" and not user.confirmed

    # not confirmed yet: signing in is refused with a way to get the link again
    r = await post_form(
        client, "/account/login", {"email": "neda@example.org", "password": NEW["password"]}
    )
    assert r.status_code == 400
    assert "/account/confirm/resend" in r.text

    [mail] = sent_mails(settings)
    assert mail["To"] == "neda@example.org"
    [link] = [u for u in links_in(mail) if "/account/confirm/" in u]
    assert link.startswith("http://testserver/account/confirm/")
    r = await client.get(link)
    assert r.status_code == 303 and r.headers["location"].endswith("/account/login")
    assert (await User.get(id=user.id)).confirmed

    r = await post_form(
        client, "/account/login", {"email": "NEDA@example.org", "password": NEW["password"]}
    )
    assert r.status_code == 303
    page = await client.get("/account/profile")
    assert page.status_code == 200 and "ندا" in page.text
    actions = await AuditEvent.filter(target_id=str(user.id)).values_list("action", flat=True)
    assert list(actions) == ["account.register", "account.confirm"]


async def test_a_forged_or_tampered_confirmation_link_is_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await _register(client)
    [link] = [u for u in links_in(sent_mails(settings)[0]) if "/confirm/" in u]
    r = await client.get(link[:-3] + "xyz")
    assert r.status_code == 400
    assert "/account/confirm/resend" in r.text
    assert not (await User.get(email="neda@example.org")).confirmed


async def test_registering_a_taken_address_looks_like_success_and_mails_the_owner(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    owner = await make_user("neda@example.org", name="Neda", locale="en")
    fresh = await _register(client, email="someone-new@example.org")
    taken = await _register(client)
    assert taken.status_code == fresh.status_code == 303
    assert taken.headers["location"] == fresh.headers["location"]
    page_fresh = await client.get(fresh.headers["location"])
    page_taken = await client.get(taken.headers["location"])
    assert page_fresh.text == page_taken.text

    assert await User.filter(email="neda@example.org").count() == 1
    owner_after = await User.get(id=owner.id)
    assert owner_after.display_name == "Neda" and owner_after.password_hash == owner.password_hash
    mails = [m for m in sent_mails(settings) if m["To"] == "neda@example.org"]
    assert len(mails) == 1
    assert "tried to create an account" in mails[0]["Subject"]
    assert any("/account/password/reset" in u for u in links_in(mails[0]))


async def test_bad_input_is_shown_next_to_the_fields(client: httpx.AsyncClient) -> None:
    r = await _register(client, email="not-an-address", password="short", locale="xx")
    assert r.status_code == 400
    assert 'id="email-error"' in r.text
    assert 'id="password-error"' in r.text
    assert 'id="locale-error"' in r.text
    assert 'value="ندا"' in r.text  # what was typed is kept
    assert await User.all().count() == 0


async def test_a_post_without_csrf_token_is_refused_and_creates_nothing(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await client.get("/account/register")
    r = await client.post("/account/register", data=NEW)
    assert r.status_code == 403
    assert await User.all().count() == 0
    assert sent_mails(settings) == []


async def test_confirmation_link_can_be_sent_again(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await _register(client)
    r = await post_form(
        client, "/account/confirm/resend", {"email": "neda@example.org"}, "/account/confirm/resend"
    )
    assert r.status_code == 200
    unknown = await post_form(
        client, "/account/confirm/resend", {"email": "nobody@example.org"},
        "/account/confirm/resend",
    )  # fmt: skip
    assert unknown.status_code == 200
    assert len(sent_mails(settings)) == 2
    r = await client.get([u for u in links_in(sent_mails(settings)[1]) if "/confirm/" in u][0])
    assert r.status_code == 303


async def test_repeated_sign_ups_with_a_taken_address_do_not_flood_its_owner(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await make_user("neda@example.org")
    answers = {(await _register(client)).headers["location"] for _ in range(7)}
    assert len(answers) == 1
    assert len(sent_mails(settings)) == 5


async def test_many_sign_ups_from_one_connection_are_slowed_down(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    for _ in range(20):
        assert await app.state.limiter.hit("20/hour", "register-ip", "127.0.0.1")
    r = await _register(client)
    assert r.status_code == 429
    assert "Too many accounts" in r.text and 'value="ندا"' in r.text
    assert await User.all().count() == 0
