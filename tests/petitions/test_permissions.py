"""Who may do what, every role against the same petitions (through the pages)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from participation.organisations.models import Role
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
