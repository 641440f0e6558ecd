"""Who may do what, every role against the same petitions (through the pages)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from participation.organisations.models import Role
from petitions import invalidations, queries
from petitions.models import Petition, Status
from tests.conftest import login, post_form
from tests.factories import make_body, make_moderator, make_official, make_user
from tests.petitions.conftest import make_petition

ROLES = ["anonymous", "citizen", "creator", "official", "other_official", "moderator",
         "body_moderator"]  # fmt: skip


async def _as(client, role: str, body, other, creator) -> None:
    user = None
    if role == "citizen":
        user = await make_user()
    elif role == "creator":
        user = creator
    elif role == "official":
        user = await make_official(body, Role.PUBLISHER)
    elif role == "other_official":
        user = await make_official(other, Role.PUBLISHER)
    elif role == "moderator":
        user = await make_moderator(None)
    elif role == "body_moderator":
        user = await make_moderator(body)
    if user is not None:
        await login(client, user.email)


async def _setup():
    body = await make_body()
    other = await make_body()
    creator = await make_user()
    return body, other, creator


VIEW_WAITING = {"anonymous": 404, "citizen": 404, "creator": 200, "official": 404,
                "other_official": 404, "moderator": 200, "body_moderator": 200}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
async def test_who_sees_a_petition_waiting_for_moderation(client, role):
    body, other, creator = await _setup()
    p = await make_petition(body, status=Status.MODERATION, creator=creator)
    await _as(client, role, body, other, creator)
    assert (await client.get(f"/petitions/{p.id}")).status_code == VIEW_WAITING[role]
    # an open petition is public for everyone
    q = await make_petition(body, creator=creator)
    assert (await client.get(f"/petitions/{q.id}")).status_code == 200


PUBLISH = {"anonymous": 401, "citizen": 404, "creator": 403, "official": 404,
           "other_official": 404, "moderator": 303, "body_moderator": 303}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
async def test_who_may_publish(client, role):
    body, other, creator = await _setup()
    p = await make_petition(body, status=Status.MODERATION, creator=creator)
    await _as(client, role, body, other, creator)
    r = await post_form(client, f"/petitions/{p.id}/moderate", {"decision": "publish"})
    assert r.status_code == PUBLISH[role]
    published = (await Petition.get(id=p.id)).status == Status.OPEN
    assert published == (PUBLISH[role] == 303)


REVIEW = {"anonymous": 303, "citizen": 403, "creator": 403, "official": 403,
          "other_official": 403, "moderator": 200, "body_moderator": 200}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
async def test_who_may_review_signatures(client, role):
    body, other, creator = await _setup()
    p = await make_petition(body, creator=creator)
    await _as(client, role, body, other, creator)
    r = await client.get(f"/petitions/{p.id}/signatures")
    assert r.status_code == REVIEW[role]  # anonymous: redirected to sign in


DEBATE = {"anonymous": 401, "citizen": 403, "creator": 403, "official": 303,
          "other_official": 403, "moderator": 403, "body_moderator": 403}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
async def test_who_may_schedule_a_debate(client, role):
    body, other, creator = await _setup()
    p = await make_petition(body, creator=creator)
    await Petition.filter(id=p.id).update(debate_threshold_at=datetime.now(UTC))
    await _as(client, role, body, other, creator)
    r = await post_form(client, f"/petitions/{p.id}/debate",
                        {"debate_at": "2027-03-01T10:00", "debate_link": "https://example.org/d"})  # fmt: skip
    assert r.status_code == DEBATE[role]


QUEUE = {"anonymous": 303, "citizen": 403, "creator": 403, "official": 403,
         "other_official": 403, "moderator": 200, "body_moderator": 200}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
async def test_who_sees_the_moderation_queue(client, role):
    body, other, creator = await _setup()
    await _as(client, role, body, other, creator)
    assert (await client.get("/petitions/moderation")).status_code == QUEUE[role]


BLOCKS = {"anonymous": 303, "citizen": 403, "creator": 403, "official": 403,
          "other_official": 403, "moderator": 200, "body_moderator": 403}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
async def test_who_manages_the_block_lists(client, role):
    """Block lists refuse signatures on every body's petitions: not a body's moderator."""
    body, other, creator = await _setup()
    mod = await make_moderator(None)
    domain = await invalidations.block_domain(mod.id, "spam.example", "wave")
    await _as(client, role, body, other, creator)
    assert (await client.get("/petitions/moderation/blocked")).status_code == BLOCKS[role]
    if role != "anonymous":
        r = await post_form(client, f"/petitions/moderation/blocked/domain/{domain.id}/remove")
        assert r.status_code == (303 if BLOCKS[role] == 200 else 403)
        r = await post_form(client, "/petitions/moderation/blocked",
                            {"kind": "domain", "value": "other.example"})  # fmt: skip
        assert r.status_code == (303 if BLOCKS[role] == 200 else 403)
    assert {d.domain for d in await queries.blocked_domains()} == (
        {"other.example"} if BLOCKS[role] == 200 else {"spam.example"}
    )
    if role in ("moderator", "body_moderator"):
        queue = await client.get("/petitions/moderation")
        assert ("/petitions/moderation/blocked" in queue.text) == (BLOCKS[role] == 200)


async def test_administrators_manage_the_block_lists(client):
    admin = await make_user(admin=True)
    await login(client, admin.email)
    assert (await client.get("/petitions/moderation/blocked")).status_code == 200


async def test_a_body_moderator_sees_only_their_bodies_petitions(client):
    body, other, _creator = await _setup()
    mine = await make_petition(body, status=Status.MODERATION, title="Mine: waiting for a decision")
    theirs = await make_petition(other, status=Status.MODERATION, title="Theirs: waiting too")
    now = datetime.now(UTC)
    hot_mine = await make_petition(body, title="Mine: signed unusually fast")
    hot_theirs = await make_petition(other, title="Theirs: signed unusually fast")
    await Petition.filter(id__in=[hot_mine.id, hot_theirs.id]).update(
        trending_alert_at=now, trending_rate=500
    )
    await login(client, (await make_moderator(body)).email)
    queue = (await client.get("/petitions/moderation")).text
    assert mine.title in queue and hot_mine.title in queue
    assert theirs.title not in queue and hot_theirs.title not in queue
    assert (await client.get(f"/petitions/{theirs.id}")).status_code == 404
    assert (await client.get(f"/petitions/{hot_theirs.id}/signatures")).status_code == 403
    assert (await client.get(f"/petitions/{hot_mine.id}/signatures")).status_code == 200
