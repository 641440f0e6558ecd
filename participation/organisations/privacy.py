"""A person's roles in government bodies: exported; ended when the person erases the account."""

from __future__ import annotations

from typing import Any

from participation.organisations.models import Membership


async def export_person(user_id: int) -> dict[str, Any]:
    rows = await Membership.filter(user_id=user_id).select_related("body").order_by("id")
    if not rows:
        return {}
    return {
        "roles": [
            {"body": m.body.slug if m.body else None, "role": m.role.value, "since": m.created_at}
            for m in rows
        ]
    }


async def erase_person(user_id: int, *, keep_comments: bool) -> None:
    await Membership.filter(user_id=user_id).delete()
