"""The commitments a person follows: exported; the follows end when the account is erased."""

from __future__ import annotations

from typing import Any

from participation.accountability.models import CommitmentFollow


async def export_person(user_id: int) -> dict[str, Any]:
    rows = await CommitmentFollow.filter(user_id=user_id).order_by("id")
    if not rows:
        return {}
    return {
        "commitments_followed": [
            {"commitment_id": f.commitment_id, "since": f.created_at} for f in rows
        ]
    }


async def erase_person(user_id: int, *, keep_comments: bool) -> None:
    await CommitmentFollow.filter(user_id=user_id).delete()
