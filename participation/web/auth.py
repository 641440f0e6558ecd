"""The principal of each request (``request.state.principal``) and the session's sign-in.

The signed session cookie carries ``sid``, the token of a server-side session
(``participation.accounts.sessions``): the middleware asks who it signs in, at the cost of one
query (the session, its person and their roles); a revoked or unknown session is dropped from
the cookie."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from participation.accounts import services, sessions
from participation.accounts.models import User
from participation.accounts.principal import ANONYMOUS, Principal


class AuthMiddleware:
    """Puts ``request.state.principal`` in place for every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            session = scope.get("session") or {}
            sid = session.get("sid")
            principal = ANONYMOUS
            if isinstance(sid, str):
                principal = await sessions.principal_for(sid)
                if principal is ANONYMOUS:
                    session.pop("sid", None)
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


async def login_session(request: Request, user: User) -> None:
    """Sign the browser in with a new session and a new cookie (nothing of the session it
    had before, not even its CSRF token, carries over; that session is ended)."""
    previous = request.session.get("sid")
    token = await services.start_session(
        user, replacing=previous if isinstance(previous, str) else None
    )
    request.session.clear()
    request.session["sid"] = token
    request.session["lang"] = user.locale


async def logout_session(request: Request) -> None:
    """End this browser's session (wherever its cookie was copied) and forget it here; the
    chosen language stays."""
    token = request.session.get("sid")
    if isinstance(token, str):
        await services.sign_out(token)
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
