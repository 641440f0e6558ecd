"""How the generic comments and votes see consultations and their sections.

participation.domains.comment_hosts() / vote_hosts() collect ``comment_hosts`` and
``vote_hosts`` from here; the comments package asks these hosts whether a target accepts
comments, who may comment, who moderates and where the target's page is.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from consultations import permissions as perms
from consultations import queries
from consultations.models import Consultation, Section
from consultations.services import followers
from participation.accounts.principal import Principal


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
