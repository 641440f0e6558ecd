"""Core pages: the portal home, language choice, health, readiness, metrics."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from participation import metrics
from participation.health import readiness
from participation.i18n import LOCALES
from participation.organisations import queries as org_queries
from participation.web.api import openapi_document
from participation.web.caching import for_anonymous
from participation.web.forms import read_form
from participation.web.templating import redirect, render


async def home(request: Request) -> Response:
    async def load() -> dict[str, Any]:
        sections = []
        for section in request.app.state.portal_sections:
            part = await section(request)
            if part is not None:
                sections.append(part)
        return {"bodies": await org_queries.body_tree(), "sections": sections}

    return render(request, "home.html", await for_anonymous(request, ("home",), load))


async def set_language(request: Request) -> Response:
    form = await read_form(request)
    lang = form.get("lang")
    nxt = form.get("next") or "/"
    if not nxt.startswith("/") or nxt.startswith("//"):
        nxt = "/"
    response = redirect(nxt)
    if lang in LOCALES:
        request.session["lang"] = lang
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def readyz(request: Request) -> Response:
    """200 when every component answers, else 503; the body names each component's state,
    e.g. ``{"ready": false, "checks": {"database": "ok", "redis": "error: ConnectionError"}}``."""
    checks = await readiness(request.app.state.settings)
    ready = all(state == "ok" for state in checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


async def metrics_endpoint(request: Request) -> Response:
    return Response(metrics.exposition(), media_type="text/plain; version=0.0.4")


async def openapi(request: Request) -> Response:
    doc = openapi_document(request.app.routes, "Participation open data API", "1.0.0")
    return Response(json.dumps(doc, ensure_ascii=False), media_type="application/json")


routes = [
    Route("/", home, name="home"),
    Route("/language", set_language, methods=["POST"], name="set_language"),
    Route("/healthz", healthz, name="healthz"),
    Route("/readyz", readyz, name="readyz"),
    Route("/metrics", metrics_endpoint, name="metrics"),
    Route("/api/v1/openapi.json", openapi, name="openapi"),
]
