"""The home page's section: consultations open now."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from consultations import queries


async def open_consultations(request: Request) -> tuple[str, dict[str, Any]] | None:
    items = await queries.open_now(limit=6)
    owners = await queries.owners_by_consultation([c.id for c in items])
    return "consultations/_portal.html", {"items": items, "owners": owners}


sections = [open_consultations]
