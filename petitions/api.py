"""Open data on petitions under /api/v1: counts only, never signers' personal data."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from participation.organisations import queries as bodies
from participation.web.api import api_response, operation, path_params, query_params
from petitions import exports, queries
from petitions.models import Petition, Status
from petitions.permissions import PUBLIC_STATUSES
from petitions.schemas import (
    PetitionItem,
    PetitionListQuery,
    PetitionOut,
    PetitionPage,
    PetitionPath,
    RegionCount,
)

TAGS = ["petitions"]


def _item(request: Request, p: Petition, body_slugs: dict[int, str]) -> PetitionItem:
    return PetitionItem(
        id=p.id, title=p.title, language=p.language, status=p.status.value,
        body=body_slugs.get(p.body_id, ""), signature_count=p.signature_count,
        opened_at=p.opened_at, closes_at=p.closes_at,
        url=str(request.url_for("petitions:detail", id=p.id)),
    )  # fmt: skip


@operation(
    "Petitions, most signed first (or newest), 50 a page by cursor",
    response=PetitionPage, query=PetitionListQuery, tags=TAGS,
    description="An unknown body is an empty list.",
)  # fmt: skip
async def petition_list(request: Request) -> Response:
    q = query_params(request, PetitionListQuery)
    body_id = None
    if q.body is not None:
        body = await bodies.body_by_slug(q.body)
        if body is None:
            return api_response(PetitionPage(items=[]))
        body_id = body.id
    items, nxt = await queries.public_list(
        status=q.status, body_id=body_id, sort=q.sort, cursor=q.position, limit=50, q=q.q or ""
    )
    items = [p for p in items if not p.hidden]
    slugs = {
        b.id: b.slug for b in (await queries.bodies_by_id({p.body_id for p in items})).values()
    }
    return api_response(PetitionPage(
        items=[_item(request, p, slugs) for p in items],
        next_cursor=f"{nxt[0]}-{nxt[1]}" if nxt else None,
    ))  # fmt: skip


@operation(
    "One petition with its counts by region", response=PetitionOut, path=PetitionPath, tags=TAGS
)
async def petition_detail(request: Request) -> Response:
    where = path_params(request, PetitionPath)
    p = await queries.petition_by_id(where.id)
    if p is None or p.status not in PUBLIC_STATUSES or p.hidden:
        raise HTTPException(404)
    body = await queries.body_of(p)
    obligation = await queries.obligation(p.id)
    regions = sorted((p.region_counts or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    return api_response(PetitionOut(
        id=p.id, title=p.title, action=p.action, background=p.background, details=p.details,
        language=p.language, status=p.status.value, body=body.slug,
        signature_count=p.signature_count,
        counts_by_region=[RegionCount(region=k, count=v) for k, v in regions],
        counted_at=p.counted_at, opened_at=p.opened_at, closes_at=p.closes_at,
        closed_at=p.closed_at,
        reject_reason=p.reject_reason.value if p.status == Status.REJECTED and p.reject_reason else None,
        response_threshold_reached_at=p.response_threshold_at,
        debate_threshold_reached_at=p.debate_threshold_at,
        response_deadline=obligation.deadline if obligation else None,
        debate_at=p.debate_at,
        url=str(request.url_for("petitions:detail", id=p.id)),
    ))  # fmt: skip


def _counts(request: Request, petition_id: int | None, fmt: str) -> Response:
    by = query_params(request, exports.ExportQuery).by
    name = f"petition-{petition_id}" if petition_id else "petitions"
    return StreamingResponse(
        exports.signature_counts(petition_id, fmt, by_day=by == "day"),
        media_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}-signatures-by-{by}.{fmt}"'},
    )


async def _one(request: Request) -> int:
    p = await queries.petition_by_id(path_params(request, PetitionPath).id)
    if p is None or p.status not in PUBLIC_STATUSES or p.hidden:
        raise HTTPException(404)
    return p.id


COUNTS = exports.SignatureCounts
BY = exports.ExportQuery
ALL = "Counted signatures of every published petition by region (or region and day), streamed"
ONE = "Counted signatures of one petition by region (or region and day), streamed"


@operation(ALL + " as CSV", response=COUNTS, query=BY, tags=TAGS, media_type="text/csv")
async def counts_csv(request: Request) -> Response:
    return _counts(request, None, "csv")


@operation(ALL, response=COUNTS, query=BY, tags=TAGS)
async def counts_json(request: Request) -> Response:
    return _counts(request, None, "json")


@operation(ONE + " as CSV", response=COUNTS, query=BY, path=PetitionPath, tags=TAGS,
           media_type="text/csv")  # fmt: skip
async def petition_counts_csv(request: Request) -> Response:
    return _counts(request, await _one(request), "csv")


@operation(ONE, response=COUNTS, query=BY, path=PetitionPath, tags=TAGS)
async def petition_counts_json(request: Request) -> Response:
    return _counts(request, await _one(request), "json")


routes = [
    Route("/petitions", petition_list, name="list"),
    Route("/petitions/{id:int}", petition_detail, name="detail"),
    Route("/petitions/signatures.csv", counts_csv, name="signatures_csv"),
    Route("/petitions/signatures.json", counts_json, name="signatures_json"),
    Route(
        "/petitions/{id:int}/signatures.csv", petition_counts_csv, name="petition_signatures_csv"
    ),
    Route(
        "/petitions/{id:int}/signatures.json", petition_counts_json, name="petition_signatures_json"
    ),
]
