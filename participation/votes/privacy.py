"""A person's votes: exported. Erasing keeps them (they are counted, and point at an account
with nothing personal left), so every tally stays as it was."""

from __future__ import annotations

from typing import Any

from participation.votes.models import Vote


async def export_person(user_id: int) -> dict[str, Any]:
    rows = await Vote.filter(user_id=user_id).order_by("id")
    if not rows:
        return {}
    return {
        "votes": [
            {
                "target_type": v.target_type,
                "target_id": v.target_id,
                "value": v.value,
                "created_at": v.created_at,
                "updated_at": v.updated_at,
            }
            for v in rows
        ]  # fmt: skip
    }


async def erase_person(user_id: int, *, keep_comments: bool) -> None:
    return None  # nothing personal in a vote once the account is anonymous
