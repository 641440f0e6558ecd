"""What moderation may touch: only the types a host registered (anything else is not found and
leaves no trace), not one's own comment when reporting, and for a body moderator only what is
said on their bodies' targets, campaigns included."""

from __future__ import annotations

import random

import httpx
import pytest

from participation.audit.models import AuditEvent
from participation.comments import services as comments
from participation.errors import Forbidden, NotFound
from participation.integrity import services as integrity
from participation.moderation import queries as moderation_queries
from participation.moderation import services
from participation.moderation.models import Flag, ModerationState
from participation.settings import Settings
from tests.conftest import login, post_form
from tests.factories import make_body, make_moderator, make_user
from tests.participation.comments.fakehost import Hosts, as_principal
from tests.participation.integrity.letters import ORGANIC, form_letter


@pytest.mark.parametrize("target_type", ["petition", "section", "fake", "nothing"])
async def test_a_global_moderator_cannot_hide_a_target_of_an_unknown_type(
    client: httpx.AsyncClient, hosts: Hosts, target_type: str
) -> None:
    hosts.fake.add(1)
    await make_moderator(None, email="mod@example.org")
    await login(client, "mod@example.org")
    for action in ("hide", "approve", "restore"):
        r = await post_form(client, f"/moderation/{action}", {
            "target_type": target_type, "target_id": 1, "reason": "spam",
        }, page="/moderation/")  # fmt: skip
        assert r.status_code == 404, action
    moderator = await as_principal(await make_moderator(None))
    with pytest.raises(NotFound):
        await services.hide(moderator, target_type, 1, "spam")
    with pytest.raises(NotFound):
        await services.flag(moderator, target_type, 1, "spam")
    assert await ModerationState.all().count() == 0
    assert await Flag.all().count() == 0
    assert await AuditEvent.filter(action__startswith="moderation.").count() == 0


async def test_an_author_cannot_report_their_own_comment(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    author = await make_user("amir@example.org")
    c = await comments.post_comment(await as_principal(author), "fake", 1, "Mine",
                                    settings=settings)  # fmt: skip
    with pytest.raises(Forbidden) as exc:
        await services.flag(await as_principal(author), "comment", c.id, "spam")
    assert exc.value.message == "You cannot report what you wrote yourself."
    await login(client, "amir@example.org")
    r = await post_form(client, f"/comments/{c.id}/flag", {"reason": "spam"}, page="/fake/fake/1")
    assert r.status_code == 403 and "You cannot report what you wrote yourself." in r.text
    assert await Flag.all().count() == 0 and await ModerationState.all().count() == 0


async def test_the_refusal_to_report_ones_own_comment_is_translated(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    author = await make_user("sara@example.org", locale="fa")
    c = await comments.post_comment(await as_principal(author), "fake", 1, "نظر من",
                                    settings=settings)  # fmt: skip
    await login(client, "sara@example.org")
    r = await post_form(client, f"/comments/{c.id}/flag", {"reason": "spam"}, page="/fake/fake/1")
    assert r.status_code == 403 and "نمی‌توانید" in r.text


async def test_a_body_moderator_sees_campaigns_only_from_their_bodies(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    mine, theirs = await make_body(), await make_body()
    hosts.fake.add(1, bodies=[mine.id])
    hosts.fake.add(2, bodies=[theirs.id])
    rng = random.Random(8)

    async def say(target: int, text: str) -> None:
        p = await as_principal(await make_user())
        await comments.post_comment(p, "fake", target, text, settings=settings)

    for _ in range(3):
        await say(1, "Ours: " + form_letter(rng))
    for _ in range(4):
        await say(2, ORGANIC[1] + " " + ORGANIC[2])
    await integrity.index_new_comments()
    await make_moderator(mine, email="local@example.org")
    await login(client, "local@example.org")
    page = (await client.get("/moderation/")).text
    assert "Ours: " in page and "3 copies shown" in page and "<mark>" in page
    assert "route nine" not in page
    group = (await moderation_queries.campaigns(None, 3, 20))[0]
    their_group = [g for g in await moderation_queries.campaigns(None, 3, 20)
                   if g.group_id != group.group_id or "route nine" in g.excerpt]  # fmt: skip
    theirs_id = next(g.group_id for g in their_group if "route nine" in g.excerpt)
    r = await post_form(client, "/moderation/hide-campaign",
                        {"group_id": theirs_id, "reason": "spam"})  # fmt: skip
    assert r.status_code == 403
    await make_moderator(None, email="global@example.org")
    await login(client, "global@example.org")
    page = (await client.get("/moderation/")).text
    assert "Ours: " in page and "route nine" in page


async def test_the_queue_shows_what_was_written_escaped_once(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    author = await as_principal(await make_user())
    c = await comments.post_comment(author, "fake", 1, "Is 3 <img 4? Tom & Jerry",
                                    settings=settings)  # fmt: skip
    await services.flag(await as_principal(await make_user()), "comment", c.id, "spam")
    await make_moderator(None, email="mod@example.org")
    await login(client, "mod@example.org")
    page = (await client.get("/moderation/")).text
    assert "Is 3 &lt;img 4? Tom &amp; Jerry" in page and "&amp;lt;" not in page
