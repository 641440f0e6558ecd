"""Reads about users."""

from __future__ import annotations

from typing import Any

from participation.accounts.models import DataExport, Session, User
from participation.db import conn, is_postgres


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def user_by_email(email: str) -> User | None:
    return await User.get_or_none(email=normalise_email(email))


async def user_by_id(user_id: int) -> User | None:
    return await User.get_or_none(id=user_id)


async def search_users(query: str, limit: int = 50) -> list[User]:
    """Users whose e-mail contains ``query`` (admin search), newest first."""
    q = normalise_email(query)
    if not q:
        return await User.all().order_by("-id").limit(limit)
    return await User.filter(email__icontains=q).order_by("email").limit(limit)


async def display_names(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = await User.filter(id__in=list(user_ids)).values("id", "display_name")
    return {r["id"]: r["display_name"] for r in rows}


async def data_exports(user_id: int, limit: int = 5) -> list[DataExport]:
    """The person's latest export requests, newest first (the "Your data" page)."""
    return await DataExport.filter(user_id=user_id).order_by("-requested_at", "-id").limit(limit)


# The session, its person and their roles in one round trip (a row per role, one row for a
# person without any), read on every request of a signed-in person: plain SQL, no ORM query.
_SESSION_PRINCIPAL = (
    "SELECT u.*, s.last_seen AS session_last_seen, m.body_id AS membership_body_id,"
    " m.role AS membership_role FROM sessions s JOIN users u ON u.id = s.user_id"
    " LEFT JOIN memberships m ON m.user_id = u.id"
    " WHERE s.id = {p} AND s.revoked_at IS NULL AND u.is_active"
)
_SESSION_PRINCIPAL_SQL = {
    True: _SESSION_PRINCIPAL.format(p="$1"), False: _SESSION_PRINCIPAL.format(p="?")
}  # fmt: skip


async def session_with_user(key: str) -> tuple[Any, User, list[tuple[int | None, str]]] | None:
    """The live session ``key`` (not revoked, its person active): (its last_seen, the person,
    their (body_id, role) memberships), or None. One query."""
    rows = await conn().execute_query_dict(_SESSION_PRINCIPAL_SQL[is_postgres()], [key])
    if not rows:
        return None
    first = rows[0]
    last_seen = Session._meta.fields_map["last_seen"].to_python_value(first["session_last_seen"])
    user = User._init_from_db(**first)
    roles = [(r["membership_body_id"], r["membership_role"]) for r in rows
             if r["membership_role"] is not None]  # fmt: skip
    return last_seen, user, roles
