"""Every write of the consultations domain: one function per use case, each owning its
transaction and writing the audit event of the official who acts."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from consultations import permissions as perms
from consultations import queries, report
from consultations.models import (
    AnswerSet,
    Attachment,
    Consultation,
    ConsultationBody,
    DateChange,
    DateChangeKind,
    Follow,
    Outcome,
    OutcomeKind,
    Question,
    QuestionKind,
    Section,
    SectionVersion,
    Status,
)
from participation import jobs
from participation.accounts.principal import Principal, refuse_if_suspended
from participation.audit.services import record
from participation.comments import queries as comment_queries
from participation.comments import services as comment_services
from participation.db import transaction
from participation.errors import Conflict, Forbidden, Invalid
from participation.i18n import LOCALES
from participation.i18n import gettext as _
from participation.mail.services import queue_email
from participation.organisations.models import Role
from participation.settings import Settings
from participation.storage import Storage, download_name

I18n = dict[str, dict[str, str]]


def _now() -> datetime:
    return datetime.now(UTC)


def closed_refusal() -> Forbidden:
    return Forbidden(
        _("This consultation is not open. Comments, votes and answers are not accepted.")
    )


def search_text(i18n: I18n) -> str:
    parts: list[str] = []
    for loc in LOCALES:
        for name in ("title", "summary"):
            text = (i18n.get(loc) or {}).get(name, "")
            if text:
                parts.append(text)
    return " ".join(" ".join(parts).lower().split())


def _slug_base(i18n: I18n, original: str) -> str:
    for loc in (original, "en", "fr"):
        title = (i18n.get(loc) or {}).get("title", "")
        base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
        if base:
            return base
    return "consultation"


async def _unique_slug(i18n: I18n, original: str) -> str:
    base = _slug_base(i18n, original)
    slug = base
    while await Consultation.exists(slug=slug):
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


async def _owners(c: Consultation) -> list[int]:
    return await queries.owner_ids(c.id)


async def _require(ok: bool) -> None:
    if not ok:
        raise Forbidden(_("You are not allowed to do this."))


async def _set_co_owners(c: Consultation, co_owner_ids: Iterable[int]) -> list[int]:
    wanted = {c.body_id, *co_owner_ids}
    have = set(await queries.owner_ids(c.id))
    for body_id in wanted - have:
        await ConsultationBody.create(consultation_id=c.id, body_id=body_id)
    gone = have - wanted
    if gone:
        await ConsultationBody.filter(consultation_id=c.id, body_id__in=list(gone)).delete()
    return sorted(wanted)


# ---- officials: the consultation itself ----------------------------------------------------


async def create_consultation(
    principal: Principal, body_id: int, *, i18n: I18n, original_locale: str, topic: str = "",
    region: str = "", co_owner_ids: Iterable[int] = (), slug: str | None = None,
    flag_threshold: int | None = None, premoderated: bool = False,
) -> Consultation:  # fmt: skip
    await _require(perms.can_create(principal, body_id))
    async with transaction():
        c = await Consultation.create(
            slug=slug or await _unique_slug(i18n, original_locale),
            body_id=body_id,
            i18n=i18n,
            original_locale=original_locale,
            search_text=search_text(i18n),
            topic=topic,
            region=region,
            created_by_id=principal.id,
            flag_threshold=flag_threshold,
            premoderated=premoderated,
        )
        owners = await _set_co_owners(c, co_owner_ids)
        await record(principal.id, "consultation.create", "consultation", c.id,
                     {"slug": c.slug, "owners": owners})  # fmt: skip
    return c


async def update_consultation(
    principal: Principal, c: Consultation, *, i18n: I18n, original_locale: str, topic: str,
    region: str, co_owner_ids: Iterable[int], flag_threshold: int | None = None,
    premoderated: bool = False,
) -> Consultation:  # fmt: skip
    await _require(perms.can_edit(principal, c, await _owners(c)))
    async with transaction():
        c.i18n = i18n
        c.original_locale = original_locale
        c.search_text = search_text(i18n)
        c.topic = topic
        c.region = region
        c.flag_threshold = flag_threshold
        c.premoderated = premoderated
        await c.save()
        owners = await _set_co_owners(c, co_owner_ids)
        await record(principal.id, "consultation.update", "consultation", c.id,
                     {"locales": sorted(i18n), "owners": owners,
                      "flag_threshold": flag_threshold, "premoderated": premoderated})  # fmt: skip
    return c


# ---- sections ------------------------------------------------------------------------------


async def add_section(
    principal: Principal, c: Consultation, *, i18n: I18n, original_locale: str
) -> Section:
    await _require(perms.can_edit(principal, c, await _owners(c)))
    async with transaction():
        last = await Section.filter(consultation_id=c.id).order_by("-position").first()
        section = await Section.create(
            consultation_id=c.id,
            position=(last.position + 1) if last else 1,
            i18n=i18n,
            original_locale=original_locale,
        )
        await record(principal.id, "consultation.section.add", "consultation", c.id,
                     {"section_id": section.id, "position": section.position})  # fmt: skip
    return section


async def edit_section(
    principal: Principal, c: Consultation, section: Section, *, i18n: I18n, original_locale: str
) -> Section:
    """Before opening only; afterwards a change is a new version (publish_section_version)."""
    await _require(perms.can_edit(principal, c, await _owners(c)))
    async with transaction():
        section.i18n = i18n
        section.original_locale = original_locale
        await section.save()
        await record(principal.id, "consultation.section.edit", "consultation", c.id,
                     {"section_id": section.id})  # fmt: skip
    return section


async def delete_section(principal: Principal, c: Consultation, section: Section) -> None:
    await _require(perms.can_edit(principal, c, await _owners(c)))
    async with transaction():
        await section.delete()
        remaining = await Section.filter(consultation_id=c.id).order_by("position", "id")
        for i, s in enumerate(remaining, start=1):
            if s.position != i:
                await Section.filter(id=s.id).update(position=i)
        await record(principal.id, "consultation.section.delete", "consultation", c.id,
                     {"section_id": section.id})  # fmt: skip


async def _snapshot(section: Section, number: int, actor_id: int | None, note: str,
                    at: datetime) -> SectionVersion:  # fmt: skip
    return await SectionVersion.create(
        section_id=section.id, number=number, i18n=section.i18n,
        original_locale=section.original_locale, note=note, published_at=at,
        published_by_id=actor_id,
    )  # fmt: skip


async def publish_section_version(
    principal: Principal, c: Consultation, section: Section, *, i18n: I18n,
    original_locale: str, note: str,
) -> SectionVersion:  # fmt: skip
    """After opening: the new text becomes current, every earlier version stays readable."""
    await _require(perms.can_publish_version(principal, c, await _owners(c)))
    async with transaction():
        fresh = await Section.select_for_update().get(id=section.id)
        fresh.i18n = i18n
        fresh.original_locale = original_locale
        fresh.version = fresh.version + 1
        await fresh.save()
        version = await _snapshot(fresh, fresh.version, principal.id, note, _now())
        await record(principal.id, "consultation.section.version", "consultation", c.id,
                     {"section_id": section.id, "version": version.number, "note": note})  # fmt: skip
    section.i18n, section.version = fresh.i18n, fresh.version
    return version


# ---- questionnaire -------------------------------------------------------------------------


async def add_question(
    principal: Principal, c: Consultation, *, kind: QuestionKind, required: bool, i18n: I18n,
    original_locale: str, options: list[dict[str, Any]],
) -> Question:  # fmt: skip
    await _require(perms.can_edit(principal, c, await _owners(c)))
    async with transaction():
        last = await Question.filter(consultation_id=c.id).order_by("-position").first()
        q = await Question.create(
            consultation_id=c.id, position=(last.position + 1) if last else 1, kind=kind,
            required=required, i18n=i18n, original_locale=original_locale,
            options=options if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else [],
        )  # fmt: skip
        await record(principal.id, "consultation.question.add", "consultation", c.id,
                     {"question_id": q.id, "kind": str(kind)})  # fmt: skip
    return q


async def delete_question(principal: Principal, c: Consultation, question: Question) -> None:
    await _require(perms.can_edit(principal, c, await _owners(c)))
    async with transaction():
        await question.delete()
        await record(principal.id, "consultation.question.delete", "consultation", c.id,
                     {"question_id": question.id})  # fmt: skip


# ---- attachments ---------------------------------------------------------------------------


async def add_attachment(
    principal: Principal, c: Consultation, storage: Storage, *, filename: str, data: bytes,
    title: str = "",
) -> Attachment:  # fmt: skip
    """``data`` is a checked PDF (forms.AttachmentInput); the name kept is the one it will be
    downloaded as (no path, no quotes, ending in .pdf)."""
    await _require(perms.can_edit(principal, c, await _owners(c)))
    filename = download_name(filename, ".pdf")
    key = storage.save(filename, data)
    try:
        async with transaction():
            a = await Attachment.create(
                consultation_id=c.id, storage_key=key, filename=filename[:200],
                title=title[:200], content_type="application/pdf", size=len(data),
                uploaded_by_id=principal.id,
            )  # fmt: skip
            await record(principal.id, "consultation.attachment.add", "consultation", c.id,
                         {"attachment_id": a.id, "filename": a.filename, "size": a.size})  # fmt: skip
    except BaseException:
        storage.delete(key)
        raise
    return a


async def delete_attachment(
    principal: Principal, c: Consultation, storage: Storage, a: Attachment
) -> None:
    await _require(perms.can_edit(principal, c, await _owners(c)))
    async with transaction():
        await a.delete()
        await record(principal.id, "consultation.attachment.delete", "consultation", c.id,
                     {"attachment_id": a.id, "filename": a.filename})  # fmt: skip
    storage.delete(a.storage_key)


# ---- lifecycle -----------------------------------------------------------------------------


async def _open(c: Consultation, now: datetime, actor_id: int | None) -> bool:
    """Scheduled/draft -> open, taking version 1 of every section. False if already done."""
    n = await Consultation.filter(id=c.id, status__in=[Status.DRAFT, Status.SCHEDULED]).update(
        status=Status.OPEN, opened_at=now
    )
    if not n:
        return False
    for s in await Section.filter(consultation_id=c.id, version=0).order_by("position"):
        s.version = 1
        await s.save(update_fields=["version"])
        await _snapshot(s, 1, actor_id, "", now)
    c.status, c.opened_at = Status.OPEN, now
    return True


async def publish(
    principal: Principal, c: Consultation, *, opens_at: datetime, closes_at: datetime
) -> Consultation:
    """A publisher schedules a draft (or opens it at once when ``opens_at`` has come)."""
    await _require(perms.can_publish(principal, c, await _owners(c)))
    now = _now()
    if closes_at <= max(opens_at, now):
        raise Invalid(_("The closing date must be after the opening date."), "closes_at")
    if not await Section.exists(consultation_id=c.id):
        raise Conflict(_("Add at least one section before publishing the consultation."))
    async with transaction():
        fresh = await Consultation.select_for_update().get(id=c.id)
        if fresh.status != Status.DRAFT:
            raise Conflict(_("This consultation has already been published."))
        await Consultation.filter(id=c.id).update(
            status=Status.SCHEDULED, opens_at=opens_at, closes_at=closes_at
        )
        c.status, c.opens_at, c.closes_at = Status.SCHEDULED, opens_at, closes_at
        if opens_at <= now:
            await _open(c, now, principal.id)
        await record(principal.id, "consultation.publish", "consultation", c.id,
                     {"opens_at": opens_at, "closes_at": closes_at, "status": str(c.status)})  # fmt: skip
    return c


async def close_early(principal: Principal, c: Consultation, *, reason: str) -> Consultation:
    await _require(perms.can_close_early(principal, c, await _owners(c)))
    if not reason.strip():
        raise Invalid(_("Please give the reason, it is shown publicly."), "reason")
    now = _now()
    async with transaction():
        old = c.closes_at
        n = await Consultation.filter(id=c.id, status=Status.OPEN).update(
            status=Status.CLOSED, closes_at=now, closed_at=now
        )
        if not n:
            raise Conflict(_("This consultation is not open."))
        await DateChange.create(
            consultation_id=c.id, kind=DateChangeKind.CLOSED_EARLY, reason=reason.strip(),
            old_closes_at=old, new_closes_at=now, actor_id=principal.id,
        )  # fmt: skip
        await record(principal.id, "consultation.close_early", "consultation", c.id,
                     {"reason": reason.strip(), "old_closes_at": old, "closed_at": now})  # fmt: skip
        await report.request(c.id, "closed")  # closed early builds the report as a close does
    c.status, c.closes_at, c.closed_at = Status.CLOSED, now, now
    return c


async def extend(
    principal: Principal, c: Consultation, *, closes_at: datetime, reason: str
) -> Consultation:
    await _require(perms.can_extend(principal, c, await _owners(c)))
    if not reason.strip():
        raise Invalid(_("Please give the reason, it is shown publicly."), "reason")
    if c.closes_at is not None and closes_at <= c.closes_at:
        raise Invalid(_("The new closing date must be later than the current one."), "closes_at")
    async with transaction():
        old = c.closes_at
        n = await Consultation.filter(id=c.id, status__in=[Status.SCHEDULED, Status.OPEN]).update(
            closes_at=closes_at
        )
        if not n:
            raise Conflict(_("This consultation can no longer be extended."))
        await DateChange.create(
            consultation_id=c.id, kind=DateChangeKind.EXTENDED, reason=reason.strip(),
            old_closes_at=old, new_closes_at=closes_at, actor_id=principal.id,
        )  # fmt: skip
        await record(principal.id, "consultation.extend", "consultation", c.id,
                     {"reason": reason.strip(), "old_closes_at": old, "closes_at": closes_at})  # fmt: skip
    c.closes_at = closes_at
    return c


@dataclass
class Advanced:
    opened: list[int]
    closed: list[int]


async def advance_consultations(now: datetime | None = None) -> Advanced:
    """Open scheduled consultations whose time has come and close open ones that are due.
    Idempotent: each transition is a conditional update, so running twice changes nothing."""
    now = now or _now()
    opened: list[int] = []
    closed: list[int] = []
    for cid in await queries.due_to_open(now):
        async with transaction():
            c = await Consultation.get(id=cid)
            if await _open(c, now, None):
                await record(None, "consultation.open", "consultation", cid,
                             {"opens_at": c.opens_at, "by": "schedule"})  # fmt: skip
                opened.append(cid)
    for cid in await queries.due_to_close(now):
        async with transaction():
            n = await Consultation.filter(id=cid, status=Status.OPEN, closes_at__lte=now).update(
                status=Status.CLOSED, closed_at=now
            )
            if n:
                await record(None, "consultation.close", "consultation", cid, {"by": "schedule"})
                closed.append(cid)
    return Advanced(opened, closed)


# ---- citizens ------------------------------------------------------------------------------


async def submit_answers(
    principal: Principal, c: Consultation, answers: dict[str, Any]
) -> AnswerSet:
    """One set per person, replaced on each submission until the consultation closes."""
    refuse_if_suspended(principal)
    fresh = await Consultation.get(id=c.id)
    if fresh.status != Status.OPEN:
        raise closed_refusal()
    if not perms.is_participant(principal):
        raise Forbidden(_("Please confirm your e-mail address to take part."))
    async with transaction():
        existing = await AnswerSet.filter(consultation_id=c.id, user_id=principal.id).first()
        if existing is None:
            try:
                async with transaction():
                    return await AnswerSet.create(
                        consultation_id=c.id, user_id=principal.id, answers=answers
                    )
            except IntegrityError:  # a concurrent first submission won: update it instead
                existing = await AnswerSet.get(consultation_id=c.id, user_id=principal.id)
        existing.answers = answers
        await existing.save(update_fields=["answers", "updated_at"])
        return existing


async def follow(principal: Principal, c: Consultation) -> None:
    refuse_if_suspended(principal)
    if not perms.can_follow(principal, c):
        raise Forbidden(_("You are not allowed to do this."))
    async with transaction():
        if not await Follow.exists(consultation_id=c.id, user_id=principal.id):
            try:
                async with transaction():
                    await Follow.create(consultation_id=c.id, user_id=principal.id)
            except IntegrityError:
                pass  # followed twice at once: one row is enough


async def unfollow(principal: Principal, c: Consultation) -> None:
    refuse_if_suspended(principal)
    async with transaction():
        await Follow.filter(consultation_id=c.id, user_id=principal.id).delete()


async def followers(consultation_id: int) -> list[int]:
    """User ids to notify when the report and the response of a consultation are published."""
    return await queries.follower_ids(consultation_id)


# ---- paper and in-person submissions --------------------------------------------------------


async def enter_paper_submission(
    principal: Principal, c: Consultation, *, settings: Settings, body_id: int, channel: str, received_at: datetime,
    text: str, section: Section | None = None, author_name: str | None = None,
    stance: str | None = None, answers: dict[str, Any] | None = None,
) -> Any:  # fmt: skip
    """What arrived by post, e-mail, meeting or phone enters the same record as online
    comments, marked with its channel and the entering body; optional questionnaire answers
    are counted in the results."""
    owners = await _owners(c)
    await _require(perms.can_enter_paper(principal, c, owners) and body_id in owners
                   and principal.is_official_of(body_id))  # fmt: skip
    target_type, target_id = ("section", section.id) if section else ("consultation", c.id)
    async with transaction():
        comment = None
        if text.strip():
            comment = await comment_services.enter_paper_submission(
                principal, target_type, target_id, text, settings=settings, channel=channel,
                received_at=received_at, author_name=author_name, stance=stance,
                body_id=body_id,
            )  # fmt: skip
        answer_set = None
        if answers:
            answer_set = await AnswerSet.create(
                consultation_id=c.id, user_id=None, answers=answers, channel=channel,
                entered_by_body_id=body_id,
            )  # fmt: skip
        await record(principal.id, "consultation.paper_submission", "consultation", c.id, {
            "channel": channel, "received_at": received_at, "body_id": body_id,
            "section_id": section.id if section else None,
            "comment_id": getattr(comment, "id", None),
            "answer_set_id": answer_set.id if answer_set else None,
        })  # fmt: skip
    return comment


# ---- report and response ---------------------------------------------------------------------

NOTIFY_BATCH = 200


async def publish_outcome(
    principal: Principal, c: Consultation, kind: OutcomeKind, *, i18n: I18n, original_locale: str
) -> Outcome:
    """Publish the report (with the figures of what was received, taken now) or the response
    of a closed consultation. Each is published once and never changed; the followers are
    mailed after the commit."""
    owners = await _owners(c)
    await _require(perms.can_publish_outcome(principal, c, owners))
    body_id = next(b for b in owners if principal.has_role(Role.PUBLISHER, b))
    figures = await outcome_figures(c) if kind == OutcomeKind.REPORT else {}
    async with transaction():
        try:
            async with transaction():  # a savepoint: a concurrent publication may win
                outcome = await Outcome.create(
                    consultation_id=c.id, kind=kind, i18n=i18n, original_locale=original_locale,
                    figures=figures, body_id=body_id, published_by_id=principal.id,
                    published_at=_now(),
                )  # fmt: skip
        except IntegrityError:
            raise already_published(kind) from None
        await record(principal.id, f"consultation.{kind.value}.publish", "consultation", c.id,
                     {"outcome_id": outcome.id, "body_id": body_id})  # fmt: skip
        jobs.enqueue("notify_consultation_followers", key=f"outcome-notify:{outcome.id}:0",
                     outcome_id=outcome.id)  # fmt: skip
    return outcome


def already_published(kind: OutcomeKind) -> Conflict:
    if kind == OutcomeKind.REPORT:
        return Conflict(_("The report of this consultation is already published."))
    return Conflict(_("The response to this consultation is already published."))


async def outcome_figures(c: Consultation) -> dict[str, Any]:
    """What the consultation received, as the report keeps it: comments (replies included, the
    hidden and deleted ones not) and stances per section and on the whole, how many came on
    paper or in person, and how many questionnaires were answered."""
    sections = await queries.sections(c.id)
    section_ids = [s.id for s in sections]
    per_section = await comment_queries.counts_by_target("section", section_ids)
    whole = (await comment_queries.counts_by_target("consultation", [c.id])).get(c.id)

    def row(counts: comment_queries.Counts | None) -> dict[str, int]:
        if counts is None:
            return {"comments": 0, "for": 0, "against": 0, "neutral": 0}
        return {"comments": counts.total, "for": counts.for_, "against": counts.against,
                "neutral": counts.neutral}  # fmt: skip

    rows = [{"position": s.position, **row(per_section.get(s.id))} for s in sections]
    paper = await queries.received_on_paper(c.id, section_ids)
    total = row(whole)
    for r in rows:
        for k in total:
            total[k] += r[k]
    return {
        "total": total,
        "whole": row(whole),
        "sections": rows,
        "paper": paper,
        "answer_sets": await queries.answer_set_count(c.id),
    }


async def notify_followers(outcome_id: int, base_url: str, after_id: int = 0) -> int:
    """Mail the followers of a published report or response, ``NOTIFY_BATCH`` at a time (the
    next batch is its own job). Returns the number of mails queued."""
    outcome = await Outcome.get_or_none(id=outcome_id).prefetch_related("consultation")
    if outcome is None:
        return 0
    c = outcome.consultation
    batch = await Follow.filter(consultation_id=c.id, id__gt=after_id).order_by("id").limit(
        NOTIFY_BATCH).values_list("id", "user_id")  # fmt: skip
    titles = {loc: str(c.tr("title", loc)) for loc in c.available_locales()}
    async with transaction():
        if after_id == 0:  # the first batch claims the mailing: a second run sends nothing
            claimed = await Outcome.filter(id=outcome.id, notified_at=None).update(
                notified_at=_now()
            )
            if not claimed:
                return 0
        for _follow_id, user_id in batch:
            queue_email(
                "consultation-outcome", to_user_id=user_id, kind=outcome.kind.value,
                titles=titles, original=c.original_locale,
                link=f"{base_url}/consultations/{c.slug}#outcome",
            )  # fmt: skip
        if len(batch) == NOTIFY_BATCH:
            last = batch[-1][0]
            jobs.enqueue("notify_consultation_followers", key=f"outcome-notify:{outcome.id}:{last}",
                         outcome_id=outcome.id, after_id=last)  # fmt: skip
    return len(batch)
