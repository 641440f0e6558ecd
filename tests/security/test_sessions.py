"""Sessions (finding 1) and sign-in (finding 9): a session ends when its person signs out,
signs out everywhere, gets a new password or is suspended, wherever its cookie was copied;
signing in starts a new one; reset links work once and expire; cookies carry their flags;
failed sign-ins are limited without locking the owner out; forms from other sites refused."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from starlette.applications import Starlette

from participation.accounts import tokens
from participation.accounts.models import Session, User
from participation.app import create_app
from participation.models import OutboxJob
from participation.settings import Settings
from tests.conftest import csrf_token, login, post_form
from tests.factories import PASSWORD, links_in, make_user, sent_mails

PROFILE = "/account/profile"


@asynccontextmanager
async def browser(app: Starlette, ip: str = "127.0.0.1") -> AsyncIterator[httpx.AsyncClient]:
    """Another browser on the same app, connecting from ``ip``."""
    transport = httpx.ASGITransport(app=app, client=(ip, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


def copy_cookies(source: httpx.AsyncClient, target: httpx.AsyncClient) -> None:
    """What a thief does with a cookie: use it in a browser of their own."""
    for cookie in source.cookies.jar:
        target.cookies.set(cookie.name, cookie.value or "", domain=cookie.domain)


async def signed_in(client: httpx.AsyncClient) -> bool:
    r = await client.get(PROFILE)
    assert r.status_code in (200, 303)
    return r.status_code == 200


async def sign_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> int:
    r = await post_form(client, "/account/login", {"email": email, "password": password})
    return r.status_code


# ---- sessions -------------------------------------------------------------------------------


async def test_signing_in_starts_a_new_session_and_cookie(app: Starlette) -> None:
    await make_user("roya@example.org")
    async with browser(app) as roya, browser(app) as planted:
        await roya.get("/")  # an anonymous session cookie, as an attacker could plant it
        copy_cookies(roya, planted)
        before = roya.cookies["session"]
        await login(roya, "roya@example.org")
        assert roya.cookies["session"] != before
        assert await signed_in(roya)
        assert not await signed_in(planted)  # the cookie from before sign-in signs no one in

        copy_cookies(roya, planted)  # now a copy of the signed-in cookie
        await login(roya, "roya@example.org")  # signing in again, in the same browser
        assert await signed_in(roya)
        assert not await signed_in(planted)  # the previous session ended with it
    assert await Session.filter(revoked_at=None).count() == 1


async def test_signing_out_ends_the_session_wherever_the_cookie_was_copied(
    app: Starlette,
) -> None:
    await make_user("roya@example.org")
    async with browser(app) as roya, browser(app) as thief:
        await login(roya, "roya@example.org")
        copy_cookies(roya, thief)
        assert await signed_in(thief)
        r = await post_form(roya, "/account/logout")
        assert r.status_code == 303
        assert not await signed_in(roya)
        assert not await signed_in(thief)  # at once, with the same cookie as before
    assert await Session.filter(revoked_at=None).count() == 0


async def test_signing_out_everywhere_ends_every_session_of_the_person(app: Starlette) -> None:
    await make_user("roya@example.org")
    other = await make_user("other@example.org")
    async with browser(app) as phone, browser(app) as laptop, browser(app) as someone:
        await login(phone, "roya@example.org")
        await login(laptop, "roya@example.org")
        await login(someone, "other@example.org")
        page = await phone.get(PROFILE)
        assert "signed in on 2 browsers or devices" in page.text
        assert 'action="http://testserver/account/logout/everywhere"' in page.text
        r = await post_form(phone, "/account/logout/everywhere", {}, PROFILE)
        assert r.status_code == 303
        assert not await signed_in(phone) and not await signed_in(laptop)
        assert await signed_in(someone)  # another person's session is untouched
        await login(laptop, "roya@example.org")  # and signing in again works
        assert await signed_in(laptop)
    assert await Session.filter(user_id=other.id, revoked_at=None).count() == 1


async def test_a_new_password_ends_every_session(app: Starlette, settings: Settings) -> None:
    user = await make_user("roya@example.org")
    async with browser(app) as laptop, browser(app) as phone:
        await login(laptop, "roya@example.org")
        await post_form(phone, "/account/password/reset", {"email": "roya@example.org"})
        [link] = [u for u in links_in(sent_mails(settings)[-1]) if "/password/reset/" in u]
        new = {"password": "a-brand-new-one", "password_again": "a-brand-new-one"}
        r = await post_form(phone, link, new, link)
        assert r.status_code == 303
        assert not await signed_in(laptop)
    assert await Session.filter(user_id=user.id, revoked_at=None).count() == 0


async def test_suspension_ends_the_sessions_and_sign_in(app: Starlette) -> None:
    user = await make_user("roya@example.org")
    await make_user("admin@example.org", admin=True)
    async with browser(app) as roya, browser(app) as admin:
        await login(roya, "roya@example.org")
        await login(admin, "admin@example.org")
        page = f"/admin/?q={user.email}"
        r = await post_form(admin, f"/admin/users/{user.id}/active", {"active": "0"}, page)
        assert r.status_code == 303
        assert "Reinstate" in (await admin.get(page)).text
        assert not await signed_in(roya)
        assert await sign_in(roya, "roya@example.org") == 400  # "do not match an account"

        r = await post_form(admin, f"/admin/users/{user.id}/active", {"active": "1"}, page)
        assert r.status_code == 303
        assert await sign_in(roya, "roya@example.org") == 303
        me = await User.get(email="admin@example.org")
        r = await post_form(admin, f"/admin/users/{me.id}/active", {"active": "0"}, page)
        assert r.status_code == 400  # nobody suspends themselves
        assert (await User.get(id=me.id)).is_active


async def test_an_account_suspended_in_the_database_is_signed_out(app: Starlette) -> None:
    """The database is the truth: a suspension written there by any process (here, by hand)
    ends the session at its next request."""
    user = await make_user("roya@example.org")
    async with browser(app) as roya:
        await login(roya, "roya@example.org")
        assert await signed_in(roya)
        await User.filter(id=user.id).update(is_active=False)
        assert not await signed_in(roya)


async def test_a_session_idle_for_the_cookie_lifetime_is_over(app: Starlette) -> None:
    user = await make_user("roya@example.org")
    async with browser(app) as roya:
        await login(roya, "roya@example.org")
        old = (await Session.get(user_id=user.id)).created_at.replace(year=2000)
        await Session.filter(user_id=user.id).update(last_seen=old)
        assert not await signed_in(roya)


# ---- cookies --------------------------------------------------------------------------------


def _cookie_headers(r: httpx.Response, name: str) -> list[str]:
    return [v.lower() for v in r.headers.get_list("set-cookie") if v.startswith(f"{name}=")]


async def test_cookies_are_httponly_lax_and_secure_in_production(
    settings: Settings, db: Starlette
) -> None:
    await make_user("roya@example.org")
    for env, secure in (("development", False), ("production", True)):
        app = create_app(settings.with_(env=env))
        app.state.limiter = db.state.limiter  # the test app's lifespan set up the ORM
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
            token = await csrf_token(c)
            r = await c.post("/language", data={"lang": "fa", "csrf_token": token})
            [lang] = _cookie_headers(r, "lang")
            [session] = _cookie_headers(r, "session")
            r = await c.post(
                "/account/login",
                data={"email": "roya@example.org", "password": PASSWORD, "csrf_token": token},
            )
            assert r.status_code == 303
            [signed] = _cookie_headers(r, "session")
        for cookie in (lang, session, signed):
            assert "httponly" in cookie and "samesite=lax" in cookie
            assert ("secure" in cookie) is secure, (env, cookie)


# ---- reset links ----------------------------------------------------------------------------


async def test_a_reset_link_works_once(client: httpx.AsyncClient, settings: Settings) -> None:
    await make_user("roya@example.org")
    await post_form(client, "/account/password/reset", {"email": "roya@example.org"})
    [link] = [u for u in links_in(sent_mails(settings)[0]) if "/password/reset/" in u]
    new = {"password": "a-brand-new-one", "password_again": "a-brand-new-one"}
    assert (await post_form(client, link, new, link)).status_code == 303
    again = {"password": "a-third-password", "password_again": "a-third-password"}
    r = await post_form(client, link, again, "/")
    assert r.status_code == 400 and "/account/password/reset" in r.text
    assert await sign_in(client, "roya@example.org", "a-brand-new-one") == 303


class _TwoHoursAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - tokens.MAX_AGE[tokens.RESET] - 60


async def test_a_reset_link_expires(client: httpx.AsyncClient, settings: Settings) -> None:
    user = await make_user("roya@example.org")
    old = URLSafeTimedSerializer(settings.secret_key, salt=tokens.RESET, signer=_TwoHoursAgo)
    token = old.dumps({"uid": user.id, "av": user.auth_version})
    assert tokens.read_token(settings.secret_key, tokens.RESET, token) is None
    r = await client.get(f"/account/password/reset/{token}")
    assert r.status_code == 400
    new = {"password": "a-brand-new-one", "password_again": "a-brand-new-one"}
    r = await post_form(client, f"/account/password/reset/{token}", new)
    assert r.status_code == 400
    assert await sign_in(client, "roya@example.org") == 303  # the password did not change


async def test_asking_for_a_reset_does_the_same_work_for_any_address(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """The request only queues a job (one outbox row), whoever the address belongs to; the
    job finds the account and sends the mail."""
    await make_user("roya@example.org")
    for email in ("nobody@example.org", "roya@example.org"):
        before = await OutboxJob.filter(name="mail_password_reset").count()
        r = await post_form(client, "/account/password/reset", {"email": email})
        assert r.status_code == 200
        assert await OutboxJob.filter(name="mail_password_reset").count() == before + 1
    assert [m["To"] for m in sent_mails(settings)] == ["roya@example.org"]


# ---- sign-in limits -------------------------------------------------------------------------


async def test_failures_elsewhere_do_not_lock_the_owner_out(app: Starlette) -> None:
    await make_user("roya@example.org")
    failures = 0
    for n in range(5):  # five networks guess until each is stopped
        async with browser(app, f"203.0.113.{n + 1}") as attacker:
            while (code := await sign_in(attacker, "roya@example.org", "guess-guess")) == 400:
                failures += 1
            assert code == 429
    assert failures >= 20  # the address is under attack
    async with browser(app, "198.51.100.7") as newcomer:  # each new network: a few guesses
        codes = [await sign_in(newcomer, "roya@example.org", "guess-guess") for _ in range(4)]
        assert codes == [400, 400, 400, 429]
    async with browser(app, "192.0.2.44") as owner:  # the owner at home, right password
        assert await sign_in(owner, "roya@example.org") == 303
        assert await signed_in(owner)
    async with browser(app, "203.0.113.1") as attacker:  # the right password from there: no
        assert await sign_in(attacker, "roya@example.org") == 429


async def test_successful_sign_ins_are_never_counted(app: Starlette) -> None:
    await make_user("roya@example.org")
    async with browser(app, "192.0.2.44") as roya:
        for _ in range(12):
            assert await sign_in(roya, "roya@example.org") == 303
            await post_form(roya, "/account/logout")
        # and a success clears the failures of its own network
        for _ in range(4):
            assert await sign_in(roya, "roya@example.org", "typo-typo-typo") == 400
        assert await sign_in(roya, "roya@example.org") == 303
        await post_form(roya, "/account/logout")
        for _ in range(4):
            assert await sign_in(roya, "roya@example.org", "typo-typo-typo") == 400
        assert await sign_in(roya, "roya@example.org") == 303


async def test_one_ipv6_subscriber_is_one_network(app: Starlette) -> None:
    await make_user("roya@example.org")
    for n in range(5):  # five addresses of one /64
        async with browser(app, f"2001:db8:1:2::{n + 1}") as attacker:
            assert await sign_in(attacker, "roya@example.org", "guess-guess") == 400
    async with browser(app, "2001:db8:1:2::ff") as attacker:
        assert await sign_in(attacker, "roya@example.org", "guess-guess") == 429
    async with browser(app, "2001:db8:1:3::1") as owner:  # the next /64: someone else
        assert await sign_in(owner, "roya@example.org") == 303


# ---- Origin ---------------------------------------------------------------------------------


async def test_a_form_sent_from_another_site_is_refused(client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)
    form = {"lang": "fa", "next": "/", "csrf_token": token}
    for origin in ("https://attacker.example", "null", "http://testserver.attacker.example"):
        r = await client.post("/language", data=form, headers={"Origin": origin})
        assert r.status_code == 403, origin
        assert "did not come from this site" in r.text
    assert 'lang="en"' in (await client.get("/")).text
    r = await client.post("/language", data=form)  # no Origin: the token decides
    assert r.status_code == 303
    r = await client.post("/language", data=form, headers={"Origin": "http://testserver"})
    assert r.status_code == 303


async def test_the_public_address_is_this_site_behind_a_proxy(app: Starlette) -> None:
    """A proxy that passes its own Host: the Origin of BASE_URL is still this site."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
        token = await csrf_token(c)
        form = {"lang": "fa", "next": "/", "csrf_token": token}
        r = await c.post("/language", data=form, headers={"Origin": "http://testserver"})
        assert r.status_code == 303
        r = await c.post("/language", data=form, headers={"Origin": "http://elsewhere:8000"})
        assert r.status_code == 403
