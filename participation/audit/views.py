"""The public audit log: who did what, when, with the hash chain anyone can check."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.accounts import queries as account_queries
from participation.audit import queries
from participation.audit.services import verify_chain
from participation.forms import BIGINT_MAX, parse_int
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext
from participation.web.errors import Refused
from participation.web.templating import render

PAGE_SIZE = 50

# Readable names of the actions this package knows; others are shown by their code.
ACTION_LABELS = {
    "account.register": lazy_gettext("Account created"),
    "account.confirm": lazy_gettext("E-mail address confirmed"),
    "account.password_reset": lazy_gettext("Password reset"),
    "account.profile": lazy_gettext("Profile changed"),
    "account.role_grant": lazy_gettext("Administrator role granted"),
    "account.role_revoke": lazy_gettext("Administrator role revoked"),
    "role.appoint": lazy_gettext("Role appointed"),
    "role.revoke": lazy_gettext("Role revoked"),
    "body.create": lazy_gettext("Government body created"),
    "body.update": lazy_gettext("Government body changed"),
}


def _int_param(request: Request, name: str) -> int | None:
    return parse_int(request.query_params.get(name), high=BIGINT_MAX)


async def log(request: Request) -> Response:
    before = _int_param(request, "before")
    after = _int_param(request, "after")
    events, has_older, has_newer = await queries.page(
        before=before, after=after if before is None else None, size=PAGE_SIZE
    )
    names = await account_queries.display_names(
        {e.actor_id for e in events if e.actor_id is not None}
    )
    return render(
        request,
        "audit/log.html",
        {
            "events": events,
            "names": names,
            "labels": ACTION_LABELS,
            "older": events[-1].id if has_older and events else None,
            "newer": events[0].id if has_newer and events else None,
        },
    )


async def verify(request: Request) -> Response:
    # Re-hashing the whole log is work: a few checks a minute per visitor is plenty.
    ip = request.client.host if request.client else "unknown"
    if not await request.app.state.limiter.hit("6/minute", "audit-verify", ip):
        raise Refused(429, _("You have tried this too often. Please wait a minute and try again."))
    intact, broken_at = await verify_chain()
    return render(
        request,
        "audit/verify.html",
        {"intact": intact, "broken_at": broken_at, "count": await queries.count()},
        status_code=200,
    )


routes = [
    Route("/", log, name="log"),
    Route("/verify", verify, name="verify"),
]
