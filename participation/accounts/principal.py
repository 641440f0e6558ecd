"""Who is asking: a signed-in user (or nobody) and the roles they hold per body.

Every service takes a ``Principal``; the web layer loads one per request from the session
(``participation.web.auth.AuthMiddleware``, ``participation.accounts.sessions``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from participation.accounts.models import User
from participation.organisations.models import Membership, Role


@dataclass
class Principal:
    user: User | None = None
    # body_id -> roles held there; None key = global (moderator)
    roles: dict[int | None, set[Role]] = field(default_factory=dict)

    @property
    def authenticated(self) -> bool:
        return self.user is not None

    @property
    def id(self) -> int | None:
        return self.user.id if self.user else None

    @property
    def is_admin(self) -> bool:
        return bool(self.user and self.user.is_admin)

    def has_role(self, role: Role, body_id: int | None) -> bool:
        return role in self.roles.get(body_id, ())

    def body_ids(self, *roles: Role) -> set[int]:
        return {b for b, rs in self.roles.items() if b is not None and rs.intersection(roles)}

    def is_official_of(self, body_id: int) -> bool:
        return bool(self.roles.get(body_id, set()) & {Role.EDITOR, Role.PUBLISHER})

    def is_official_of_any(self, body_ids: Iterable[int]) -> bool:
        return any(self.is_official_of(b) for b in body_ids)

    def is_publisher_of_any(self, body_ids: Iterable[int]) -> bool:
        return any(self.has_role(Role.PUBLISHER, b) for b in body_ids)

    @property
    def is_global_moderator(self) -> bool:
        return self.has_role(Role.MODERATOR, None)

    def can_moderate(self, body_ids: Iterable[int] = ()) -> bool:
        return self.is_global_moderator or any(self.has_role(Role.MODERATOR, b) for b in body_ids)

    @property
    def is_any_moderator(self) -> bool:
        return any(Role.MODERATOR in rs for rs in self.roles.values())

    @property
    def is_any_official(self) -> bool:
        return bool(self.body_ids(Role.EDITOR, Role.PUBLISHER))


ANONYMOUS = Principal()


async def principal_of(user: User) -> Principal:
    """The principal of an active user, with the roles they hold (one query)."""
    roles: dict[int | None, set[Role]] = {}
    for m in await Membership.filter(user_id=user.id).values("body_id", "role"):
        roles.setdefault(m["body_id"], set()).add(Role(m["role"]))
    return Principal(user, roles)


async def load_principal(user_id: int, auth_version: int | None = None) -> Principal:
    """The principal of an active user by id (and, if given, password version), else
    ANONYMOUS. Requests get theirs through ``participation.accounts.sessions``."""
    user = await User.get_or_none(id=user_id, is_active=True)
    if user is None or (auth_version is not None and user.auth_version != auth_version):
        return ANONYMOUS
    return await principal_of(user)
