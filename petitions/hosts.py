"""Petitions as a target of the generic moderation: a published petition (open, closed or
rejected) is reported through the generic flags (``/moderation/flag``), hidden at its body's
flag threshold pending review, hidden or restored by the moderators of its body, and appealed
by its creator, like a comment. A hidden petition leaves the lists and its page, signing and
count (``Petition.hidden``; ``queries.petition_by_id``). Its space is its body. Petitions
waiting for publication are moderated by the petitions' own queue, not here.
"""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request

from participation.accountability.targets import Owed, Part, Recipient, Said
from participation.accounts.queries import display_names
from participation.comments.services import excerpt
from participation.db import INT_MAX
from participation.moderation.targets import Described, Moderated, Space
from participation.organisations.body_settings import settings_of
from petitions import queries
from petitions.models import Petition, ResponseObligation, Signature, SignatureStatus
from petitions.permissions import PUBLIC_STATUSES


class PetitionModerationHost:
    target_type = "petition"

    async def load(self, target_id: int) -> Moderated | None:
        if not 0 < int(target_id) <= INT_MAX:
            return None
        p = await queries.petition_by_id(int(target_id))
        if p is None or p.status not in PUBLIC_STATUSES:
            return None
        body = await queries.body_of(p)
        space = Space("body", p.body_id, settings_of(body).flag_threshold, False)
        return Moderated((p.body_id,), p.creator_id, space)

    async def describe(self, ids: list[int]) -> dict[int, Described]:
        petitions = await queries.petitions_by_ids([i for i in ids if 0 < i <= INT_MAX])
        bodies = await queries.bodies_by_id({p.body_id for p in petitions.values()})
        names = await display_names({p.creator_id for p in petitions.values()})
        out = {}
        for pid, p in petitions.items():
            body = bodies.get(p.body_id)
            out[pid] = Described(
                excerpt=excerpt(f"{p.title}: {p.action}", 280),
                author_name=names.get(p.creator_id, ""),
                link=("petitions:detail", {"id": pid}),
                context=str(body.tr("name")) if body is not None else "",
            )
        return out

    async def own_text(self, target_id: int) -> str:
        found = await queries.petitions_by_ids([int(target_id)])
        p = found.get(int(target_id))
        return excerpt(f"{p.title}: {p.action}", 500) if p is not None else ""


class PetitionAccountability:
    """A petition past its response threshold is owed a response by its body, by the
    deadline of its ``ResponseObligation`` (the petitions' own record, kept: publishing the
    response sets its ``responded_at``). The signers who asked for updates are told."""

    target_type = "petition"

    async def load(self, target_id: int) -> Petition | None:
        if not 0 < int(target_id) <= INT_MAX:
            return None
        p = await queries.petition_by_id(int(target_id))
        return p if p is not None and p.status in PUBLIC_STATUSES and not p.hidden else None

    async def title(self, target: Petition) -> dict[str, str]:
        return {target.language: target.title}

    def original_locale(self, target: Petition) -> str:
        return target.language

    def url(self, request: Request, target: Petition) -> str:
        return str(request.url_for("petitions:detail", id=target.id))

    async def body_ids(self, target: Petition) -> list[int]:
        return [target.body_id]

    @staticmethod
    def _owed(p: Petition, ob: ResponseObligation) -> Owed:
        since = p.response_threshold_at or ob.created_at
        return Owed(p.id, ob.body_id, since, ob.deadline, ob.responded_at)

    async def owed(self, target: Petition) -> Owed | None:
        ob = await queries.obligation(target.id)
        return self._owed(target, ob) if ob is not None else None

    async def all_owed(self) -> list[Owed]:
        obligations = await ResponseObligation.all().order_by("id")
        petitions = await queries.petitions_by_ids([o.petition_id for o in obligations])
        return [
            self._owed(petitions[o.petition_id], o)
            for o in obligations
            if o.petition_id in petitions
        ]

    async def parts(self, target: Petition) -> list[Part]:
        return []  # a petition is answered as one text

    def part_url(self, request: Request, target: Petition, part: Part) -> str:
        return self.url(request, target)

    def report_url(self, request: Request, target: Petition) -> str | None:
        return None

    async def said(self, target: Petition) -> Said:
        return Said(None, None, target.counted_at, {"signatures": target.signature_count})

    async def answered(self, target: Petition, at: datetime) -> None:
        await ResponseObligation.filter(petition_id=target.id, responded_at=None).update(
            responded_at=at
        )

    async def recipients(self, target: Petition, after: int, limit: int) -> list[Recipient]:
        """Confirmed, counted signers who opted in to updates."""
        rows = (
            await Signature.filter(
                petition_id=target.id,
                id__gt=after,
                opt_in=True,
                status=SignatureStatus.CONFIRMED,
                suspect=False,
                invalidation_id=None,
            )  # fmt: skip
            .order_by("id")
            .limit(limit)
            .values("id", "email", "name", "locale")
        )
        return [
            Recipient(int(r["id"]), f"sig:{r['id']}", email=r["email"], locale=r["locale"],
                      name=r["name"])
            for r in rows
        ]  # fmt: skip


moderation_hosts = [PetitionModerationHost()]
accountability_hosts = [PetitionAccountability()]
