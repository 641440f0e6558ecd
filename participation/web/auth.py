"""The principal of each request (``request.state.principal``) and the session's sign-in."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from participation.accounts.models import User
from participation.accounts.principal import ANONYMOUS, Principal, load_principal


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
