"""The queue: what waits for a moderator, most flagged first then waiting longest, each with
its context (place, parent) and its flags; a body moderator's queue holds their bodies' items
only, however many others wait; hiding mails the author in their language; administrators
moderate (one rule, everywhere)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from starlette.applications import Starlette

from participation.comments import services as comments
from participation.moderation import queries, services
from participation.moderation.models import ModerationState
from participation.organisations.models import Role
from participation.settings import Settings
from tests.conftest import login, post_form
from tests.factories import mail_text, make_body, make_moderator, make_user, sent_mails
from tests.participation.comments.fakehost import Hosts, as_principal


async def _comment(settings: Settings, target: int, text: str, **kw: object) -> int:
    author = await as_principal(await make_user())
    return (await comments.post_comment(author, "fake", target, text, settings=settings,
                                        **kw)).id  # type: ignore[arg-type]  # fmt: skip


async def _flag(comment_id: int, times: int, reason: str = "spam", note: str = "") -> None:
    for _ in range(times):
        await services.flag(await as_principal(await make_user()), "comment", comment_id, reason,
                            note)  # fmt: skip


async def test_most_flagged_first_then_the_longest_waiting(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1, flag_threshold=0)
    older, newer, most = [await _comment(settings, 1, t) for t in ("older", "newer", "most")]
    await _flag(older, 1)
    await _flag(newer, 1)
    await _flag(most, 2)
    await ModerationState.filter(target_id=older).update(
        queued_at=datetime.now(UTC) - timedelta(hours=5)
    )
    order = [i.target_id for i in await queries.queue(None)]
    assert order == [most, older, newer]


async def test_a_body_moderator_sees_only_their_bodies_items_however_many_others_wait(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    mine, theirs = await make_body(), await make_body()
    hosts.fake.add(1, bodies=[mine.id], flag_threshold=0)
    hosts.fake.add(2, bodies=[theirs.id], flag_threshold=0)
    others = [await _comment(settings, 2, f"theirs {n}") for n in range(queries.QUEUE_PAGE + 5)]
    for cid in others:
        await _flag(cid, 2)
    own = await _comment(settings, 1, "mine")
    await _flag(own, 1)
    moderator = await as_principal(await make_moderator(mine))
    scoped = await queries.queue(moderator.body_ids(Role.MODERATOR))
    assert [i.target_id for i in scoped] == [own]
    assert await queries.queue_size({mine.id}) == 1
    assert await queries.queue_size(None) == len(others) + 1


async def test_the_queue_page_shows_context_flags_and_acts(
    app: Starlette, client: httpx.AsyncClient, hosts: Hosts
) -> None:
    settings = app.state.settings
    body = await make_body()
    hosts.fake.add(1, bodies=[body.id], flag_threshold=0)
    parent = await _comment(settings, 1, "The original point")
    reply = await _comment(settings, 1, "A rude answer", parent_id=parent)
    await _flag(reply, 1, "offensive")
    await _flag(reply, 1, "other", "It insults the first writer")
    await make_moderator(body, email="mod@example.org")
    await login(client, "mod@example.org")
    page = (await client.get("/moderation/")).text
    assert "A rude answer" in page and "The original point" in page  # the reply and its parent
    assert "Fake 1" in page  # where it was said
    assert "Offensive or abusive: 1" in page and "It insults the first writer" in page
    assert "2 reports" in page
    r = await post_form(client, "/moderation/approve",
                        {"target_type": "comment", "target_id": reply}, page="/moderation/")  # fmt: skip
    assert r.status_code == 303
    assert "A rude answer" not in (await client.get("/moderation/")).text


async def test_hiding_mails_the_author_in_their_language_with_the_way_to_appeal(
    app: Starlette, hosts: Hosts
) -> None:
    settings = app.state.settings
    hosts.fake.add(1)
    author = await make_user("nasrin@example.org", locale="fa")
    c = await comments.post_comment(
        await as_principal(author), "fake", 1, "متن تند", settings=settings
    )
    moderator = await as_principal(await make_moderator(None))
    await services.hide(moderator, "comment", c.id, "offensive", "لحن توهین‌آمیز",
                        base_url=settings.base_url)  # fmt: skip
    [mail] = sent_mails(settings)
    assert mail["To"] == "nasrin@example.org"
    text = mail_text(mail)
    assert "توهین‌آمیز" in text and "متن تند" in text  # the reason in Persian, the words
    assert f"{settings.base_url}/moderation/appeal/comment/{c.id}" in text
    assert "moderator" not in text.lower()  # no English left


async def test_administrators_moderate_like_global_moderators(
    app: Starlette, client: httpx.AsyncClient, hosts: Hosts
) -> None:
    settings = app.state.settings
    hosts.fake.add(1, bodies=[(await make_body()).id], flag_threshold=0)
    c = await _comment(settings, 1, "Something to judge")
    await _flag(c, 1)
    await make_user("admin@example.org", admin=True)
    await login(client, "admin@example.org")
    assert "Something to judge" in (await client.get("/moderation/")).text
    assert (await client.get("/petitions/moderation")).status_code == 200
    r = await post_form(client, "/moderation/hide", {
        "target_type": "comment", "target_id": c, "reason": "spam",
    }, page="/moderation/")  # fmt: skip
    assert r.status_code == 303
    assert (await ModerationState.get(target_id=c)).hidden_by_id is not None
