"""Translated error pages (HTML) and JSON errors under /api."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from starlette.datastructures import URL
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from participation import errors
from participation.db import connection_lost
from participation.i18n import gettext as _
from participation.web.templating import render

log = logging.getLogger("participation.errors")


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("We could not understand what was sent. Please go back and try again.")),
        401: (_("Please sign in"), _("You need to sign in to do this.")),
        403: (_("Not allowed"), _("You are not allowed to do this.")),
        404: (_("Page not found"), _("We could not find this page. It may have moved or been removed.")),
        405: (_("Not allowed"), _("This address does not accept this kind of request.")),
        413: (_("Too large"), _("What you sent is too large.")),
        429: (_("Too many attempts"), _("You have tried this too often. Please wait a minute and try again.")),
        500: (_("Something went wrong"), _("An error happened on our side. It has been logged; please try again later.")),
        503: (_("Please try again in a moment"), _("We lost the connection to our database for a moment, so this request may not have finished. Please wait a few seconds and try again; if you sent a form, check the page before you send it again.")),
    }  # fmt: skip


def error_response(
    request: Request,
    status: int,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The error page (or JSON under /api) of ``status``; ``headers`` go with it (the
    ``Allow`` of a 405)."""
    response = _error_response(request, status, detail)
    if headers:
        response.headers.update(headers)
    return response


def _error_response(request: Request, status: int, detail: str | None) -> Response:
    title, message = _messages().get(status, (_("Error"), _("Something went wrong")))
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": title, "detail": detail or message}, status_code=status)
    context: dict[str, object] = {"status": status, "title": title, "message": detail or message}
    if status == 401:
        back = _page_to_return_to(request)
        login = request.url_for("accounts:login")
        login = login.include_query_params(next=back) if back else login
        if request.method == "GET":
            return RedirectResponse(str(login), status_code=303)
        context["login_url"] = login  # a form sent signed out: sign in, then back to its page
    return render(request, "errors/error.html", context, status_code=status)


def _page_to_return_to(request: Request) -> str | None:
    """After signing in: this page (a GET), or the page whose form was sent (its Referer, if
    it is a page of this site). Only a local path, never another site's address."""
    if request.method == "GET":
        url = request.url
    else:
        referer = URL(request.headers.get("referer", ""))
        if referer.netloc != request.url.netloc:
            return None
        url = referer
    path = url.path + (f"?{url.query}" if url.query else "")
    if (
        not path.startswith("/")
        or path.startswith(("//", "/\\"))
        or any(c in path for c in "\r\n\\")
    ):
        return None
    return path


async def http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    # Starlette's default details are English phrases; ours are translated where we raise them.
    detail = (
        exc.detail if isinstance(exc.detail, str) and getattr(exc, "translated", False) else None
    )
    return error_response(request, exc.status_code, detail, exc.headers)


STATUS: dict[type[errors.DomainError], int] = {
    errors.Invalid: 400,
    errors.NotSignedIn: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.TooMany: 429,
}


def status_of(exc: errors.DomainError) -> int:
    """The HTTP status of a domain error: by the first kind it is (a subclass keeps it)."""
    for kind in type(exc).__mro__:
        status = STATUS.get(kind)  # type: ignore[call-overload]
        if status is not None:
            return status
    return 400


async def domain_error(request: Request, exc: Exception) -> Response:
    """A service refused: its translated message on the error page (or as JSON under /api).
    Views that show a form catch the error themselves to put it next to the field."""
    assert isinstance(exc, errors.DomainError)
    return error_response(request, status_of(exc), exc.message or None)


async def server_error(request: Request, exc: Exception) -> Response:
    if connection_lost(exc):  # the pool reconnects by itself: a moment's wait, not a fault
        log.warning("database connection lost during %s %s: %r", request.method,
                    request.url.path, exc)  # fmt: skip
        return error_response(request, 503, headers={"Retry-After": "5"})
    log.exception("unhandled error", exc_info=exc)
    return error_response(request, 500)


class Refused(HTTPException):
    """An HTTP error whose detail is already a translated sentence for the user."""

    translated = True

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(status_code, message)


async def csrf_failed(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    request = Request(scope, receive)
    response = error_response(
        request,
        403,
        _(
            "This form has expired or did not come from this site. Please go back, reload the page and try again."
        ),
    )
    await response(scope, receive, send)
