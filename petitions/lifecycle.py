"""A petition's life: written, published or rejected by a moderator, closed when its time is
up, its debate scheduled. Each use case owns its transaction, records the audit event where an
official or moderator acts, and enqueues its jobs; the signing path's copy of the petition is
forgotten after each change."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, date, datetime, timedelta

from participation import jobs
from participation.accounts import queries as accounts
from participation.accounts.principal import Principal, refuse_if_suspended
from participation.audit.services import record
from participation.db import transaction
from participation.errors import Conflict
from participation.i18n import gettext as _
from participation.organisations.body_settings import settings_of
from petitions import queries
from petitions.counting import tell_creator
from petitions.forms import DebateInput, PetitionInput, RejectInput
from petitions.models import Petition, RejectReason, Signature, SignatureStatus, Status
from petitions.signing import canonical_email

log = logging.getLogger("petitions")

OVERDUE_WORKING_DAYS = 10
WEEKEND = (4,)  # Friday (Python weekday numbers); the deployment's weekly day(s) off


async def create_petition(
    user_id: int, data: PetitionInput, *, signer_name: str, signer_email: str
) -> Petition:
    """A confirmed citizen writes a petition; they are its first (confirmed) signature. Not
    while suspended from taking part."""
    creator = await accounts.user_by_id(user_id)
    if creator is not None:
        refuse_if_suspended(Principal(creator))
    async with transaction():
        p = await Petition.create(
            body_id=data.body_id, creator_id=user_id, title=data.title, action=data.action,
            background=data.background, details=data.details, language=data.language,
            status=Status.SPONSORING, sponsor_token=secrets.token_urlsafe(16),
            search_text=queries.search_text(data.title, data.action, data.background,
                                            data.details),
        )  # fmt: skip
        now = datetime.now(UTC)
        await Signature.create(
            petition=p, name=signer_name, email=signer_email,
            canonical_email=canonical_email(signer_email), region=data.region, opt_in=True,
            user_id=user_id, locale=data.language, status=SignatureStatus.CONFIRMED,
            created_at=now, confirmed_at=now,
        )  # fmt: skip
    return p


def _not_waiting() -> Conflict:
    return Conflict(_("This petition is not waiting for moderation."))


async def publish_petition(actor_id: int, petition_id: int) -> Petition:
    async with transaction():
        p = await Petition.select_for_update().get(id=petition_id)
        if p.status != Status.MODERATION:
            raise _not_waiting()
        days = settings_of(await queries.body_of(p)).petition_open_days
        now = datetime.now(UTC)
        p.status = Status.OPEN
        p.moderated_at = p.opened_at = now
        p.moderator_id = actor_id
        p.closes_at = now + timedelta(days=days)
        await p.save(update_fields=["status", "moderated_at", "opened_at", "moderator_id",
                                    "closes_at"])  # fmt: skip
        await record(
            actor_id, "petition.publish", "petition", p.id, {"closes_at": p.closes_at.isoformat()}
        )
        tell_creator(p, "published")
    queries.forget_petition(petition_id)
    return p


async def reject_petition(actor_id: int, petition_id: int, data: RejectInput) -> Petition:
    async with transaction():
        p = await Petition.select_for_update().get(id=petition_id)
        if p.status != Status.MODERATION:
            raise _not_waiting()
        p.status = Status.REJECTED
        p.moderated_at = datetime.now(UTC)
        p.moderator_id = actor_id
        p.reject_reason = RejectReason(data.reason)
        p.reject_text = data.text
        await p.save(update_fields=["status", "moderated_at", "moderator_id", "reject_reason",
                                    "reject_text"])  # fmt: skip
        await record(actor_id, "petition.reject", "petition", p.id,
                     {"reason": data.reason, "text": data.text})  # fmt: skip
        tell_creator(p, "rejected")
    queries.forget_petition(petition_id)
    return p


def working_days_between(start: date, end: date) -> int:
    days = 0
    d = start
    while d < end:
        d += timedelta(days=1)
        if d.weekday() not in WEEKEND:
            days += 1
    return days


def is_overdue(p: Petition, now: datetime | None = None) -> bool:
    """Waiting for a moderator more than ten working days."""
    if p.status != Status.MODERATION or p.submitted_at is None:
        return False
    now = now or datetime.now(UTC)
    return working_days_between(p.submitted_at.date(), now.date()) > OVERDUE_WORKING_DAYS


async def close_due_petitions(now: datetime | None = None) -> list[int]:
    """Open petitions whose time is up are closed, each in its own transaction."""
    now = now or datetime.now(UTC)
    closed = []
    for pid in await queries.due_to_close(now):
        try:
            async with transaction():
                moved = await Petition.filter(id=pid, status=Status.OPEN).update(
                    status=Status.CLOSED, closed_at=now
                )
        except Exception:
            log.exception("petition %s: closing failed; retried next run", pid)
            continue
        queries.forget_petition(pid)
        if moved:
            closed.append(pid)
    return closed


async def schedule_debate(actor_id: int, petition_id: int, data: DebateInput) -> None:
    async with transaction():
        p = await Petition.select_for_update().get(id=petition_id)
        if p.debate_threshold_at is None:
            raise Conflict(_("This petition has not reached the debate threshold."))
        p.debate_at = data.debate_at
        p.debate_link = data.debate_link
        await p.save(update_fields=["debate_at", "debate_link"])
        await record(actor_id, "petition.schedule_debate", "petition", p.id,
                     {"at": data.debate_at.isoformat(), "link": data.debate_link})  # fmt: skip
        jobs.enqueue("notify_petition_signers", key=f"petition-notify:{p.id}:debate-scheduled:0",
                     petition_id=p.id, event="debate_scheduled", after_id=0)  # fmt: skip
    queries.forget_petition(petition_id)
