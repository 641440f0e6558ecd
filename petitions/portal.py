"""The home page's section: the open petitions with the most signatures."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from participation.organisations.models import Body
from petitions import queries


async def top_petitions(request: Request) -> tuple[str, dict[str, Any]] | None:
    return "petitions/_portal.html", {"items": await queries.top_open(limit=5)}


async def body_petitions(request: Request, body: Body) -> tuple[str, dict[str, Any]] | None:
    """On a government body's page: the petitions it must respond to, its open petitions and
    the latest closed ones."""
    items, more = await queries.public_list(status="open", body_id=body.id, limit=10)
    closed, more_closed = await queries.public_list(
        status="closed", body_id=body.id, sort="newest", limit=5
    )
    owed = await queries.obligations_of_body(body.id)
    if not items and not owed and not closed:
        return None
    return "petitions/_body.html", {
        "items": items, "owed": owed, "closed": closed, "body": body,
        "more": more is not None, "more_closed": more_closed is not None,
    }  # fmt: skip


sections = [top_petitions]
body_sections = [body_petitions]
