"""Reads about bodies and their members."""

from __future__ import annotations

from tortoise.expressions import Q

from participation.organisations.models import Body, Membership, Role


async def body_tree() -> list[tuple[Body, list[Body]]]:
    """Top-level bodies with their children, ordered by slug."""
    bodies = await Body.all().order_by("slug")
    children: dict[int, list[Body]] = {}
    for b in bodies:
        if b.parent_id is not None:
            children.setdefault(b.parent_id, []).append(b)
    return [(b, children.get(b.id, [])) for b in bodies if b.parent_id is None]


async def body_by_slug(slug: str) -> Body | None:
    """The body of ``slug``; None for a slug that cannot exist (longer than the column: the ORM
    would refuse the value inside the lookup, a 500 instead of "not found")."""
    if len(slug) > Body._meta.fields_map["slug"].max_length:  # type: ignore[attr-defined]
        return None
    return await Body.get_or_none(slug=slug)


async def bodies_by_ids(ids: list[int]) -> list[Body]:
    return await Body.filter(id__in=ids).order_by("slug") if ids else []


async def members(body_id: int) -> list[Membership]:
    return await Membership.filter(body_id=body_id).prefetch_related("user").order_by("role", "id")


async def global_moderators() -> list[Membership]:
    return await Membership.filter(body_id=None, role=Role.MODERATOR).prefetch_related("user")


async def body_by_id(body_id: int) -> Body | None:
    return await Body.get_or_none(id=body_id)


async def all_bodies() -> list[Body]:
    return await Body.all().order_by("slug")


async def children_of(body_id: int) -> list[Body]:
    return await Body.filter(parent_id=body_id).order_by("slug")


async def membership_in(membership_id: int, body_id: int | None) -> Membership | None:
    """A membership, only if it belongs to this body (``None``: a global role)."""
    return await Membership.get_or_none(id=membership_id, body_id=body_id)


async def has_membership(user_id: int, body_id: int | None, role: Role) -> bool:
    return await Membership.filter(user_id=user_id, body_id=body_id, role=role).exists()


async def moderator_ids(body_id: int) -> list[int]:
    """Users who moderate this body: its own moderators and the global ones."""
    rows = await Membership.filter(
        Q(body_id=body_id) | Q(body_id=None), role=Role.MODERATOR
    ).values_list("user_id", flat=True)
    return sorted({int(r) for r in rows})  # type: ignore[call-overload]
