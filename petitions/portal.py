"""The home page's section: the open petitions with the most signatures."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from participation.organisations.models import Body
from petitions import queries


async def top_petitions(request: Request) -> tuple[str, dict[str, Any]] | None:
    return "petitions/_portal.html", {"items": await queries.top_open(limit=5)}


async def body_petitions(request: Request, body: Body) -> tuple[str, dict[str, Any]] | None:
    """On a government body's page: its open petitions and those it must respond to."""
    items, _next = await queries.public_list(status="open", body_id=body.id, limit=10)
    owed = await queries.obligations_of_body(body.id)
    if not items and not owed:
        return None
    return "petitions/_body.html", {"items": items, "owed": owed, "body": body}


sections = [top_petitions]
body_sections = [body_petitions]
