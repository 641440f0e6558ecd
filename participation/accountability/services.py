"""Every write of accountability, one function per use case; each owns its transaction,
records the audit event and enqueues its jobs. ``now`` is a parameter wherever time decides
something (on time or late, overdue), so that tests drive the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from participation import domains, jobs
from participation.accountability import permissions as perms
from participation.accountability import queries
from participation.accountability.deadlines import standing
from participation.accountability.models import (
    Commitment,
    CommitmentFollow,
    CommitmentLink,
    CommitmentStatus,
    CommitmentUpdate,
    Decision,
    Milestone,
    Obligation,
    Response,
    ResponsePart,
    UpdateKind,
)
from participation.accountability.targets import AccountabilityHost, Owed, load_target
from participation.accounts.principal import Principal, refuse_if_suspended
from participation.audit.services import record
from participation.comments import queries as comment_queries
from participation.db import transaction
from participation.errors import Conflict, Forbidden, Invalid, NotFound
from participation.i18n import LOCALES
from participation.i18n import gettext as _
from participation.mail.services import queue_email
from participation.organisations import queries as body_queries
from participation.organisations.models import Role

log = logging.getLogger("participation.accountability")

NOTIFY_BATCH = 200
WHOLE = 0  # the position of the part that answers the whole target


def clock() -> datetime:
    return datetime.now(UTC)


def part_key(target_type: str, target_id: int) -> str:
    return f"{target_type}:{target_id}"


def _forbidden() -> Forbidden:
    return Forbidden(_("You are not allowed to do this."))


def _texts(i18n: dict[str, dict[str, str]], locale: str, values: Mapping[str, str]) -> dict:
    """``i18n`` with ``locale``'s texts replaced by the non-empty ``values``."""
    out = {k: dict(v) for k, v in (i18n or {}).items()}
    kept = {k: v.strip() for k, v in values.items() if v and v.strip()}
    if kept:
        out[locale] = {**out.get(locale, {}), **kept}
    return out


def _locale(locale: str) -> str:
    if locale not in LOCALES:
        raise Invalid(_("Please choose one of the options."), field="locale")
    return locale


@dataclass(frozen=True)
class PartText:
    """What an official writes for one part: the decision (None in a translation) and, in
    one language, what people said and why."""

    decision: Decision | None
    said: str = ""
    why: str = ""


# ---- obligations ------------------------------------------------------------------------------


async def _ensure_obligation(target_type: str, owed: Owed) -> Obligation:
    """The obligation of a target, created from what its host says is owed (in the caller's
    transaction)."""
    found = await Obligation.select_for_update().get_or_none(
        target_type=target_type, target_id=owed.target_id
    )
    if found is not None:
        return found
    try:
        async with transaction():
            return await Obligation.create(
                target_type=target_type, target_id=owed.target_id, body_id=owed.body_id,
                opened_at=owed.opened_at, due_at=owed.due_at, answered_at=owed.answered_at,
            )  # fmt: skip
    except IntegrityError:  # recorded by a concurrent run
        return await Obligation.get(target_type=target_type, target_id=owed.target_id)


async def record_obligations() -> int:
    """Record an obligation for every target its host says is owed an answer (a consultation
    once closed, a petition past its response threshold), and mark answered those the host
    says were answered outside (a response published before this package). Each target on
    its own: one failure never stops the others. Returns how many were recorded."""
    created = 0
    for target_type, host in domains.accountability_hosts().items():
        recorded = await queries.recorded_targets(target_type)
        for owed in await host.all_owed():
            try:
                async with transaction():
                    if owed.target_id not in recorded:
                        await _ensure_obligation(target_type, owed)
                        created += 1
                    elif owed.answered_at is not None:
                        await Obligation.filter(
                            target_type=target_type, target_id=owed.target_id, answered_at=None
                        ).update(answered_at=owed.answered_at)
            except Exception:
                log.exception("obligation of %s %s not recorded", target_type, owed.target_id)
    return created


async def mark_overdue(base_url: str, now: datetime | None = None) -> list[int]:
    """Mark every obligation overdue at ``now`` (once each): audited, and the officials of the
    body that owes it are mailed. Each on its own: one failure never stops the others."""
    now = now or clock()
    marked = []
    for ob_id in await queries.to_mark_overdue(now):
        try:
            if await _mark_one(ob_id, base_url, now):
                marked.append(ob_id)
        except Exception:
            log.exception("obligation %s: not marked overdue; retried next run", ob_id)
    return marked


async def _mark_one(ob_id: int, base_url: str, now: datetime) -> bool:
    async with transaction():
        ob = await Obligation.select_for_update().get_or_none(id=ob_id)
        if ob is None or ob.answered_at is not None or ob.overdue_at is not None:
            return False
        if ob.due_at >= now:
            return False
        ob.overdue_at = now
        await ob.save(update_fields=["overdue_at"])
        days = standing(ob.due_at, None, now).days
        await record(None, "accountability.obligation_overdue", ob.target_type, ob.target_id,
                     {"obligation_id": ob.id, "body_id": ob.body_id,
                      "due_at": ob.due_at.isoformat(), "days": days})  # fmt: skip
        titles, original = await _titles(ob.target_type, ob.target_id)
        body = await body_queries.body_by_id(ob.body_id)
        for uid in await queries.official_ids(ob.body_id, (Role.PUBLISHER, Role.EDITOR)):
            queue_email(
                "accountability-overdue", to_user_id=uid, titles=titles, original=original,
                body_names=dict(_names(body)), days=days,
                link=f"{base_url}/accountability/respond/{ob.target_type}/{ob.target_id}",
            )  # fmt: skip
    return True


def _names(body: Any) -> dict[str, str]:
    if body is None:
        return {}
    return {loc: str(body.tr("name", loc)) for loc in LOCALES}


async def _titles(target_type: str, target_id: int) -> tuple[dict[str, str], str]:
    host = domains.accountability_hosts().get(target_type)
    target = await host.load(target_id) if host is not None else None
    if host is None or target is None:
        return {}, "en"
    return await host.title(target), host.original_locale(target)


# ---- responses --------------------------------------------------------------------------------


async def _answerable(
    principal: Principal, target_type: str, target_id: int
) -> tuple[AccountabilityHost, Any, list[int], Owed]:
    """The host, target, owning bodies and what is owed; refused unless the principal is a
    publisher of an owning body and an answer is owed now."""
    refuse_if_suspended(principal)
    host, target = await load_target(target_type, target_id)
    bodies = await host.body_ids(target)
    if not perms.can_respond(principal, bodies):
        raise _forbidden()
    owed = await host.owed(target)
    if owed is None:
        raise Forbidden(_("No response is owed here yet: it can be published once it is."))
    return host, target, bodies, owed


async def response_form_parts(
    principal: Principal, target_type: str, target_id: int
) -> tuple[Any, list[Any]]:
    """What the response form of a target asks about (the target and its parts), for a
    publisher who may answer it now."""
    host, target, _bodies, _owed = await _answerable(principal, target_type, target_id)
    return target, await host.parts(target)


async def publish_response(
    principal: Principal, target_type: str, target_id: int, *, locale: str, summary: str,
    parts: Mapping[str, PartText], now: datetime | None = None,
) -> Response:  # fmt: skip
    """Publish the response owed on a target: overall, and per part (the whole and each
    section) what people said, the decision and why, in one language (others are added by
    ``translate_response``). It cites the latest report. It answers the target's obligation
    (on time or late, by ``now``), is published once, and who asked to be told is mailed."""
    now = now or clock()
    locale = _locale(locale)
    host, target, bodies, owed = await _answerable(principal, target_type, target_id)
    if not summary.strip():
        raise Invalid(_("This field is required."), field="summary")
    wanted = await host.parts(target)
    for p in wanted:
        given = parts.get(part_key(p.target_type, p.target_id))
        if given is None or given.decision is None:
            raise Invalid(_("Please choose one of the options."),
                          field=f"decision_{p.target_type}_{p.target_id}")  # fmt: skip
    body_id = next(b for b in bodies if perms.can_respond(principal, [b]))
    said = await host.said(target)
    async with transaction():
        try:
            async with transaction():  # a savepoint: a concurrent publication may win
                response = await Response.create(
                    target_type=target_type, target_id=target_id, body_id=body_id,
                    i18n={locale: {"summary": summary.strip()}}, original_locale=locale,
                    published_by_id=principal.id, published_at=now,
                    report_snapshot_id=said.snapshot_id, report_version=said.version,
                    figures=said.figures,
                )  # fmt: skip
        except IntegrityError:
            raise Conflict(_("The response is already published.")) from None
        for p in wanted:
            key = part_key(p.target_type, p.target_id)
            given = parts[key]
            await ResponsePart.create(
                response=response, target_type=p.target_type, target_id=p.target_id,
                position=p.position, decision=given.decision, original_locale=locale,
                i18n=_texts({}, locale, {"said": given.said, "why": given.why}),
                figures=said.parts.get(key, {}),
            )  # fmt: skip
        ob = await _ensure_obligation(target_type, owed)
        if ob.answered_at is None:
            ob.answered_at = now
            ob.response_id = response.id
            await ob.save(update_fields=["answered_at", "response_id"])
        await host.answered(target, now)
        state = standing(ob.due_at, ob.answered_at, now)
        await record(principal.id, "accountability.response_publish", target_type, target_id,
                     {"response_id": response.id, "body_id": body_id,
                      "report_version": said.version, "state": state.state.value,
                      "days": state.days})  # fmt: skip
        jobs.enqueue("notify_accountability_response", key=f"acc-response:{response.id}:0",
                     response_id=response.id, after=0)  # fmt: skip
    return response


async def translate_response(
    principal: Principal, response: Response, *, locale: str, summary: str,
    parts: Mapping[str, PartText],
) -> Response:  # fmt: skip
    """Add or correct the texts of a published response in one language (decisions stay)."""
    refuse_if_suspended(principal)
    locale = _locale(locale)
    if not perms.can_speak_for(principal, response.body_id):
        raise _forbidden()
    async with transaction():
        response = await Response.select_for_update().get(id=response.id)
        response.i18n = _texts(response.i18n, locale, {"summary": summary})
        await response.save(update_fields=["i18n"])
        for part in await queries.parts(response.id):
            given = parts.get(part_key(part.target_type, part.target_id))
            if given is not None:
                part.i18n = _texts(part.i18n, locale, {"said": given.said, "why": given.why})
                await part.save(update_fields=["i18n"])
        await record(principal.id, "accountability.response_translate", response.target_type,
                     response.target_id, {"response_id": response.id, "locale": locale,
                                          "body_id": response.body_id})  # fmt: skip
    return response


async def record_debate(
    principal: Principal, response: Response, *, debate_at: datetime, link: str, outcome: str,
    locale: str,
) -> Response:  # fmt: skip
    """Record the debate held on what the response answers: its date, a link, its outcome."""
    refuse_if_suspended(principal)
    locale = _locale(locale)
    if not perms.can_speak_for(principal, response.body_id):
        raise _forbidden()
    if link and not link.startswith(("https://", "http://")):
        raise Invalid(_("Please enter an address that starts with https://."), field="link")
    async with transaction():
        response = await Response.select_for_update().get(id=response.id)
        response.debate_at = debate_at
        response.debate_link = link
        response.i18n = _texts(response.i18n, locale, {"debate_outcome": outcome})
        await response.save(update_fields=["debate_at", "debate_link", "i18n"])
        await record(principal.id, "accountability.debate_record", response.target_type,
                     response.target_id, {"response_id": response.id, "body_id": response.body_id,
                                          "debate_at": debate_at.isoformat(), "link": link})  # fmt: skip
    return response


async def notify_response(response_id: int, base_url: str, after: int = 0) -> int:
    """Mail who asked to be told (followers, signers who opted in) that a response was
    published, ``NOTIFY_BATCH`` at a time (the next batch is its own job). Each mail has a
    delivery key of this response and its recipient: a run again sends none twice."""
    response = await queries.response(response_id)
    if response is None:
        return 0
    host = domains.accountability_hosts().get(response.target_type)
    target = await host.load(response.target_id) if host is not None else None
    if host is None or target is None:
        return 0
    batch = await host.recipients(target, after, NOTIFY_BATCH)
    titles = await host.title(target)
    original = host.original_locale(target)
    async with transaction():
        if after == 0:
            claimed = await Response.filter(id=response.id, notified_at=None).update(
                notified_at=clock()
            )
            if not claimed:
                return 0
        for r in batch:
            queue_email(
                "accountability-response", to_user_id=r.user_id, to_email=r.email,
                locale=r.locale, delivery_key=f"acc-response:{response.id}:{r.key}",
                person=r.name, titles=titles, original=original,
                link=f"{base_url}/accountability/responses/{response.id}",
            )  # fmt: skip
        if len(batch) == NOTIFY_BATCH:
            last = batch[-1].cursor
            jobs.enqueue("notify_accountability_response",
                         key=f"acc-response:{response.id}:{last}",
                         response_id=response.id, after=last)  # fmt: skip
    return len(batch)


# ---- commitments ------------------------------------------------------------------------------


def _progress(value: int) -> int:
    if not 0 <= value <= 100:
        raise Invalid(_("Please enter a whole number from 0 to 100."), field="progress")
    return value


async def _links_of(
    response: Response, part_keys: Sequence[str], comment_ids: Sequence[int]
) -> list[tuple[str, int]]:
    """What a commitment answers, checked against its response: parts of the response, and
    comments made on the response's target or its parts."""
    parts = {part_key(p.target_type, p.target_id): p for p in await queries.parts(response.id)}
    own = part_key(response.target_type, response.target_id)
    out: list[tuple[str, int]] = [(response.target_type, response.target_id)]
    for key in part_keys:
        if key == own:
            continue
        part = parts.get(key)
        if part is None:
            raise Invalid(_("Please choose one of the options."), field="parts")
        out.append((part.target_type, part.target_id))
    allowed = set(parts) | {own}
    for cid in comment_ids:
        comment = await comment_queries.visible_comment(cid)
        if comment is None or part_key(comment.target_type, comment.target_id) not in allowed:
            raise Invalid(
                _("Comment %(id)s is not one of the comments this response answers.", id=cid),
                field="comments",
            )
        out.append(("comment", cid))
    return list(dict.fromkeys(out))


async def create_commitment(
    principal: Principal, response: Response, *, locale: str, title: str, description: str,
    due_on: date | None, part_keys: Sequence[str] = (), comment_ids: Sequence[int] = (),
    now: datetime | None = None,
) -> Commitment:  # fmt: skip
    """A commitment made by a response, in its body's name: what will be done (one language
    first), by when, and what it answers (the response's target always; parts and comments
    named). Starts planned, at 0 %; its history starts with it."""
    refuse_if_suspended(principal)
    now = now or clock()
    locale = _locale(locale)
    if not perms.can_speak_for(principal, response.body_id):
        raise _forbidden()
    if not title.strip():
        raise Invalid(_("This field is required."), field="title")
    links = await _links_of(response, part_keys, comment_ids)
    async with transaction():
        c = await Commitment.create(
            response=response, body_id=response.body_id, original_locale=locale,
            i18n=_texts({}, locale, {"title": title, "description": description}),
            due_on=due_on, created_by_id=principal.id, created_at=now, updated_at=now,
        )  # fmt: skip
        for target_type, target_id in links:
            await CommitmentLink.create(commitment=c, target_type=target_type, target_id=target_id)
        await CommitmentUpdate.create(
            commitment=c, kind=UpdateKind.CREATED, status=c.status, progress=0,
            original_locale=locale, actor_id=principal.id, created_at=now,
        )  # fmt: skip
        await record(principal.id, "accountability.commitment_create", "commitment", c.id,
                     {"response_id": response.id, "body_id": c.body_id,
                      "due_on": due_on.isoformat() if due_on else None,
                      "links": [part_key(t, i) for t, i in links]})  # fmt: skip
    return c


async def translate_commitment(
    principal: Principal, c: Commitment, *, locale: str, title: str, description: str
) -> Commitment:
    refuse_if_suspended(principal)
    locale = _locale(locale)
    if not perms.can_speak_for(principal, c.body_id):
        raise _forbidden()
    async with transaction():
        c = await Commitment.select_for_update().get(id=c.id)
        c.i18n = _texts(c.i18n, locale, {"title": title, "description": description})
        await c.save(update_fields=["i18n"])
        await record(principal.id, "accountability.commitment_translate", "commitment", c.id,
                     {"locale": locale, "body_id": c.body_id})  # fmt: skip
    return c


async def update_commitment(
    principal: Principal, c: Commitment, *, status: CommitmentStatus, progress: int,
    text: str, reason: str = "", locale: str, now: datetime | None = None,
) -> CommitmentUpdate:  # fmt: skip
    """Report progress: the new status and percentage, and a note. Dropping needs a reason;
    done is 100 %. Every update is kept (the history) and followers are mailed."""
    refuse_if_suspended(principal)
    now = now or clock()
    locale = _locale(locale)
    if not perms.can_speak_for(principal, c.body_id):
        raise _forbidden()
    progress = 100 if status == CommitmentStatus.DONE else _progress(progress)
    if status == CommitmentStatus.DROPPED and not reason.strip():
        raise Invalid(_("Please say why it is dropped."), field="reason")
    if not text.strip() and status == c.status and progress == c.progress:
        raise Invalid(_("Please say what changed."), field="text")
    async with transaction():
        c = await Commitment.select_for_update().get(id=c.id)
        before = (c.status.value, c.progress)
        c.status, c.progress, c.updated_at = status, progress, now
        c.reason = reason.strip() if status == CommitmentStatus.DROPPED else ""
        if status == CommitmentStatus.DONE and c.done_at is None:
            c.done_at = now
        elif status != CommitmentStatus.DONE:
            c.done_at = None
        await c.save(update_fields=["status", "progress", "reason", "updated_at", "done_at"])
        note = {"text": text, "reason": c.reason}
        update = await CommitmentUpdate.create(
            commitment=c, kind=UpdateKind.PROGRESS, status=status, progress=progress,
            i18n=_texts({}, locale, note), original_locale=locale, actor_id=principal.id,
            created_at=now,
        )  # fmt: skip
        await record(principal.id, "accountability.commitment_update", "commitment", c.id,
                     {"update_id": update.id, "body_id": c.body_id, "from": list(before),
                      "to": [status.value, progress], "reason": c.reason})  # fmt: skip
        jobs.enqueue("notify_commitment_followers", key=f"acc-update:{update.id}:0",
                     update_id=update.id, after=0)  # fmt: skip
    return update


async def add_milestone(
    principal: Principal, c: Commitment, *, locale: str, title: str, due_on: date,
    now: datetime | None = None,
) -> Milestone:  # fmt: skip
    refuse_if_suspended(principal)
    now = now or clock()
    locale = _locale(locale)
    if not perms.can_speak_for(principal, c.body_id):
        raise _forbidden()
    if not title.strip():
        raise Invalid(_("This field is required."), field="title")
    async with transaction():
        c = await Commitment.select_for_update().get(id=c.id)
        m = await Milestone.create(
            commitment=c, i18n=_texts({}, locale, {"title": title}), original_locale=locale,
            due_on=due_on, created_at=now,
        )  # fmt: skip
        await CommitmentUpdate.create(
            commitment=c, kind=UpdateKind.MILESTONE, status=c.status, progress=c.progress,
            i18n=_texts({}, locale, {"text": title}), original_locale=locale,
            actor_id=principal.id, created_at=now,
        )  # fmt: skip
        await record(principal.id, "accountability.milestone_add", "commitment", c.id,
                     {"milestone_id": m.id, "body_id": c.body_id,
                      "due_on": due_on.isoformat()})  # fmt: skip
    return m


async def reach_milestone(
    principal: Principal, m: Milestone, *, done_on: date, now: datetime | None = None
) -> Milestone:
    refuse_if_suspended(principal)
    now = now or clock()
    c = await queries.commitment(m.commitment_id)
    if c is None:
        raise NotFound(_("We could not find this commitment."))
    if not perms.can_speak_for(principal, c.body_id):
        raise _forbidden()
    if m.done_on is not None:
        raise Conflict(_("This milestone is already reached."))
    async with transaction():
        await Milestone.filter(id=m.id).update(done_on=done_on)
        m.done_on = done_on
        await CommitmentUpdate.create(
            commitment_id=c.id, kind=UpdateKind.MILESTONE, status=c.status, progress=c.progress,
            i18n=m.i18n, original_locale=m.original_locale, actor_id=principal.id,
            created_at=now,
        )  # fmt: skip
        await record(principal.id, "accountability.milestone_done", "commitment", c.id,
                     {"milestone_id": m.id, "body_id": c.body_id,
                      "done_on": done_on.isoformat()})  # fmt: skip
    return m


async def follow_commitment(principal: Principal, c: Commitment, follow: bool = True) -> bool:
    """Follow (or stop following) a commitment: its updates come by mail."""
    if not principal.authenticated:
        raise Forbidden(_("Please sign in first."))
    refuse_if_suspended(principal)
    if not perms.can_follow(principal):
        raise _forbidden()
    async with transaction():
        if not follow:
            await CommitmentFollow.filter(commitment_id=c.id, user_id=principal.id).delete()
            return False
        try:
            async with transaction():
                await CommitmentFollow.create(commitment_id=c.id, user_id=principal.id)
        except IntegrityError:
            pass  # followed already
    return True


async def notify_commitment_update(update_id: int, base_url: str, after: int = 0) -> int:
    """Mail the followers of a commitment one of its updates, ``NOTIFY_BATCH`` at a time."""
    update = await queries.update(update_id)
    if update is None:
        return 0
    c = await queries.commitment(update.commitment_id)
    if c is None:
        return 0
    batch = await queries.follower_ids(c.id, after=after, limit=NOTIFY_BATCH)
    titles = {loc: str(c.tr("title", loc)) for loc in LOCALES}
    async with transaction():
        if after == 0:
            claimed = await CommitmentUpdate.filter(id=update.id, notified_at=None).update(
                notified_at=clock()
            )
            if not claimed:
                return 0
        for uid in batch:
            queue_email(
                "accountability-commitment-update", to_user_id=uid,
                delivery_key=f"acc-update:{update.id}:user:{uid}", titles=titles,
                status=update.status.value, progress=update.progress,
                note={loc: str(update.tr("text", loc)) for loc in LOCALES},
                link=f"{base_url}/accountability/commitments/{c.id}",
            )  # fmt: skip
        if len(batch) == NOTIFY_BATCH:
            jobs.enqueue("notify_commitment_followers", key=f"acc-update:{update.id}:{batch[-1]}",
                         update_id=update.id, after=batch[-1])  # fmt: skip
    return len(batch)
