"""Commitments: made from a response, their history kept (every change a row, never edited),
dropping needs a reason, milestones, who may act, followers mailed; and a petition's response
answering its ResponseObligation with the opted-in signers mailed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from participation.accountability import queries, services
from participation.accountability.models import CommitmentStatus, UpdateKind
from participation.audit.models import AuditEvent
from participation.errors import Conflict, Forbidden, Invalid
from participation.models import OutboxJob
from tests.factories import make_user
from tests.participation.accountability.conftest import World, answers

DAY = timedelta(days=1)


async def _response(world: World) -> Any:
    return await services.publish_response(
        world.publisher, "consultation", world.consultation.id, locale="en", summary="Done.",
        parts=answers(world), now=world.closed_at + DAY,
    )  # fmt: skip


async def test_a_commitment_keeps_its_whole_history(world: World) -> None:
    r = await _response(world)
    t0 = datetime(2026, 2, 1, tzinfo=UTC)
    c = await services.create_commitment(
        world.publisher, r, locale="en", title="Paint the lanes", description="",
        due_on=date(2026, 6, 1), part_keys=[f"section:{world.sections[1].id}"], now=t0,
    )  # fmt: skip
    await services.update_commitment(world.publisher, c, status=CommitmentStatus.IN_PROGRESS,
                                     progress=40, text="Four of ten.", locale="en",
                                     now=t0 + DAY)  # fmt: skip
    with pytest.raises(Invalid) as refused:
        await services.update_commitment(world.publisher, c, status=CommitmentStatus.DROPPED,
                                         progress=40, text="", locale="en")  # fmt: skip
    assert refused.value.field == "reason"
    with pytest.raises(Invalid):
        await services.update_commitment(world.publisher, c, status=CommitmentStatus.IN_PROGRESS,
                                         progress=140, text="x", locale="en")  # fmt: skip
    await services.update_commitment(world.publisher, c, status=CommitmentStatus.DROPPED,
                                     progress=40, text="", reason="No budget.", locale="fa",
                                     now=t0 + 2 * DAY)  # fmt: skip
    m = await services.add_milestone(world.publisher, c, locale="en", title="Buy paint",
                                     due_on=date(2026, 3, 1), now=t0 + 3 * DAY)  # fmt: skip
    await services.reach_milestone(world.publisher, m, done_on=date(2026, 2, 20), now=t0 + 4 * DAY)
    with pytest.raises(Conflict):
        await services.reach_milestone(world.publisher, m, done_on=date(2026, 2, 21))
    history = await queries.updates(c.id)
    assert [(u.kind, u.status, u.progress) for u in history] == [
        (UpdateKind.CREATED, CommitmentStatus.PLANNED, 0),
        (UpdateKind.PROGRESS, CommitmentStatus.IN_PROGRESS, 40),
        (UpdateKind.PROGRESS, CommitmentStatus.DROPPED, 40),
        (UpdateKind.MILESTONE, CommitmentStatus.DROPPED, 40),
        (UpdateKind.MILESTONE, CommitmentStatus.DROPPED, 40),
    ]
    assert history[1].tr("text").text == "Four of ten."
    assert history[2].i18n == {"fa": {"reason": "No budget."}}
    now = await queries.commitment(c.id)
    assert now is not None and now.status == CommitmentStatus.DROPPED and now.reason == "No budget."
    assert [(x.target_type, x.target_id) for x in await queries.links(c.id)] == [
        ("consultation", world.consultation.id), ("section", world.sections[1].id)]  # fmt: skip
    assert [x.id for x in await queries.commitments_answering("section", world.sections[1].id)] == [
        c.id
    ]
    actions = await AuditEvent.filter(target_type="commitment").values_list("action", flat=True)
    assert sorted(actions) == sorted([
        "accountability.commitment_create", "accountability.commitment_update",
        "accountability.commitment_update", "accountability.milestone_add",
        "accountability.milestone_done",
    ])  # fmt: skip


async def test_done_is_complete_and_followers_are_mailed(world: World) -> None:
    r = await _response(world)
    c = await services.create_commitment(world.publisher, r, locale="en", title="T",
                                         description="", due_on=None)  # fmt: skip
    follower = await make_user()
    from participation.accounts.principal import load_principal

    assert await services.follow_commitment(await load_principal(follower.id), c)
    assert await services.follow_commitment(await load_principal(follower.id), c)  # once
    await services.update_commitment(world.publisher, c, status=CommitmentStatus.DONE,
                                     progress=10, text="Finished.", locale="en")  # fmt: skip
    done = await queries.commitment(c.id)
    assert done is not None and done.progress == 100 and done.done_at is not None
    mails = [m for m in await OutboxJob.filter(name="send_email")
             if m.kwargs["template"] == "accountability-commitment-update"]  # fmt: skip
    assert [m.kwargs["to_user_id"] for m in mails] == [follower.id]
    assert mails[0].kwargs["context"]["progress"] == 100


async def test_only_the_bodys_publishers_act_on_commitments(world: World) -> None:
    r = await _response(world)
    c = await services.create_commitment(world.publisher, r, locale="en", title="T",
                                         description="", due_on=None)  # fmt: skip
    for who in (world.editor, world.stranger, world.citizen):
        with pytest.raises(Forbidden):
            await services.create_commitment(who, r, locale="en", title="T", description="",
                                             due_on=None)  # fmt: skip
        with pytest.raises(Forbidden):
            await services.update_commitment(who, c, status=CommitmentStatus.DONE, progress=100,
                                             text="x", locale="en")  # fmt: skip
        with pytest.raises(Forbidden):
            await services.add_milestone(who, c, locale="en", title="M", due_on=date(2026, 1, 1))
        with pytest.raises(Forbidden):
            await services.translate_response(who, r, locale="fa", summary="x", parts={})
    assert len(await queries.updates(c.id)) == 1
    # a comment that is not about this consultation cannot be named as answered
    with pytest.raises(Invalid):
        await services.create_commitment(world.publisher, r, locale="en", title="T",
                                         description="", due_on=None, comment_ids=[987654])  # fmt: skip


async def test_a_petition_response_answers_its_obligation_and_mails_opted_in_signers(
    db: Any,
) -> None:
    from participation.accounts.principal import load_principal
    from petitions.models import ResponseObligation, Signature, SignatureStatus
    from petitions.signing import canonical_email
    from tests.factories import make_body, make_official
    from tests.petitions.conftest import make_petition

    body = await make_body()
    publisher = await load_principal((await make_official(body)).id)
    p = await make_petition(body)
    crossed = datetime(2026, 1, 1, tzinfo=UTC)
    await p.__class__.filter(id=p.id).update(response_threshold_at=crossed)
    await ResponseObligation.create(petition_id=p.id, body_id=body.id, deadline=crossed + 90 * DAY)
    for i, opt_in in enumerate((True, False, True)):
        email = f"signer{i}@example.net"
        await Signature.create(
            petition_id=p.id, name=f"Signer {i}", email=email, canonical_email=canonical_email(email),
            opt_in=opt_in, status=SignatureStatus.CONFIRMED, created_at=crossed, locale="fa",
        )  # fmt: skip
    assert await services.record_obligations() == 1
    r = await services.publish_response(publisher, "petition", p.id, locale="en",
                                        summary="We will repair them.", parts={},
                                        now=crossed + 100 * DAY)  # fmt: skip
    ob = await ResponseObligation.get(petition_id=p.id)
    assert ob.responded_at == crossed + 100 * DAY  # the petitions' own record
    mine = await queries.obligation("petition", p.id)
    assert mine is not None and mine.answered_at == crossed + 100 * DAY
    assert r.figures == {"signatures": p.signature_count}
    mails = [m for m in await OutboxJob.filter(name="send_email")
             if m.kwargs["template"] == "accountability-response"]  # fmt: skip
    assert sorted(m.kwargs["to_email"] for m in mails) == [
        "signer0@example.net", "signer2@example.net"]  # fmt: skip
    assert all(m.kwargs["locale"] == "fa" for m in mails)
    # the job ran once: a second run sends nothing more
    assert await services.notify_response(r.id, "http://x") == 0
    await services.record_debate(publisher, r, debate_at=crossed + 120 * DAY,
                                 link="https://example.org/debate", outcome="Adopted.",
                                 locale="en")  # fmt: skip
    with pytest.raises(Invalid):
        await services.record_debate(publisher, r, debate_at=crossed, link="javascript:alert(1)",
                                     outcome="", locale="en")  # fmt: skip


def test_the_mails_render_in_every_language() -> None:
    from participation.mail.tasks import render_email

    contexts = {
        "accountability-response": {"person": "Sam", "titles": {"en": "Bridges"},
                                    "original": "en", "link": "http://x/r/1"},
        "accountability-overdue": {"titles": {"fa": "پل‌ها"}, "original": "fa", "days": 4,
                                   "body_names": {"en": "City", "fa": "شهرداری"},
                                   "link": "http://x/respond"},
        "accountability-commitment-update": {"titles": {"en": "Paint", "fa": "رنگ"},
                                             "status": "done", "progress": 100,
                                             "note": {"en": "Finished."}, "link": "http://x/c/1"},
    }  # fmt: skip
    for name, ctx in contexts.items():
        subject, text, html = render_email(name, "en", ctx)
        assert subject and "http://x/" in text and "http://x/" in html
        fa_subject, fa_text, _ = render_email(name, "fa", ctx)
        assert fa_subject != subject and "http://x/" in fa_text
    _, overdue_fa, _ = render_email(
        "accountability-overdue", "fa", contexts["accountability-overdue"]
    )
    assert "۴" in overdue_fa and "شهرداری" in overdue_fa
