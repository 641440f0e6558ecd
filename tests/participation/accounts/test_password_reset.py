"""Password reset: same answer for every address, single-use link, other sessions end."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from participation.accounts.models import User
from participation.audit.models import AuditEvent
from participation.settings import Settings
from tests.conftest import login, post_form
from tests.factories import links_in, make_user, sent_mails

PAGE = "/account/password/reset"


async def _ask(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await post_form(client, PAGE, {"email": email}, PAGE)


async def test_the_request_form_answers_the_same_for_any_address(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await make_user("parisa@example.org")
    known = await _ask(client, "parisa@example.org")
    unknown = await _ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert [m["To"] for m in sent_mails(settings)] == ["parisa@example.org"]


async def test_reset_link_works_once_and_signs_out_other_sessions(
    app: Starlette, client: httpx.AsyncClient, settings: Settings
) -> None:
    user = await make_user("parisa@example.org")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as laptop:
        await login(laptop, "parisa@example.org")
        assert (await laptop.get("/account/profile")).status_code == 200

        await _ask(client, "parisa@example.org")
        [link] = [u for u in links_in(sent_mails(settings)[0]) if "/password/reset/" in u]
        assert (await client.get(link)).status_code == 200
        new: dict[str, object] = {
            "password": "brand-new-password",
            "password_again": "brand-new-password",
        }
        r = await post_form(client, link, new, link)
        assert r.status_code == 303 and r.headers["location"].endswith("/account/login")

        # the other session is over
        assert (await laptop.get("/account/profile")).status_code == 303
    # the link is used up
    assert (await client.get(link)).status_code == 400
    r = await post_form(client, link, {**new, "password": "third-password-x"}, "/")
    assert r.status_code == 400
    # the new password works, the old one does not
    await login(client, "parisa@example.org", "brand-new-password")
    await post_form(client, "/account/logout")
    r = await post_form(
        client, "/account/login", {"email": "parisa@example.org", "password": "password123"}
    )
    assert r.status_code == 400
    assert (await User.get(id=user.id)).auth_version == 2
    assert await AuditEvent.filter(action="account.password_reset").count() == 1


async def test_mismatched_new_passwords_are_shown_as_an_error(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await make_user("parisa@example.org")
    await _ask(client, "parisa@example.org")
    [link] = [u for u in links_in(sent_mails(settings)[0]) if "/password/reset/" in u]
    r = await post_form(
        client, link, {"password": "brand-new-password", "password_again": "other-one-123"}, link
    )
    assert r.status_code == 400
    assert 'id="password_again-error"' in r.text
    assert (await client.get(link)).status_code == 200  # still usable
