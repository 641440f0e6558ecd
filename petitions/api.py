"""Open data on petitions under /api/v1: counts only, never signers' personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.web.legacy_api import Param, api_response, operation, page_of
from petitions import queries
from petitions.models import Petition, Status
from petitions.permissions import PUBLIC_STATUSES

TAGS = ("petitions",)


@dataclass
class PetitionItem:
    id: int
    title: str
    language: str
    status: str
    body: str
    signature_count: int
    opened_at: datetime | None
    closes_at: datetime | None
    url: str


@dataclass
class RegionCount:
    region: str
    count: int


@dataclass
class PetitionOut:
    id: int
    title: str
    action: str
    background: str
    details: str
    language: str
    status: str
    body: str
    signature_count: int
    counts_by_region: list[RegionCount]
    counted_at: datetime | None
    opened_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None
    reject_reason: str | None
    response_threshold_reached_at: datetime | None
    debate_threshold_reached_at: datetime | None
    response_deadline: datetime | None
    debate_at: datetime | None
    url: str


PetitionPage = page_of(PetitionItem)


def _item(request: Request, p: Petition, body_slugs: dict[int, str]) -> PetitionItem:
    return PetitionItem(
        id=p.id, title=p.title, language=p.language, status=p.status.value,
        body=body_slugs.get(p.body_id, ""), signature_count=p.signature_count,
        opened_at=p.opened_at, closes_at=p.closes_at,
        url=str(request.url_for("petitions:detail", id=p.id)),
    )  # fmt: skip


def _cursor(raw: str | None) -> tuple[int, int] | None:
    if raw and "-" in raw:
        a, _sep, b = raw.partition("-")
        if a.isdigit() and b.isdigit() and len(a) < 12 and len(b) < 12:
            return int(a), int(b)
    return None


@operation(
    "Petitions, most signed first (or newest), 50 a page by cursor",
    response=PetitionPage,
    params=[
        Param("status", "query", str, "open (default), closed or rejected",
              enum=("open", "closed", "rejected")),
        Param("body", "query", str, "slug of the government body"),
        Param("sort", "query", str, "count (default) or newest", enum=("count", "newest")),
        Param("cursor", "query", str, "next_cursor of the previous page"),
    ],
    tags=TAGS,
)  # fmt: skip
async def petition_list(request: Request) -> Response:
    q = request.query_params
    status = q.get("status", "open")
    if status not in ("open", "closed", "rejected"):
        raise HTTPException(400)
    body_id = None
    if q.get("body"):
        from participation.organisations.models import Body

        body = await Body.get_or_none(slug=q["body"])
        if body is None:
            return api_response(PetitionPage(items=[], next_cursor=None))
        body_id = body.id
    sort = "newest" if q.get("sort") == "newest" else "count"
    items, nxt = await queries.public_list(
        status=status, body_id=body_id, sort=sort, cursor=_cursor(q.get("cursor")), limit=50
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
    "One petition with its counts by region",
    response=PetitionOut,
    params=[Param("id", "path", int)],
    tags=TAGS,
)
async def petition_detail(request: Request) -> Response:
    p = await queries.petition_by_id(request.path_params["id"])
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


routes = [
    Route("/petitions", petition_list, name="list"),
    Route("/petitions/{id:int}", petition_detail, name="detail"),
]
