"""The public page of a government body."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.organisations import queries
from participation.web.templating import render


async def index(request: Request) -> Response:
    """Every government body, parents with their children (the main navigation's "Bodies")."""
    return render(request, "organisations/index.html", {"bodies": await queries.body_tree()})


async def detail(request: Request) -> Response:
    body = await queries.body_by_slug(request.path_params["slug"])
    if body is None:
        raise HTTPException(404)
    parent = await queries.body_by_id(body.parent_id) if body.parent_id else None
    children = await queries.children_of(body.id)
    sections = []
    for section in body_sections(request):
        part = await section(request, body)
        if part is not None:
            sections.append(part)
    return render(
        request,
        "organisations/detail.html",
        {"body": body, "parent": parent, "children": children, "sections": sections},
    )


def body_sections(request: Request) -> list[Any]:
    """Each domain's ``portal.body_sections``: ``async (request, body) -> (template, ctx) |
    None``, shown on the body's page (its consultations, petitions, responses...)."""
    cached = getattr(request.app.state, "body_sections", None)
    if cached is None:
        from participation.domains import DOMAINS, submodule

        cached = []
        for d in DOMAINS:
            mod = submodule(d, "portal")
            if mod is not None:
                cached.extend(getattr(mod, "body_sections", ()))
        request.app.state.body_sections = cached
    return cached  # type: ignore[no-any-return]


routes = [
    Route("/", index, name="index"),
    Route("/{slug}", detail, name="detail"),
]
