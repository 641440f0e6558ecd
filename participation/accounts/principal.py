"""Who is asking: a signed-in user (or nobody) and the roles they hold per body.

Every service takes a ``Principal``; the web layer loads one per request from the session
(``participation.web.auth.AuthMiddleware``, ``participation.accounts.sessions``).

Two rules hold here, once for every domain:

- **Administrators may moderate**, everywhere, as global moderators do: every moderation
  route and permission asks ``can_moderate`` / ``is_global_moderator``, which say yes to them.
- **A suspended person** (``suspended``: a moderator suspended them from taking part, until a
  date) holds no role until the suspension ends: they read, sign in and manage their account;
  every service that writes refuses them with ``refuse_if_suspended``, which tells them why
  and until when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from participation.accounts.models import User
from participation.errors import Forbidden
from participation.i18n import gettext as _
from participation.i18n.formatting import format_datetime
from participation.organisations.models import Membership, Role

_NO_ROLES: dict[int | None, set[Role]] = {}


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
        return bool(self.user and self.user.is_admin) and not self.suspended

    @property
    def suspended_until(self) -> datetime | None:
        """The end of the person's suspension from taking part, while it lasts."""
        until = self.user.suspended_until if self.user is not None else None
        return until if until is not None and until > datetime.now(UTC) else None

    @property
    def suspended(self) -> bool:
        return self.suspended_until is not None

    @property
    def suspension_reason(self) -> str:
        return self.user.suspension_reason if self.user is not None and self.suspended else ""

    @property
    def active_roles(self) -> dict[int | None, set[Role]]:
        """The roles the person may use now: none while suspended."""
        return _NO_ROLES if self.suspended else self.roles

    def has_role(self, role: Role, body_id: int | None) -> bool:
        return role in self.active_roles.get(body_id, ())

    def body_ids(self, *roles: Role) -> set[int]:
        return {
            b for b, rs in self.active_roles.items() if b is not None and rs.intersection(roles)
        }

    def is_official_of(self, body_id: int) -> bool:
        return bool(self.active_roles.get(body_id, set()) & {Role.EDITOR, Role.PUBLISHER})

    def is_official_of_any(self, body_ids: Iterable[int]) -> bool:
        return any(self.is_official_of(b) for b in body_ids)

    def is_publisher_of_any(self, body_ids: Iterable[int]) -> bool:
        return any(self.has_role(Role.PUBLISHER, b) for b in body_ids)

    @property
    def is_global_moderator(self) -> bool:
        """A moderator of every body; administrators are (the one rule for admins)."""
        return self.is_admin or self.has_role(Role.MODERATOR, None)

    def can_moderate(self, body_ids: Iterable[int] = ()) -> bool:
        return self.is_global_moderator or any(self.has_role(Role.MODERATOR, b) for b in body_ids)

    @property
    def is_any_moderator(self) -> bool:
        return self.is_admin or any(Role.MODERATOR in rs for rs in self.active_roles.values())

    @property
    def is_any_official(self) -> bool:
        return bool(self.body_ids(Role.EDITOR, Role.PUBLISHER))


ANONYMOUS = Principal()


def refuse_if_suspended(principal: Principal) -> None:
    """Every service that writes calls this first: a suspended person is told why and until
    when (in their language), and nothing is changed."""
    until = principal.suspended_until
    if until is None:
        return
    reason = principal.suspension_reason
    if reason:
        raise Forbidden(
            _("You are suspended from taking part until %(date)s. The reason given: %(reason)s",
              date=format_datetime(until), reason=reason)
        )  # fmt: skip
    raise Forbidden(
        _("You are suspended from taking part until %(date)s.", date=format_datetime(until))
    )


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
