"""Followers of a target get one mail an hour about new comments, never one per comment."""

from __future__ import annotations

from starlette.applications import Starlette

from participation.comments import services
from participation.comments.tasks import send_comment_digests
from participation.settings import Settings
from tests.factories import mail_text, make_user, sent_mails
from tests.participation.comments.fakehost import Hosts, as_principal


async def test_followers_get_one_digest_and_a_second_run_sends_nothing(
    app: Starlette, hosts: Hosts, settings: Settings
) -> None:
    follower = await make_user("follower@example.org")
    busy = await make_user("busy@example.org")
    hosts.fake.add(1, followers=[follower.id, busy.id])
    hosts.fake.add(2, followers=[follower.id])
    writer = await as_principal(await make_user())
    first = await services.post_comment(writer, "fake", 1, "One", settings=settings)
    await services.post_comment(writer, "fake", 1, "Two", settings=settings)
    await services.post_comment(await as_principal(busy), "fake", 1, "Three", settings=settings)
    ctx = {"settings": app.state.settings}
    assert await send_comment_digests(ctx) == 2
    mails = sent_mails(app.state.settings)
    assert sorted(m["To"] for m in mails) == ["busy@example.org", "follower@example.org"]
    body = mail_text(mails[0])
    assert "3 new comments" in body and f"/comments/{first.id}" in body
    assert await send_comment_digests(ctx) == 0
    await services.post_comment(
        await as_principal(busy), "fake", 1, "Four, by busy", settings=settings
    )
    assert await send_comment_digests(ctx) == 1  # not to busy: only their own comment is new
    assert len(sent_mails(app.state.settings)) == 3
