"""How the generic comments, votes and moderation see consultations and their sections.

participation.domains.comment_hosts() / vote_hosts() collect ``comment_hosts`` and
``vote_hosts`` from here; the comments package asks these hosts whether a target accepts
comments, who may comment, who moderates, under which moderation rules (the consultation's
flag threshold, else its body's; its pre-moderation switch) and where the target's page is.
A consultation is a moderation space (``moderation_spaces``): its public moderation record
counts what was hidden in it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from starlette.requests import Request

from consultations import permissions as perms
from consultations import queries
from consultations.models import Consultation, Follow, Outcome, OutcomeKind, Section, Status
from consultations.services import followers
from participation.accountability.targets import Owed, Part, Recipient, Said
from participation.accounts.principal import ANONYMOUS, Principal
from participation.caching import memo, read_cache
from participation.i18n.formatting import localize_digits
from participation.moderation.targets import Space, SpaceInfo
from participation.organisations import queries as body_queries
from participation.organisations.body_settings import settings_of
from participation.reports import queries as report_queries

T = TypeVar("T")


@dataclass
class Target:
    """A consultation, or one of its sections, with the ids of its owning bodies."""

    consultation: Consultation
    owners: list[int]
    section: Section | None = None

    @property
    def id(self) -> int:
        return self.section.id if self.section else self.consultation.id


async def _target(
    consultation: Consultation | None, section: Section | None = None
) -> Target | None:
    if consultation is None:
        return None
    return Target(consultation, await queries.owner_ids(consultation.id), section)


# Posting a comment loads its target (the section, its consultation, the owners) and the
# moderation rules of its space: three to four queries, a fifth of a post's CPU. They are kept
# for a second (``participation.caching``: emptied by every commit of this process, such as a
# consultation being closed or its rules changed; other processes see the change within the
# second), and only when the read cache is on (production): in development every request
# reads them afresh. A batch of new comments changes neither, so it keeps them.
TARGET_SECONDS = 1.0
_targets = memo("consultations.comment_targets", TARGET_SECONDS, maxsize=10_000)


async def _kept(key: tuple[str, int], load: Callable[[], Awaitable[T | None]]) -> T | None:
    """``load()``, kept under ``key`` as above; nothing is kept for a target not found."""
    if read_cache.seconds <= 0:
        return await load()
    found = await _targets.get(key, load)
    if found is None:
        _targets.forget(key)
    return found


class _Common:
    comments_have_stance = True

    async def accepts_comments(self, target: Target) -> bool:
        return perms.accepts_participation(target.consultation)

    async def can_view(self, principal: Principal, target: Target) -> bool:
        return perms.can_view(principal, target.consultation, target.owners)

    async def can_comment(self, principal: Principal, target: Target) -> bool:
        return perms.can_comment(principal, target.consultation)

    async def can_enter_paper(self, principal: Principal, target: Target) -> bool:
        return perms.can_enter_paper(principal, target.consultation, target.owners)

    async def moderating_body_ids(self, target: Target) -> list[int]:
        return list(target.owners)

    async def followers_to_notify(self, target: Target) -> list[int]:
        return await followers(target.consultation.id)

    async def moderation_space(self, target: Target) -> Space:
        c = target.consultation
        space = await _kept(("space", c.id), lambda: _space(c))
        assert space is not None
        return space

    async def place(self, target: Target) -> str:
        title = str(target.consultation.tr("title"))
        if target.section is None:
            return title
        number = localize_digits(str(target.section.position))
        return f"{title} › {number}. {target.section.tr('title')}"


async def _space(c: Consultation) -> Space:
    """The consultation's moderation rules: its own flag threshold, else its body's."""
    threshold = c.flag_threshold
    if threshold is None:
        body = await body_queries.body_by_id(c.body_id)
        threshold = settings_of(body).flag_threshold if body is not None else Space().flag_threshold
    return Space("consultation", c.id, threshold, c.premoderated)


class ConsultationSpace:
    """A consultation's public moderation record (drafts have none)."""

    space_type = "consultation"

    async def describe(self, space_id: int) -> SpaceInfo | None:
        c = await queries.consultation_by_id(space_id)
        if c is None or not perms.can_view(ANONYMOUS, c, []):
            return None
        return SpaceInfo(str(c.tr("title")), ("consultations:detail", {"slug": c.slug}))


class ConsultationHost(_Common):
    target_type = "consultation"

    async def load(self, target_id: int) -> Target | None:
        async def load() -> Target | None:
            return await _target(await queries.consultation_by_id(int(target_id)))

        return await _kept(("consultation", int(target_id)), load)

    def url(self, request: Request, target: Target) -> str:
        return str(request.url_for("consultations:detail", slug=target.consultation.slug))


class SectionHost(_Common):
    target_type = "section"

    async def load(self, target_id: int) -> Target | None:
        async def load() -> Target | None:
            section = await queries.section_with_consultation(int(target_id))
            if section is None:
                return None
            return await _target(section.consultation, section)

        return await _kept(("section", int(target_id)), load)

    def url(self, request: Request, target: Target) -> str:
        assert target.section is not None
        return str(
            request.url_for(
                "consultations:section",
                slug=target.consultation.slug,
                number=target.section.position,
            )
        )


class SectionVoteHost:
    """Support (1) or oppose (-1) a section, one vote per person, while open."""

    target_type = "section"
    allowed_values = (1, -1)

    async def load(self, target_id: int) -> Target | None:
        return await SectionHost().load(target_id)

    async def accepts_votes(self, target: Target) -> bool:
        return perms.accepts_participation(target.consultation)

    async def can_vote(self, principal: Principal, target: Target) -> bool:
        return perms.can_comment(principal, target.consultation)

    def url(self, request: Request, target: Target) -> str:
        return SectionHost().url(request, target)


class ConsultationAccountability:
    """A closed consultation is owed a response by its owners, due the creating body's
    ``consultation_response_days`` after it closed; a response published as an ``Outcome``
    (before accountability existed) answers it. Its parts are the whole and each section."""

    target_type = "consultation"

    async def load(self, target_id: int) -> Consultation | None:
        c = await queries.consultation_by_id(int(target_id))
        return c if c is not None and perms.can_view(ANONYMOUS, c, []) else None

    async def title(self, target: Consultation) -> dict[str, str]:
        return {loc: str(v.get("title", "")) for loc, v in (target.i18n or {}).items() if v}

    def original_locale(self, target: Consultation) -> str:
        return target.original_locale

    def url(self, request: Request, target: Consultation) -> str:
        return str(request.url_for("consultations:detail", slug=target.slug))

    async def body_ids(self, target: Consultation) -> list[int]:
        return await queries.owner_ids(target.id)

    async def _owed(self, c: Consultation, days: int, answered: datetime | None) -> Owed | None:
        if c.status != Status.CLOSED:
            return None
        # when it closed: its scheduled close (the job closes it up to a minute later), or
        # earlier when an official closed it early
        closed = min((d for d in (c.closed_at, c.closes_at) if d is not None),
                     default=c.updated_at)  # fmt: skip
        return Owed(c.id, c.body_id, closed, closed + timedelta(days=days), answered)

    async def owed(self, target: Consultation) -> Owed | None:
        if target.status != Status.CLOSED:
            return None
        body = await body_queries.body_by_id(target.body_id)
        legacy = await queries.outcome(target.id, OutcomeKind.RESPONSE)
        return await self._owed(target, settings_of(body).consultation_response_days,
                                legacy.published_at if legacy else None)  # fmt: skip

    async def all_owed(self) -> list[Owed]:
        closed = await Consultation.filter(status=Status.CLOSED).order_by("id")
        bodies = {b.id: b for b in await body_queries.bodies_by_ids([c.body_id for c in closed])}
        answered = dict(
            await Outcome.filter(
                kind=OutcomeKind.RESPONSE, consultation_id__in=[c.id for c in closed] or [0]
            ).values_list("consultation_id", "published_at")
        )
        out = []
        for c in closed:
            days = settings_of(bodies.get(c.body_id)).consultation_response_days
            owed = await self._owed(c, days, answered.get(c.id))
            if owed is not None:
                out.append(owed)
        return out

    async def parts(self, target: Consultation) -> list[Part]:
        whole = Part("consultation", target.id, 0, await self.title(target),
                     target.original_locale)  # fmt: skip
        return [whole] + [
            Part("section", s.id, s.position,
                 {loc: str(v.get("title", "")) for loc, v in (s.i18n or {}).items() if v},
                 s.original_locale)
            for s in await queries.sections(target.id)
        ]  # fmt: skip

    def part_url(self, request: Request, target: Consultation, part: Part) -> str:
        if part.target_type != "section":
            return self.url(request, target)
        return str(request.url_for("consultations:section", slug=target.slug,
                                   number=part.position))  # fmt: skip

    def report_url(self, request: Request, target: Consultation) -> str | None:
        return str(request.url_for("consultations:report", slug=target.slug))

    async def said(self, target: Consultation) -> Said:
        """The latest finished report: how many took part and commented, and the stances on
        the whole and on each section."""
        snap = await report_queries.latest_done("consultation", target.id)
        if snap is None:
            return Said(None, None, None)
        data: dict[str, Any] = snap.data or {}
        people = data.get("participation") or {}
        stances = data.get("stances") or {}

        def row(r: dict[str, Any]) -> dict[str, Any]:
            keys = ("comments", "for", "against", "for_pct", "against_pct", "support",
                    "opposition")  # fmt: skip
            return {k: r[k] for k in keys if k in r}

        by_position = {int(r.get("position", 0)): r for r in stances.get("sections") or []}
        parts = {f"consultation:{target.id}": row(stances.get("whole") or {})}
        for s in await queries.sections(target.id):
            if s.position in by_position:
                parts[f"section:{s.id}"] = row(by_position[s.position])
        figures = {k: people[k] for k in ("people", "comments", "replies", "votes", "responses")
                   if k in people}  # fmt: skip
        return Said(snap.id, snap.version, snap.built_at, figures, parts)

    async def answered(self, target: Consultation, at: datetime) -> None:
        return None  # the consultation keeps no record of its own

    async def recipients(self, target: Consultation, after: int, limit: int) -> list[Recipient]:
        rows = await Follow.filter(consultation_id=target.id, id__gt=after).order_by("id").limit(
            limit).values_list("id", "user_id")  # fmt: skip
        return [Recipient(int(fid), f"user:{uid}", user_id=int(uid)) for fid, uid in rows]


comment_hosts = [ConsultationHost(), SectionHost()]
vote_hosts = [SectionVoteHost()]
moderation_spaces = [ConsultationSpace()]
accountability_hosts = [ConsultationAccountability()]
