"""Flags, hiding and restoring (audited), scope of moderators, campaigns, the queue page."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from participation.audit.models import AuditEvent
from participation.comments import queries as comment_queries
from participation.comments import services as comments
from participation.errors import DomainError
from participation.integrity import services as integrity
from participation.moderation import queries, services
from participation.moderation.models import Flag, ModerationState
from participation.organisations.models import Role
from participation.settings import Settings
from participation.web.errors import status_of
from tests.conftest import login, post_form
from tests.factories import make_body, make_moderator, make_official, make_user
from tests.participation.comments.fakehost import Hosts, as_principal
from tests.participation.integrity.letters import ORGANIC, form_letter


async def _visible_ids(target_id: int = 1) -> list[int]:
    """The top-level comments shown with their words (hidden ones are placeholders)."""
    page = await comment_queries.comment_page("fake", target_id, sort="oldest")
    return [c.id for c in page.items if not c.hidden]


async def test_flagging_counts_once_per_person(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    c = await comments.post_comment(
        await as_principal(await make_user()), "fake", 1, "Buy pills", settings=settings
    )
    a, b = await as_principal(await make_user()), await as_principal(await make_user())
    await services.flag(a, "comment", c.id, "spam")
    await services.flag(b, "comment", c.id, "offensive", "rude too")
    with pytest.raises(DomainError) as exc:
        await services.flag(a, "comment", c.id, "spam")
    assert status_of(exc.value) == 409
    with pytest.raises(DomainError):
        await services.flag(b, "comment", 999, "spam")
    with pytest.raises(DomainError):
        await services.flag(b, "comment", c.id, "boring")
    state = await ModerationState.get(target_type="comment", target_id=c.id)
    assert state.flag_count == 2 and await Flag.all().count() == 2
    assert await _visible_ids() == [c.id]  # flags alone hide nothing


async def test_hiding_removes_from_lists_and_counts_and_restoring_brings_back(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    body = await make_body()
    hosts.fake.add(1, bodies=[body.id])
    author = await as_principal(await make_user())
    keep = await comments.post_comment(
        author, "fake", 1, "Fine comment", stance="for", settings=settings
    )
    bad = await comments.post_comment(
        author, "fake", 1, "Abusive comment", stance="against", settings=settings
    )
    reply = await comments.post_comment(
        author, "fake", 1, "Reply to fine", parent_id=keep.id, settings=settings
    )
    moderator = await as_principal(await make_moderator(body))
    await services.hide(moderator, "comment", bad.id, "offensive", "insults")
    await services.hide(moderator, "comment", reply.id, "spam")
    assert await _visible_ids() == [keep.id]
    page = await comment_queries.comment_page("fake", 1, sort="oldest")
    # hidden ones keep their place as placeholders, without their words
    assert [(c.id, c.hidden, c.text) for c in page.items] == [
        (keep.id, None, "Fine comment"),
        (bad.id, "moderator", ""),
    ]
    assert [(r.id, r.hidden, r.text) for r in page.items[0].replies] == [
        (reply.id, "moderator", "")
    ]
    counts = (await comment_queries.counts_by_target("fake", [1]))[1]
    assert (counts.total, counts.for_, counts.against) == (1, 1, 0)
    await services.restore(moderator, "comment", bad.id, "was a quote")
    assert await _visible_ids() == [keep.id, bad.id]
    counts = (await comment_queries.counts_by_target("fake", [1]))[1]
    assert (counts.total, counts.against) == (2, 1)
    actions = (
        await AuditEvent.filter(actor_id=moderator.id)
        .order_by("id")
        .values_list("action", "target_id", "data")
    )
    assert actions[0] == (
        "moderation.hide",
        str(bad.id),
        {"reason": "offensive", "note": "insults"},
    )
    assert actions[-1] == ("moderation.restore", str(bad.id), {"note": "was a quote"})


async def test_only_moderators_of_the_owning_body_or_global_ones_moderate(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    body, other = await make_body(), await make_body()
    hosts.fake.add(1, bodies=[body.id])
    c = await comments.post_comment(
        await as_principal(await make_user()), "fake", 1, "Text", settings=settings
    )
    refused = [
        await make_user(),
        await make_official(body, Role.PUBLISHER),  # officials are not moderators
        await make_moderator(other),
    ]
    for user in refused:
        with pytest.raises(DomainError) as exc:
            await services.hide(await as_principal(user), "comment", c.id, "spam")
        assert status_of(exc.value) == 403
    assert await _visible_ids() == [c.id]
    await services.hide(await as_principal(await make_moderator(None)), "comment", c.id, "spam")
    assert await _visible_ids() == []


async def test_a_campaign_of_near_copies_is_one_row_and_hidden_with_one_reason(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    rng = random.Random(3)
    texts = [form_letter(rng) for _ in range(4)] + [ORGANIC[0]]
    ids = [
        (
            await comments.post_comment(
                await as_principal(await make_user()), "fake", 1, t, settings=settings
            )
        ).id
        for t in texts
    ]
    await integrity.index_new_comments()
    [group] = await queries.campaigns(None, 3, 20)
    assert (group.copies, group.size, group.authors, group.places) == (4, 4, 4, 1)
    assert group.representative_id == ids[0]  # the earliest copy
    # the latest copies, shown against it: each differs (greeting, two words, a typo)
    assert [v.comment_id for v in group.variations] == [ids[3], ids[2], ids[1]]
    assert all(v.own_words or v.left_out for v in group.variations)
    moderator = await as_principal(await make_moderator(None))
    n = await services.hide_campaign(moderator, group.group_id, "spam", "copy-paste")
    assert n == 4
    assert await _visible_ids() == [ids[4]]
    assert await queries.campaigns(None, 3, 20) == []  # nothing left to act on
    event = await AuditEvent.get(action="moderation.hide_campaign")
    assert sorted(event.data["comment_ids"]) == sorted(ids[:4])
    assert event.data["reason"] == "spam" and event.data["group"] == group.group_id
    with pytest.raises(DomainError):  # all hidden already
        await services.hide_campaign(moderator, group.group_id, "spam")


async def test_the_queue_page_lists_reports_and_campaigns_for_moderators_only(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    c = await comments.post_comment(
        await as_principal(await make_user()), "fake", 1, "Spammy", settings=settings
    )
    for _ in range(2):
        await services.flag(await as_principal(await make_user()), "comment", c.id, "spam")
    await make_user("citizen@example.org")
    await login(client, "citizen@example.org")
    assert (await client.get("/moderation/")).status_code == 403
    await make_moderator(None, email="modfa@example.org", locale="fa")
    await login(client, "modfa@example.org")
    r = await client.get("/moderation/")
    assert r.status_code == 200 and 'dir="rtl"' in r.text and "Spammy" in r.text
    await make_moderator(None, email="mod@example.org")
    await login(client, "mod@example.org")
    r = await client.get("/moderation/")
    assert (
        "Spammy" in r.text
        and "2 reports" in r.text
        and 'href="http://testserver/moderation/"' in r.text
    )
    r = await post_form(client, "/moderation/hide", {
        "target_type": "comment", "target_id": c.id, "reason": "spam", "note": "ads",
    }, page="/moderation/")  # fmt: skip
    assert r.status_code == 303
    page = (await client.get("/moderation/")).text
    assert "Nothing is waiting for moderation." in page and "Show again" in page
    assert (await client.get("/fake/fake/1")).text.count("Spammy") == 0
    r = await post_form(client, "/moderation/restore",
                        {"target_type": "comment", "target_id": c.id}, page="/moderation/")  # fmt: skip
    assert r.status_code == 303
    assert "Spammy" in (await client.get("/fake/fake/1")).text


async def test_reporting_a_comment_from_the_page(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    c = await comments.post_comment(
        await as_principal(await make_user()), "fake", 1, "Hmm", settings=settings
    )
    await make_user("citizen@example.org")
    await login(client, "citizen@example.org")
    page = (await client.get("/fake/fake/1")).text
    assert f'href="/comments/{c.id}/report"' in page  # the report form is on its own page
    report = (await client.get(f"/comments/{c.id}/report")).text
    assert f"/comments/{c.id}/flag" in report
    r = await post_form(client, f"/comments/{c.id}/flag", {"reason": "off_topic"})
    assert r.status_code == 303 and r.headers["location"] == f"/fake/fake/1#comment-{c.id}"
    assert "A moderator will look at this comment." in (await client.get("/fake/fake/1")).text
    r = await post_form(client, f"/comments/{c.id}/flag", {"reason": "off_topic"})
    assert "already reported" in (await client.get("/fake/fake/1")).text
    assert await Flag.all().count() == 1


async def test_a_body_moderator_sees_only_reports_of_their_bodies(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    mine, theirs = await make_body(), await make_body()
    hosts.fake.add(1, bodies=[mine.id])
    hosts.fake.add(2, bodies=[theirs.id])
    author = await as_principal(await make_user())
    a = await comments.post_comment(author, "fake", 1, "Reported here", settings=settings)
    b = await comments.post_comment(author, "fake", 2, "Reported there", settings=settings)
    reporter = await as_principal(await make_user())
    await services.flag(reporter, "comment", a.id, "spam")
    await services.flag(reporter, "comment", b.id, "spam")
    await make_moderator(mine, email="local@example.org")
    await login(client, "local@example.org")
    page = (await client.get("/moderation/")).text
    assert "Reported here" in page and "Reported there" not in page


@pytest.mark.postgres
async def test_concurrent_flags_are_counted_exactly(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    c = await comments.post_comment(
        await as_principal(await make_user()), "fake", 1, "Contested", settings=settings
    )
    people = [await as_principal(await make_user()) for _ in range(20)]
    results = await asyncio.gather(
        *[services.flag(p, "comment", c.id, "spam") for p in people + people[:5]],
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 5 and all(status_of(r) == 409 for r in refused)
    state = await ModerationState.get(target_type="comment", target_id=c.id)
    assert state.flag_count == 20 == await Flag.filter(target_id=c.id).count()
