"""POST /votes/cast: one form for every vote target; redirects back (303), or answers JSON
with the new counts when asked (progressive enhancement)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from participation.comments.hosts import vote_host
from participation.forms import BIGINT_MAX, parse_int
from participation.votes import services
from participation.web.auth import require_user
from participation.web.forms import read_form
from participation.web.templating import redirect


def _safe_next(raw: str) -> str | None:
    if raw.startswith("/") and not raw.startswith(("//", "/\\")) and len(raw) < 2000:
        return raw
    return None


async def cast(request: Request) -> Response:
    p = require_user(request)
    form = await read_form(request)
    target_type = form.get("target_type").strip()[:40]
    target_id = parse_int(form.get("target_id"), high=BIGINT_MAX)  # the host checks its range
    value = parse_int(form.get("value"), low=-BIGINT_MAX, high=BIGINT_MAX)  # the service checks it
    if not target_type or target_id is None or value is None:
        raise HTTPException(400)
    host = vote_host(target_type)
    tally = await services.cast_vote(p, target_type, target_id, value)
    wants_json = "application/json" in request.headers.get("accept", "") or request.headers.get(
        "x-requested-with"
    )
    if wants_json:
        return JSONResponse({"up": tally.up, "down": tally.down, "value": value})
    nxt = _safe_next(form.get("next"))
    if nxt is None:
        target = await host.load(target_id)
        if target is None:
            raise HTTPException(404)
        nxt = host.url(request, target)
    if target_type == "comment" and "#" not in nxt:
        nxt += f"#comment-{target_id}"
    return redirect(nxt)


routes = [Route("/cast", cast, methods=["POST"], name="cast")]
