"""How the generic comments, votes and moderation see consultations and their sections.

participation.domains.comment_hosts() / vote_hosts() collect ``comment_hosts`` and
``vote_hosts`` from here; the comments package asks these hosts whether a target accepts
comments, who may comment, who moderates, under which moderation rules (the consultation's
flag threshold, else its body's; its pre-moderation switch) and where the target's page is.
A consultation is a moderation space (``moderation_spaces``): its public moderation record
counts what was hidden in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from consultations import permissions as perms
from consultations import queries
from consultations.models import Consultation, Section
from consultations.services import followers
from participation.accounts.principal import ANONYMOUS, Principal
from participation.i18n.formatting import localize_digits
from participation.moderation.targets import Space, SpaceInfo
from participation.organisations import queries as body_queries
from participation.organisations.body_settings import settings_of


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
        return await _space(target.consultation)

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
        return await _target(await queries.consultation_by_id(int(target_id)))

    def url(self, request: Request, target: Target) -> str:
        return str(request.url_for("consultations:detail", slug=target.consultation.slug))


class SectionHost(_Common):
    target_type = "section"

    async def load(self, target_id: int) -> Target | None:
        section = await queries.section_with_consultation(int(target_id))
        if section is None:
            return None
        return await _target(section.consultation, section)

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


comment_hosts = [ConsultationHost(), SectionHost()]
vote_hosts = [SectionVoteHost()]
moderation_spaces = [ConsultationSpace()]
