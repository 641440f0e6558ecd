"""Who is asking: the signed-in user and their roles, loaded once per request."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

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


async def load_principal(user_id: int, auth_version: int | None) -> Principal:
    user = await User.get_or_none(id=user_id, is_active=True)
    if user is None or (auth_version is not None and user.auth_version != auth_version):
        return ANONYMOUS
    roles: dict[int | None, set[Role]] = {}
    for m in await Membership.filter(user_id=user.id).values("body_id", "role"):
        roles.setdefault(m["body_id"], set()).add(Role(m["role"]))
    return Principal(user, roles)


class AuthMiddleware:
    """Puts ``request.state.principal`` in place for every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            session = scope.get("session") or {}
            uid = session.get("uid")
            principal = ANONYMOUS
            if isinstance(uid, int):
                principal = await load_principal(uid, session.get("av"))
                if principal is ANONYMOUS:
                    session.pop("uid", None)
            scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


def principal(request: Request) -> Principal:
    return getattr(request.state, "principal", ANONYMOUS)


def require_user(request: Request) -> Principal:
    """The signed-in principal, or a 401 that the error handler turns into the login page."""
    p = principal(request)
    if not p.authenticated:
        raise HTTPException(401)
    return p


def login_session(request: Request, user: User) -> None:
    request.session.clear()
    request.session["uid"] = user.id
    request.session["av"] = user.auth_version
    request.session["lang"] = user.locale


def logout_session(request: Request) -> None:
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
