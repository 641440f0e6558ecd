"""Petitions as a target of the generic moderation: a published petition (open, closed or
rejected) is reported through the generic flags (``/moderation/flag``), hidden at its body's
flag threshold pending review, hidden or restored by the moderators of its body, and appealed
by its creator, like a comment. A hidden petition leaves the lists and its page, signing and
count (``Petition.hidden``; ``queries.petition_by_id``). Its space is its body. Petitions
waiting for publication are moderated by the petitions' own queue, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from participation.accounts.queries import display_names
from participation.comments.services import excerpt
from participation.db import INT_MAX
from participation.moderation.targets import Campaign, Described, Moderated, Space
from participation.organisations.body_settings import settings_of
from petitions import queries
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

    async def campaigns(
        self, allowed: Callable[[Sequence[int]], bool] | None, min_copies: int, limit: int
    ) -> list[Campaign]:
        return []  # petitions repeat each other through the creation form's similar list

    async def campaign_copies(
        self, text_hash: str, allowed: Callable[[Sequence[int]], bool]
    ) -> list[int]:
        return []


moderation_hosts = [PetitionModerationHost()]
