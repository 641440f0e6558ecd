"""The home page's section (consultations open now) and a government body's section (its
consultations: open, coming, closed)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from consultations import queries
from consultations.models import Status
from participation.organisations.models import Body

BODY_LIMIT = 10  # consultations of each state listed on a body's page


async def open_consultations(request: Request) -> tuple[str, dict[str, Any]] | None:
    items = await queries.open_now(limit=6)
    owners = await queries.owners_by_consultation([c.id for c in items])
    return "consultations/_portal.html", {"items": items, "owners": owners}


sections = [open_consultations]


async def body_consultations(request: Request, body: Body) -> tuple[str, dict[str, Any]] | None:
    """On a government body's page: the consultations it runs (alone or with others), open
    ones first, then those coming and the latest closed ones."""
    groups = []
    for status in (Status.OPEN, Status.SCHEDULED, Status.CLOSED):
        items, more = await queries.list_consultations(
            queries.Filters(body_id=body.id, status=status), limit=BODY_LIMIT
        )
        groups.append((status.value, items, more is not None))
    if not any(items for _, items, _ in groups):
        return None
    return "organisations/_consultations.html", {"groups": groups, "body": body}


body_sections = [body_consultations]
