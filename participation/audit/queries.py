"""Reads of the audit log: the public view (an allow-list of actions, filters, keyset pages,
newest first) and the checkpoints.

What the public sees is decided here, by ``PUBLIC_ACTIONS``: acts of officials, moderators
and administrators on public things. Everything about a private person (registrations,
confirmations, password resets, profile changes, suspensions, appeals) stays in the chain, and
out of public view. An action not listed is not shown: a new code is private until someone
decides otherwise. For each public action, the data keys that may be shown (its reasons) and
how: ``text`` (written by an official for the public), or a code the page turns into words.
Nothing else of an event's data is shown (it may hold addresses, networks, names).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Subquery

from participation.audit.models import AuditCheckpoint, AuditEvent, AuditEventBody

TEXT = "text"
FLAG_REASON = "flag_reason"
REJECT_REASON = "reject_reason"

PUBLIC_ACTIONS: dict[str, dict[str, str]] = {
    "role.appoint": {},
    "role.revoke": {},
    "body.create": {},
    "body.update": {},
    "moderation.hide": {"reason": FLAG_REASON},
    "moderation.restore": {},
    "moderation.dismiss": {},
    "moderation.approve": {},
    "moderation.auto_hide": {},
    "moderation.hide_campaign": {"reason": FLAG_REASON},
    "moderation.appeal_decided": {},
    "comment.paper_entered": {},
    "comment.deleted_by_moderator": {},
    "consultation.create": {},
    "consultation.update": {},
    "consultation.section.add": {},
    "consultation.section.edit": {},
    "consultation.section.delete": {},
    "consultation.section.version": {"note": TEXT},
    "consultation.question.add": {},
    "consultation.question.delete": {},
    "consultation.attachment.add": {},
    "consultation.attachment.delete": {},
    "consultation.publish": {},
    "consultation.open": {},
    "consultation.close": {},
    "consultation.close_early": {"reason": TEXT},
    "consultation.extend": {"reason": TEXT},
    "consultation.paper_submission": {},
    "consultation.report.publish": {},
    "consultation.response.publish": {},
    "report.request": {},
    "petition.publish": {},
    "petition.reject": {"reason": REJECT_REASON, "text": TEXT},
    "petition.schedule_debate": {},
    "petition.invalidate": {"reason": TEXT},
    "petition.invalidation_undo": {},
    "petition.accept_suspects": {},
    "petition.accept_wave": {},  # public that it happened; its data (rules, counts) is not shown
    "petition.remove_wave": {},
    "petition.block_domain": {"reason": TEXT},
    "petition.block_network": {"reason": TEXT},
    "petition.unblock_domain": {},
    "petition.unblock_network": {},
    "accountability.obligation_overdue": {},
    "accountability.response_publish": {},
    "accountability.response_translate": {},
    "accountability.debate_record": {},
    "accountability.commitment_create": {},
    "accountability.commitment_translate": {},
    "accountability.commitment_update": {"reason": TEXT},
    "accountability.milestone_add": {},
    "accountability.milestone_done": {},
}


def is_public(action: str) -> bool:
    return action in PUBLIC_ACTIONS


@dataclass(frozen=True)
class PublicFilter:
    """The public view's filters: a body, an action, a time range [since, until)."""

    body_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _public(f: PublicFilter):  # type: ignore[no-untyped-def]
    if f.action is not None:
        qs = AuditEvent.filter(action=f.action if is_public(f.action) else "")
    else:
        qs = AuditEvent.filter(action__in=sorted(PUBLIC_ACTIONS))
    if f.body_id is not None:
        qs = qs.filter(id__in=Subquery(AuditEventBody.filter(body_id=f.body_id).values("event_id")))
    if f.since is not None:
        qs = qs.filter(created_at__gte=f.since)
    if f.until is not None:
        qs = qs.filter(created_at__lt=f.until)
    return qs


async def public_page(
    f: PublicFilter, *, before: int | None = None, after: int | None = None, size: int = 50
) -> tuple[list[AuditEvent], bool, bool]:
    """One page of public events, newest first: (events, has_older, has_newer).

    ``before``: events older than this id; ``after``: the page just newer than this id.
    """
    if after is not None:
        rows = await _public(f).filter(id__gt=after).order_by("id").limit(size + 1)
        has_newer = len(rows) > size
        events = list(reversed(rows[:size]))
        has_older = True
    else:
        qs = _public(f)
        if before is not None:
            qs = qs.filter(id__lt=before)
        rows = await qs.order_by("-id").limit(size + 1)
        has_older = len(rows) > size
        events = rows[:size]
        has_newer = before is not None
    return events, has_older and bool(events), has_newer and bool(events)


async def bodies_of(event_ids: list[int]) -> dict[int, list[int]]:
    """event id -> ids of the bodies it concerns."""
    out: dict[int, list[int]] = {}
    if not event_ids:
        return out
    rows = await AuditEventBody.filter(event_id__in=event_ids).order_by("body_id")
    for r in rows:
        out.setdefault(r.event_id, []).append(r.body_id)
    return out


async def count() -> int:
    return await AuditEvent.all().count()


async def public_count() -> int:
    return await _public(PublicFilter()).count()


async def newest_public_time() -> datetime | None:
    ev = await _public(PublicFilter()).order_by("-id").only("id", "created_at").first()
    return ev.created_at if ev else None


async def checkpoints(limit: int | None = None) -> list[AuditCheckpoint]:
    """Checkpoints, newest first."""
    qs = AuditCheckpoint.all().order_by("-id")
    return await (qs.limit(limit) if limit else qs)
