"""What the accounts package holds about a person: the profile, sessions, export requests.

Erasing keeps the row (votes, signatures, flags and answers still point at it and still
count) with nothing personal left: no name, no address, no password that can match, no
session. Runs last, after every other domain had the address to find what is theirs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import F

from participation.accounts.models import DataExport, Session, User

UNUSABLE_PASSWORD = "!erased"  # not an argon2 hash: verify_password never matches it


def erased_email(user_id: int) -> str:
    """The address an erased account keeps (unique, and no mail can reach it)."""
    return f"erased-{user_id}@erased.invalid"


async def export_person(user_id: int) -> dict[str, Any]:
    user = await User.get_or_none(id=user_id)
    if user is None:
        return {}
    sessions = await Session.filter(user_id=user_id).order_by("created_at")
    exports = await DataExport.filter(user_id=user_id).order_by("requested_at")
    return {
        "profile": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "locale": user.locale,
            "region": user.region,
            "created_at": user.created_at,
            "email_confirmed_at": user.email_confirmed_at,
            "is_admin": user.is_admin,
            "suspended_until": user.suspended_until,
            "suspension_reason": user.suspension_reason,
        },
        "sessions": [
            {"created_at": s.created_at, "last_seen": s.last_seen, "ended_at": s.revoked_at}
            for s in sessions
        ],
        "data_exports": [
            {"requested_at": e.requested_at, "status": e.status.value, "ready_at": e.ready_at}
            for e in exports
        ],
    }


async def erase_person(user_id: int, *, keep_comments: bool) -> list[str]:
    """The storage keys of the person's export files, deleted by the caller after commit."""
    await Session.filter(user_id=user_id).delete()
    exports = await DataExport.filter(user_id=user_id).only("id", "storage_key")
    await DataExport.filter(user_id=user_id).delete()
    await User.filter(id=user_id).update(
        email=erased_email(user_id),
        display_name="",
        region="",
        password_hash=UNUSABLE_PASSWORD,
        email_confirmed_at=None,
        is_admin=False,
        is_active=False,
        suspension_reason="",
        erased_at=datetime.now(UTC),
        auth_version=F("auth_version") + 1,
    )
    return [e.storage_key for e in exports if e.storage_key]
