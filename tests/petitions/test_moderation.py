"""Moderation decisions, the queue, invalidation and its reversal, suspects, trending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from participation.audit.models import AuditEvent
from petitions import counting, invalidations, lifecycle
from petitions.forms import InvalidationInput, RejectInput
from petitions.models import Invalidation, Petition, RejectReason, Signature, Status
from tests.conftest import login, post_form
from tests.factories import make_body, make_moderator, make_official, make_user, sent_mails
from tests.petitions.conftest import add_signatures, make_petition


async def test_rejected_petition_stays_visible_with_its_reason(client):
    body = await make_body()
    p = await make_petition(body, status=Status.MODERATION)
    mod = await make_moderator(None)
    await login(client, mod.email)
    r = await post_form(client, f"/petitions/{p.id}/moderate",
                        {"decision": "reject", "reason": "not_responsible",
                         "text": "Bridges belong to the city, not the ministry."})  # fmt: skip
    assert r.status_code == 303
    client.cookies.clear()
    page = await client.get(f"/petitions/{p.id}")
    assert page.status_code == 200
    assert (
        "not this body&#39;s responsibility" in page.text
        or "not this body's responsibility" in page.text
    )
    assert "Bridges belong to the city" in page.text
    assert await AuditEvent.filter(action="petition.reject").count() == 1


async def test_rejection_needs_a_reason_and_text(client):
    p = await make_petition(await make_body(), status=Status.MODERATION)
    mod = await make_moderator(None)
    await login(client, mod.email)
    r = await post_form(
        client, f"/petitions/{p.id}/moderate", {"decision": "reject", "reason": "x"}
    )
    assert r.status_code == 400
    assert "choose one of the options" in r.text
    assert (await Petition.get(id=p.id)).status == Status.MODERATION


async def test_offensive_rejections_are_hidden_from_the_public(client):
    p = await make_petition(await make_body(), status=Status.MODERATION)
    mod = await make_moderator(None)
    await lifecycle.reject_petition(
        mod.id, p.id, RejectInput(reason=RejectReason.OFFENSIVE.value, text="Abusive language.")
    )
    assert (await client.get(f"/petitions/{p.id}")).status_code == 404
    assert (await client.get(f"/api/v1/petitions/{p.id}")).status_code == 404
    await login(client, mod.email)
    assert (await client.get(f"/petitions/{p.id}")).status_code == 200


async def test_officials_moderate_only_where_the_body_allows_it(client):
    allowed = await make_body(settings={"petition_officials_moderate": True})
    other = await make_body()
    p1 = await make_petition(allowed, status=Status.MODERATION)
    p2 = await make_petition(other, status=Status.MODERATION)
    official = await make_official(allowed)
    await Membership_for(official, other)
    await login(client, official.email)
    queue = await client.get("/petitions/moderation")
    assert p1.title in queue.text and p2.title not in queue.text
    r = await post_form(client, f"/petitions/{p2.id}/moderate", {"decision": "publish"})
    assert r.status_code == 404  # not theirs to see while it waits
    assert (await Petition.get(id=p2.id)).status == Status.MODERATION
    r = await post_form(client, f"/petitions/{p1.id}/moderate", {"decision": "publish"})
    assert r.status_code == 303
    assert (await Petition.get(id=p1.id)).status == Status.OPEN


async def Membership_for(user, body):  # noqa: N802 - reads as a sentence in the test
    from participation.organisations.models import Membership, Role

    await Membership.create(user=user, body=body, role=Role.PUBLISHER)


async def test_waiting_more_than_ten_working_days_is_overdue(client):
    body = await make_body()
    old = await make_petition(body, status=Status.MODERATION, submitted_days_ago=20)
    new = await make_petition(body, status=Status.MODERATION, submitted_days_ago=2)
    assert lifecycle.is_overdue(old) and not lifecycle.is_overdue(new)
    mod = await make_moderator(None)
    await login(client, mod.email)
    page = await client.get("/petitions/moderation")
    assert page.text.count("Overdue") == 1
    assert page.text.index(old.title) < page.text.index(new.title)


async def test_invalidation_removes_signatures_and_undo_restores_them(client):
    p = await make_petition(await make_body())
    await add_signatures(p, 3, domain="good.example")
    await add_signatures(p, 4, domain="fake.example")
    await counting.count_signatures()
    mod = await make_moderator(None)
    await login(client, mod.email)
    r = await post_form(client, f"/petitions/{p.id}/invalidate",
                        {"domain": "fake.example", "reason": "Scripted wave from one domain"},
                        page=f"/petitions/{p.id}/signatures")  # fmt: skip
    assert r.status_code == 303
    assert (await Petition.get(id=p.id)).signature_count == 3
    inv = await Invalidation.get(petition_id=p.id)
    assert inv.affected == 4
    assert await AuditEvent.filter(action="petition.invalidate").count() == 1
    review = await client.get(f"/petitions/{p.id}/signatures")
    assert "Scripted wave" in review.text
    r = await post_form(client, f"/petitions/{p.id}/invalidations/{inv.id}/undo", {},
                        page=f"/petitions/{p.id}/signatures")  # fmt: skip
    assert r.status_code == 303
    assert (await Petition.get(id=p.id)).signature_count == 7
    assert await Signature.filter(petition_id=p.id, invalidation_id__isnull=False).count() == 0
    assert await AuditEvent.filter(action="petition.invalidation_undo").count() == 1


async def test_invalidation_by_network_time_window_and_hand_picked_set(db):
    p = await make_petition(await make_body())
    t = datetime.now(UTC) - timedelta(days=1)
    wave = await add_signatures(p, 3, ip="203.0.113.5", at=t, spacing=timedelta(minutes=2))
    others = await add_signatures(p, 4, at=t + timedelta(hours=2))
    await counting.count_signatures()
    mod = await make_moderator(None)
    await invalidations.invalidate(
        mod.id, p.id, InvalidationInput(cidr="203.0.113.0/24", reason="range")
    )
    assert (await Petition.get(id=p.id)).signature_count == 4
    inv = await invalidations.invalidate(
        mod.id, p.id, InvalidationInput(since=t + timedelta(hours=1), until=datetime.now(UTC),
                                        ids=(others[0].id,), reason="picked"))  # fmt: skip
    assert inv.affected == 1
    assert (await Petition.get(id=p.id)).signature_count == 3
    assert len(wave) == 3


async def test_moderators_can_count_suspect_signatures(client):
    p = await make_petition(await make_body())
    await add_signatures(p, 3, ip="198.51.100.9", spacing=timedelta(seconds=5))
    await counting.count_signatures()
    assert (await Petition.get(id=p.id)).signature_count == 1
    mod = await make_moderator(None)
    await login(client, mod.email)
    review = await client.get(f"/petitions/{p.id}/signatures")
    assert "198.51.100.0/24" in review.text and "198.51.100.9" not in review.text
    ids = await Signature.filter(petition_id=p.id, suspect=True).values_list("id", flat=True)
    r = await post_form(client, f"/petitions/{p.id}/suspects", {"id": [str(i) for i in ids]},
                        page=f"/petitions/{p.id}/signatures")  # fmt: skip
    assert r.status_code == 303
    assert (await Petition.get(id=p.id)).signature_count == 3


async def test_blocked_list_is_managed_by_moderators(client):
    mod = await make_moderator(None)
    await login(client, mod.email)
    r = await post_form(client, "/petitions/moderation/blocked",
                        {"kind": "network", "value": "not a range"}, page="/petitions/moderation/blocked")  # fmt: skip
    assert r.status_code == 400 and "address range like" in r.text
    r = await post_form(client, "/petitions/moderation/blocked",
                        {"kind": "domain", "value": "Spam.Example", "reason": "wave"},
                        page="/petitions/moderation/blocked")  # fmt: skip
    assert r.status_code == 303
    page = await client.get("/petitions/moderation/blocked")
    assert "spam.example" in page.text
    await make_user("citizen@example.org")
    client.cookies.clear()
    await login(client, "citizen@example.org")
    assert (await client.get("/petitions/moderation/blocked")).status_code == 403


async def test_trending_petitions_alert_moderators_once(db, settings):
    p = await make_petition(await make_body())
    await make_moderator(None, email="watch@example.org")
    await add_signatures(
        p, 20, at=datetime.now(UTC) - timedelta(hours=20), spacing=timedelta(hours=1)
    )
    await add_signatures(p, counting.TRENDING_MIN_PER_HOUR + 20, spacing=timedelta(seconds=10))
    assert await counting.detect_trending() == [p.id]
    assert await counting.detect_trending() == []
    p = await Petition.get(id=p.id)
    assert p.trending_alert_at is not None and p.trending_rate >= counting.TRENDING_MIN_PER_HOUR
    mails = sent_mails(settings)
    assert [m["To"] for m in mails] == ["watch@example.org"]
    assert "unusually fast" in mails[0]["Subject"]


async def test_the_queue_lists_petitions_with_signatures_held_for_review(client):
    """Held signatures wait for a moderator, trending or not: the queue lists them, the most
    held first, each linking to its review page; a body's moderator sees their body's only."""
    body, other = await make_body(), await make_body()
    few = await make_petition(body)
    many = await make_petition(body)
    theirs = await make_petition(other)
    none = await make_petition(body)
    await Petition.filter(id=few.id).update(under_review=3)
    await Petition.filter(id=many.id).update(under_review=60)
    await Petition.filter(id=theirs.id).update(under_review=9)
    await login(client, (await make_moderator(body)).email)
    page = (await client.get("/petitions/moderation")).text
    assert "60 signatures wait for your decision" in page
    assert "3 signatures wait for your decision" in page
    assert page.index(many.title) < page.index(few.title)
    assert f"/petitions/{many.id}/signatures" in page
    assert theirs.title not in page and none.title not in page
    await Petition.filter(id__in=[few.id, many.id]).update(under_review=0)  # decided
    assert "No signatures are held for review." in (await client.get("/petitions/moderation")).text
