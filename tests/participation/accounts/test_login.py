"""Signing in and out: wrong passwords, rate limits, safe redirects."""

from __future__ import annotations

import httpx

from participation.accounts.limits import SignInLimits, network_of
from participation.audit.models import AuditEvent
from tests.conftest import login, post_form
from tests.factories import make_user


async def test_wrong_password_is_refused_with_a_message(client: httpx.AsyncClient) -> None:
    await make_user("amir@example.org")
    r = await post_form(
        client, "/account/login", {"email": "amir@example.org", "password": "wrong-password"}
    )
    assert r.status_code == 400
    assert "do not match an account" in r.text
    assert 'value="amir@example.org"' in r.text
    assert (await client.get("/account/profile")).status_code == 303  # still anonymous


async def test_unknown_address_gets_the_same_answer_as_a_wrong_password(
    client: httpx.AsyncClient,
) -> None:
    await make_user("amir@example.org")
    wrong = await post_form(
        client, "/account/login", {"email": "amir@example.org", "password": "nope-nope"}
    )
    unknown = await post_form(
        client, "/account/login", {"email": "ghost@example.org", "password": "nope-nope"}
    )
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.text.replace("amir", "X") == unknown.text.replace("ghost", "X")


async def test_sixth_attempt_in_a_minute_for_one_address_is_refused(
    client: httpx.AsyncClient,
) -> None:
    await make_user("amir@example.org")
    for _ in range(5):
        r = await post_form(
            client, "/account/login", {"email": "amir@example.org", "password": "guess-guess"}
        )
        assert r.status_code == 400
    # even the right password is refused now, with the form and a message
    r = await post_form(
        client, "/account/login", {"email": "amir@example.org", "password": "password123"}
    )
    assert r.status_code == 429
    assert "Too many sign-in attempts" in r.text and 'name="password"' in r.text
    # another address from the same place is not affected
    await make_user("other@example.org")
    await login(client, "other@example.org")


async def test_ip_limit_stops_guessing_across_many_addresses(
    client: httpx.AsyncClient, app: object
) -> None:
    limits = SignInLimits(app.state.limiter)  # type: ignore[attr-defined]
    for n in range(100):  # a hundred failed sign-ins from here, each to another address
        await limits.failed(f"someone{n}@example.org", network_of("127.0.0.1"))
    await make_user("amir@example.org")
    r = await post_form(
        client, "/account/login", {"email": "amir@example.org", "password": "password123"}
    )
    assert r.status_code == 429


async def test_next_goes_only_to_local_paths(client: httpx.AsyncClient) -> None:
    await make_user("amir@example.org")
    creds = {"email": "amir@example.org", "password": "password123"}
    r = await post_form(client, "/account/login", {**creds, "next": "/account/profile"})
    assert r.headers["location"] == "/account/profile"
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        await post_form(client, "/account/logout")
        r = await post_form(client, "/account/login", {**creds, "next": evil})
        assert r.status_code == 303
        assert "evil" not in r.headers["location"]


async def test_signing_out_ends_the_session(client: httpx.AsyncClient) -> None:
    await make_user("amir@example.org")
    await login(client, "amir@example.org")
    assert (await client.get("/account/profile")).status_code == 200
    r = await post_form(client, "/account/logout")
    assert r.status_code == 303
    r = await client.get("/account/profile")
    assert r.status_code == 303 and "/account/login" in r.headers["location"]
    assert await AuditEvent.filter(action__startswith="account.login").count() == 0
