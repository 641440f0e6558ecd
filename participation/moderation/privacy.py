"""What moderation holds about a person: the items they reported (with their note), their
appeals and the answers to them. Erasing keeps the reports and appeals as they were (the
moderation record and its figures rest on them; the account has nothing personal left)."""

from __future__ import annotations

from typing import Any

from participation.moderation.models import Appeal, Flag, ModeratorAlert


async def export_person(user_id: int) -> dict[str, Any]:
    flags = await Flag.filter(user_id=user_id).order_by("id")
    appeals = await Appeal.filter(author_id=user_id).order_by("id")
    out: dict[str, Any] = {}
    if flags:
        out["reports_made"] = [
            {"target_type": f.target_type, "target_id": f.target_id, "reason": f.reason.value,
             "note": f.note, "created_at": f.created_at}
            for f in flags
        ]  # fmt: skip
    if appeals:
        out["appeals"] = [
            {"target_type": a.target_type, "target_id": a.target_id, "text": a.text,
             "created_at": a.created_at, "decided_at": a.decided_at,
             "outcome": a.outcome.value if a.outcome else None, "decision": a.decision_note}
            for a in appeals
        ]  # fmt: skip
    return out


async def erase_person(user_id: int, *, keep_comments: bool) -> None:
    await ModeratorAlert.filter(user_id=user_id).delete()
