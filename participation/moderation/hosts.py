"""The one kind of space moderation knows itself: a government body (its petitions, and the
spaces of its own that set no rules). Other packages name theirs in their ``hosts.py``
(``moderation_spaces``: consultations)."""

from __future__ import annotations

from participation.moderation.targets import SpaceInfo
from participation.organisations import queries as bodies


class BodySpace:
    space_type = "body"

    async def describe(self, space_id: int) -> SpaceInfo | None:
        body = await bodies.body_by_id(space_id)
        if body is None:
            return None
        return SpaceInfo(str(body.tr("name")), ("organisations:detail", {"slug": body.slug}))


moderation_spaces = [BodySpace()]
