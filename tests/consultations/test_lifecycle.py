"""draft -> scheduled -> open -> closed, by publishers and by the periodic job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from consultations import services
from consultations.models import Consultation, DateChange, SectionVersion, Status
from participation.audit.models import AuditEvent
from participation.errors import Conflict, Forbidden, Invalid
from participation.web.errors import status_of
from tests.factories import make_consultation


def now() -> datetime:
    return datetime.now(UTC)


async def actions(c: Consultation) -> list[str]:
    events = await AuditEvent.filter(target_type="consultation", target_id=str(c.id)).order_by("id")
    return [e.action for e in events]


async def test_publishing_with_a_future_date_schedules_and_the_job_opens_then_closes(world) -> None:
    p = world.people["publisher"]
    c = await make_consultation(world.ministry, status="draft", co_owners=(world.agency,))
    await services.publish(p, c, opens_at=now() + timedelta(hours=1),
                           closes_at=now() + timedelta(days=10))  # fmt: skip
    c = await Consultation.get(id=c.id)
    assert c.status == Status.SCHEDULED
    assert not await SectionVersion.exists(section__consultation_id=c.id)

    # not yet due: nothing happens
    assert (await services.advance_consultations(now())).opened == []
    done = await services.advance_consultations(now() + timedelta(hours=2))
    assert done.opened == [c.id] and done.closed == []
    c = await Consultation.get(id=c.id)
    assert c.status == Status.OPEN and c.opened_at is not None
    # opening takes version 1 of every section
    assert await SectionVersion.filter(section__consultation_id=c.id, number=1).count() == 2

    # idempotent: a second run changes nothing
    again = await services.advance_consultations(now() + timedelta(hours=2))
    assert again.opened == [] and again.closed == []

    done = await services.advance_consultations(now() + timedelta(days=11))
    assert done.closed == [c.id]
    assert (await Consultation.get(id=c.id)).status == Status.CLOSED
    assert (await services.advance_consultations(now() + timedelta(days=12))).closed == []
    assert await actions(c) == ["consultation.publish", "consultation.open", "consultation.close"]


async def test_publishing_when_the_opening_time_has_come_opens_at_once(world) -> None:
    c = await make_consultation(world.agency, status="draft", co_owners=(world.ministry,))
    await services.publish(world.people["publisher"], c, opens_at=now() - timedelta(minutes=5),
                           closes_at=now() + timedelta(days=3))  # fmt: skip
    assert (await Consultation.get(id=c.id)).status == Status.OPEN


async def test_the_periodic_job_is_registered_and_runs(world, app) -> None:
    registry = app.state.job_registry
    assert "advance_consultations" in [p.name for p in registry.periodic]
    c = await make_consultation(world.ministry, status="scheduled")
    await Consultation.filter(id=c.id).update(opens_at=now() - timedelta(seconds=1))
    from participation import jobs

    runner = jobs.current_runner()
    assert isinstance(runner, jobs.InlineRunner)
    result = await runner.run_periodic("advance_consultations")
    assert result["opened"] == [c.id]
    assert (await Consultation.get(id=c.id)).status == Status.OPEN


async def test_editors_cannot_publish_and_a_draft_needs_a_section(world) -> None:
    c = await make_consultation(world.ministry, status="draft", sections=0)
    with pytest.raises(Forbidden) as refused:
        await services.publish(world.people["editor"], c, opens_at=now(),
                               closes_at=now() + timedelta(days=1))  # fmt: skip
    assert status_of(refused.value) == 403
    with pytest.raises(Conflict) as conflict:
        await services.publish(world.people["publisher"], c, opens_at=now(),
                               closes_at=now() + timedelta(days=1))  # fmt: skip
    assert status_of(conflict.value) == 409
    assert (await Consultation.get(id=c.id)).status == Status.DRAFT


async def test_closing_early_needs_a_reason_which_is_public_and_audited(world) -> None:
    c = await make_consultation(world.ministry, status="open", co_owners=(world.agency,))
    with pytest.raises(Invalid) as refused:
        await services.close_early(world.people["coowner_publisher"], c, reason="  ")
    assert refused.value.field == "reason"
    await services.close_early(world.people["coowner_publisher"], c,
                               reason="The law was withdrawn by parliament.")  # fmt: skip
    c = await Consultation.get(id=c.id)
    assert c.status == Status.CLOSED and c.closed_at is not None
    change = await DateChange.get(consultation_id=c.id)
    assert change.kind == "closed_early" and change.reason == "The law was withdrawn by parliament."
    event = await AuditEvent.get(action="consultation.close_early", target_id=str(c.id))
    assert event.data["reason"] == "The law was withdrawn by parliament."
    assert event.actor_id == world.people["coowner_publisher"].id


async def test_extending_needs_a_later_date_and_a_reason(world) -> None:
    c = await make_consultation(world.ministry, status="open")
    old = c.closes_at
    assert old is not None
    with pytest.raises(Invalid) as refused:
        await services.extend(world.people["publisher"], c, closes_at=old - timedelta(days=1),
                              reason="Many requests")  # fmt: skip
    assert refused.value.field == "closes_at"
    with pytest.raises(Forbidden):
        await services.extend(world.people["editor"], c, closes_at=old + timedelta(days=7),
                              reason="Many requests")  # fmt: skip
    await services.extend(world.people["publisher"], c, closes_at=old + timedelta(days=7),
                          reason="Many people asked for more time.")  # fmt: skip
    c = await Consultation.get(id=c.id)
    assert c.closes_at == old + timedelta(days=7) and c.status == Status.OPEN
    change = await DateChange.get(consultation_id=c.id)
    assert change.kind == "extended" and change.old_closes_at == old
    assert await actions(c) == ["consultation.extend"]


async def test_every_official_action_is_audited(world) -> None:
    p = world.people["editor"]
    c = await services.create_consultation(
        p, world.ministry.id, i18n={"en": {"title": "Water", "summary": "S"}},
        original_locale="en", co_owner_ids=[world.agency.id],
    )  # fmt: skip
    s = await services.add_section(p, c, i18n={"en": {"title": "A", "text": "T"}},
                                   original_locale="en")  # fmt: skip
    await services.edit_section(p, c, s, i18n={"en": {"title": "A2", "text": "T2"}},
                                original_locale="en")  # fmt: skip
    await services.update_consultation(
        p, c, i18n={"en": {"title": "Water 2", "summary": "S"}}, original_locale="en",
        topic="water", region="", co_owner_ids=[],
    )  # fmt: skip
    assert await actions(c) == [
        "consultation.create", "consultation.section.add", "consultation.section.edit",
        "consultation.update",
    ]  # fmt: skip
    assert c.slug == "water"
