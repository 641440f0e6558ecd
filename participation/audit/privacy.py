"""What the public audit log says a person did: exported (the action, its target and time).

The log is append-only and hash-chained, and holds no names or addresses: an erasure leaves it
as it is, its account id now pointing at an account with nothing personal left."""

from __future__ import annotations

from typing import Any

from participation.audit.models import AuditEvent


async def export_person(user_id: int) -> dict[str, Any]:
    rows = await AuditEvent.filter(actor_id=user_id).order_by("id")
    if not rows:
        return {}
    return {
        "actions": [
            {
                "at": e.created_at,
                "action": e.action,
                "target_type": e.target_type,
                "target_id": e.target_id,
            }
            for e in rows
        ]  # fmt: skip
    }


async def erase_person(user_id: int, *, keep_comments: bool) -> None:
    return None
