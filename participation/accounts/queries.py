"""Reads about users."""

from __future__ import annotations

from participation.accounts.models import DataExport, User


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
