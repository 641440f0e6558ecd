"""Obligations: the deadline per body setting, and due / on time / late / overdue driven by an
injected clock; the daily job marks overdue ones once, audited, with the body's officials
mailed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from consultations.models import Consultation
from participation.accountability import queries, services
from participation.accountability.deadlines import State, describe, standing
from participation.accountability.models import Obligation
from participation.audit.models import AuditEvent
from participation.errors import Conflict, Forbidden
from participation.i18n import set_locale
from participation.models import OutboxJob
from tests.factories import make_body, make_consultation
from tests.participation.accountability.conftest import World, answers

DAY = timedelta(days=1)


def test_standing_moves_from_due_to_overdue_and_answers_are_on_time_or_late() -> None:
    due = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert standing(due, None, due - 3 * DAY) == standing(due, None, due - 2.5 * DAY)
    assert standing(due, None, due - 3 * DAY).state == State.DUE
    assert standing(due, None, due - 3 * DAY).days == 3
    assert standing(due, None, due).state == State.DUE
    assert standing(due, None, due + timedelta(hours=1)).state == State.OVERDUE
    assert standing(due, None, due + timedelta(hours=1)).days == 1  # a started day counts
    assert standing(due, None, due + 5 * DAY).days == 5
    assert standing(due, due - DAY, due + 100 * DAY).state == State.ON_TIME
    late = standing(due, due + 2 * DAY, due + 100 * DAY)
    assert (late.state, late.days) == (State.LATE, 2)


def test_the_sentences_are_translated_with_plurals_and_local_digits() -> None:
    due = datetime(2026, 3, 1, tzinfo=UTC)
    set_locale("en")
    assert describe(standing(due, None, due - 3 * DAY)) == "due in 3 days"
    assert describe(standing(due, None, due - DAY)) == "due in 1 day"
    assert describe(standing(due, due + 2 * DAY, due)) == "answered 2 days late"
    assert describe(standing(due, None, due + 5 * DAY)) == "overdue by 5 days"
    set_locale("fa")
    text = describe(standing(due, None, due + 5 * DAY))
    assert "۵" in text and "5" not in text and "overdue" not in text
    set_locale("en")


async def test_the_deadline_is_the_bodys_setting_after_the_close(world: World) -> None:
    default_body = await make_body()
    c2 = await make_consultation(default_body, status="closed")
    await make_consultation(default_body, status="open")  # owes nothing yet
    assert await services.record_obligations() == 2
    assert await services.record_obligations() == 0  # once
    ob = await queries.obligation("consultation", world.consultation.id)
    assert ob is not None and ob.body_id == world.body.id
    assert ob.opened_at == world.closed_at
    assert ob.due_at == world.closed_at + 30 * DAY  # the body's consultation_response_days
    ob2 = await queries.obligation("consultation", c2.id)
    assert ob2 is not None and ob2.due_at - ob2.opened_at == 84 * DAY  # twelve weeks
    assert await Obligation.all().count() == 2


async def test_overdue_is_marked_once_audited_and_the_officials_mailed(world: World) -> None:
    await services.record_obligations()
    due = world.closed_at + 30 * DAY
    assert await services.mark_overdue("http://x", now=due - DAY) == []
    before = await OutboxJob.filter(name="send_email").count()
    marked = await services.mark_overdue("http://x", now=due + 4 * DAY)
    assert len(marked) == 1
    assert await services.mark_overdue("http://x", now=due + 5 * DAY) == []  # once
    ob = await Obligation.get(id=marked[0])
    assert ob.overdue_at == due + 4 * DAY
    event = await AuditEvent.filter(action="accountability.obligation_overdue").get()
    assert event.data["days"] == 4 and event.data["body_id"] == world.body.id
    mails = await OutboxJob.filter(name="send_email").order_by("id").offset(before)
    to = sorted(
        m.kwargs["to_user_id"] for m in mails if m.kwargs["template"] == "accountability-overdue"
    )
    assert to == sorted([world.publisher.id, world.editor.id])
    assert [o.id for o in await queries.overdue(due + 4 * DAY)] == [ob.id]


async def test_one_broken_item_does_not_stop_the_overdue_job(
    world: World, monkeypatch: Any
) -> None:
    other = await make_consultation(world.body, status="closed")
    await services.record_obligations()
    real = services._mark_one
    calls = []

    async def flaky(ob_id: int, base_url: str, now: datetime) -> bool:
        calls.append(ob_id)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return await real(ob_id, base_url, now)

    monkeypatch.setattr(services, "_mark_one", flaky)
    marked = await services.mark_overdue("http://x", now=datetime.now(UTC) + 400 * DAY)
    assert len(calls) == 2 and len(marked) == 1
    assert other.id  # both were tried


async def test_publishing_late_answers_the_obligation_late(world: World) -> None:
    due = world.closed_at + 30 * DAY
    r = await services.publish_response(
        world.publisher, "consultation", world.consultation.id, locale="en",
        summary="We will build bike lanes.", parts=answers(world), now=due + 3 * DAY,
    )  # fmt: skip
    ob = await queries.obligation("consultation", world.consultation.id)
    assert ob is not None and ob.answered_at == due + 3 * DAY and ob.response_id == r.id
    s = standing(ob.due_at, ob.answered_at, due + 50 * DAY)
    assert (s.state, s.days) == (State.LATE, 3)
    event = await AuditEvent.filter(action="accountability.response_publish").get()
    assert event.data["state"] == "late" and event.data["days"] == 3
    # the overdue job leaves an answered obligation alone
    assert await services.mark_overdue("http://x", now=due + 60 * DAY) == []


async def test_publishing_in_time_is_on_time_and_cites_the_report(world: World) -> None:
    r = await services.publish_response(
        world.publisher, "consultation", world.consultation.id, locale="en",
        summary="We will build bike lanes.", parts=answers(world),
        now=world.closed_at + 10 * DAY,
    )  # fmt: skip
    assert r.report_version == 3 and r.figures == {"people": 120, "comments": 80}
    parts = await queries.parts(r.id)
    assert [p.position for p in parts] == [0, 1, 2]
    assert parts[0].decision == "changed" and parts[0].figures["for_pct"] == 60.0
    assert parts[1].figures["against_pct"] == 80.0 and parts[2].figures == {}
    ob = await queries.obligation("consultation", world.consultation.id)
    assert ob is not None
    assert standing(ob.due_at, ob.answered_at, ob.due_at + 99 * DAY).state == State.ON_TIME
    # the followers' mailing is queued
    assert await OutboxJob.filter(name="notify_accountability_response").count() == 1


async def test_who_may_publish(world: World) -> None:
    args = dict(locale="en", summary="S", parts=answers(world))
    for who in (world.editor, world.stranger, world.citizen):
        with pytest.raises(Forbidden):
            await services.publish_response(who, "consultation", world.consultation.id, **args)
    still_open = await make_consultation(world.body, status="open")
    with pytest.raises(Forbidden):
        await services.publish_response(world.publisher, "consultation", still_open.id, **args)
    await services.publish_response(world.publisher, "consultation", world.consultation.id, **args)
    with pytest.raises(Conflict):
        await services.publish_response(world.publisher, "consultation", world.consultation.id,
                                        **args)  # fmt: skip
    assert await AuditEvent.filter(action="accountability.response_publish").count() == 1


async def test_a_legacy_response_outcome_answers_the_obligation(world: World) -> None:
    from consultations.models import Outcome, OutcomeKind

    at = world.closed_at + 40 * DAY
    await Outcome.create(consultation_id=world.consultation.id, kind=OutcomeKind.RESPONSE,
                         i18n={"en": {"text": "Old response"}}, body_id=world.body.id,
                         published_at=at)  # fmt: skip
    await services.record_obligations()
    ob = await queries.obligation("consultation", world.consultation.id)
    assert ob is not None and ob.answered_at == at and ob.response_id is None
    assert standing(ob.due_at, ob.answered_at, at).days == 10
    assert await Consultation.filter(id=world.consultation.id).exists()
