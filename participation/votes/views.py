"""POST /votes/cast: one form for every vote target; redirects back (303), or answers JSON
with the new counts when asked (progressive enhancement)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from participation.errors import Invalid, NotFound
from participation.forms import bind
from participation.i18n import gettext as _
from participation.votes import services
from participation.votes.forms import VoteInput
from participation.votes.targets import vote_host
from participation.web.auth import require_user
from participation.web.forms import read_form
from participation.web.templating import redirect


def _safe_next(raw: str) -> str | None:
    if raw.startswith("/") and not raw.startswith(("//", "/\\")) and len(raw) < 2000:
        return raw
    return None


async def cast(request: Request) -> Response:
    p = require_user(request)
    form = bind(VoteInput, await read_form(request))
    if not form.validate():
        raise Invalid(_("This vote is not valid."))
    data = form.data
    host = vote_host(data.target_type)
    tally = await services.cast_vote(p, data.target_type, data.target_id, data.value)
    wants_json = "application/json" in request.headers.get("accept", "") or request.headers.get(
        "x-requested-with"
    )
    if wants_json:
        return JSONResponse({"up": tally.up, "down": tally.down, "value": data.value})
    nxt = _safe_next(data.next)
    if nxt is None:
        target = await host.load(data.target_id)
        if target is None:
            raise NotFound(_("We could not find what you are voting on."))
        nxt = host.url(request, target)
    if data.target_type == "comment" and "#" not in nxt:
        nxt += f"#comment-{data.target_id}"
    return redirect(nxt)


routes = [Route("/cast", cast, methods=["POST"], name="cast")]
