"""Read-only JSON API of responses and commitments under /api/v1 (no personal data: the
official body's name only). Models and parameters are in ``participation.accountability.schemas``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.accountability import queries
from participation.accountability.deadlines import standing
from participation.accountability.schemas import (
    BodyRef,
    CommitmentItem,
    CommitmentOut,
    CommitmentPage,
    CommitmentPath,
    CommitmentsQuery,
    Deadline,
    LinkOut,
    MilestoneOut,
    ObligationItem,
    ObligationPage,
    ObligationsQuery,
    PartOut,
    ReportRef,
    ResponseItem,
    ResponseOut,
    ResponsePage,
    ResponsePath,
    ResponsesQuery,
    UpdateOut,
)
from participation.accountability.scoreboard_views import api_routes as scoreboard_api_routes
from participation.accountability.targets import find_host
from participation.organisations import queries as body_queries
from participation.web.api import api_response, operation, path_params, query_params

TAGS = ("accountability",)


async def _body(body_id: int, known: dict[int, BodyRef | None]) -> BodyRef | None:
    if body_id not in known:
        b = await body_queries.body_by_id(body_id)
        known[body_id] = BodyRef(slug=b.slug, name=b.tr("name").text) if b else None
    return known[body_id]


async def _deadline(target_type: str, target_id: int) -> Deadline | None:
    ob = await queries.obligation(target_type, target_id)
    if ob is None:
        return None
    s = standing(ob.due_at, ob.answered_at, datetime.now(UTC))
    return Deadline(opened_at=ob.opened_at, due_at=ob.due_at, answered_at=ob.answered_at,
                    state=s.state.value, days=s.days)  # fmt: skip


async def _response_item(request: Request, r: Any, known: dict[int, BodyRef | None]) -> dict:
    return dict(
        id=r.id, target_type=r.target_type, target_id=r.target_id,
        body=await _body(r.body_id, known), published_at=r.published_at,
        original_language=r.original_locale, languages=r.available_locales(), texts=r.i18n or {},
        deadline=await _deadline(r.target_type, r.target_id),
        url=str(request.url_for("accountability:response", response_id=r.id)),
    )  # fmt: skip


async def _body_filter(slug: str | None) -> tuple[bool, int | None]:
    """(found, id): an unknown body slug gives an empty page."""
    if not slug:
        return True, None
    b = await body_queries.body_by_slug(slug)
    return (b is not None), (b.id if b else None)


def _public(r: Any) -> bool:
    return find_host(r.target_type) is not None


@operation("Answers owed (due, overdue, answered), oldest first", response=ObligationPage,
           query=ObligationsQuery, tags=TAGS)  # fmt: skip
async def obligation_list(request: Request) -> Response:
    q = query_params(request, ObligationsQuery)
    found, body_id = await _body_filter(q.body)
    if not found:
        return api_response(ObligationPage(items=[], next_cursor=None))
    moment = datetime.now(UTC)
    rows = await queries.obligations_page(moment, after=q.cursor or 0, limit=q.limit,
                                          body_id=body_id, target_type=q.target_type,
                                          state=q.state)  # fmt: skip
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    known: dict[int, BodyRef | None] = {}
    items = []
    for ob in rows:
        host = find_host(ob.target_type)
        target = await host.load(ob.target_id) if host is not None else None
        s = standing(ob.due_at, ob.answered_at, moment)
        items.append(ObligationItem(
            id=ob.id, target_type=ob.target_type, target_id=ob.target_id,
            body=await _body(ob.body_id, known), response_id=ob.response_id,
            deadline=Deadline(opened_at=ob.opened_at, due_at=ob.due_at,
                              answered_at=ob.answered_at, state=s.state.value, days=s.days),
            url=host.url(request, target) if host is not None and target is not None else None,
        ))  # fmt: skip
    return api_response(ObligationPage(items=items,
                                       next_cursor=str(rows[-1].id) if more and rows else None))  # fmt: skip


@operation("Published responses, oldest first", response=ResponsePage, query=ResponsesQuery,
           tags=TAGS)  # fmt: skip
async def response_list(request: Request) -> Response:
    q = query_params(request, ResponsesQuery)
    found, body_id = await _body_filter(q.body)
    if not found:
        return api_response(ResponsePage(items=[], next_cursor=None))
    rows = await queries.responses(after=q.cursor or 0, limit=q.limit,
                                   target_type=q.target_type, body_id=body_id)  # fmt: skip
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    known: dict[int, BodyRef | None] = {}
    items = [ResponseItem(**await _response_item(request, r, known)) for r in rows if _public(r)]
    return api_response(ResponsePage(items=items,
                                     next_cursor=str(rows[-1].id) if more and rows else None))  # fmt: skip


@operation("One response: per part what people said, the decision and why",
           response=ResponseOut, path=ResponsePath, tags=TAGS)  # fmt: skip
async def response_detail(request: Request) -> Response:
    r = await queries.response(path_params(request, ResponsePath).id)
    if r is None or not _public(r):
        raise HTTPException(404)
    parts = [
        PartOut(target_type=p.target_type, target_id=p.target_id, position=p.position,
                decision=p.decision.value, texts=p.i18n or {}, original_language=p.original_locale,
                figures=p.figures or {})
        for p in await queries.parts(r.id)
    ]  # fmt: skip
    commitments = [c.id for c in await queries.commitments_of_response(r.id)]
    return api_response(ResponseOut(
        **await _response_item(request, r, {}),
        report=ReportRef(snapshot_id=r.report_snapshot_id, version=r.report_version),
        figures=r.figures or {}, debate_at=r.debate_at, debate_link=r.debate_link,
        parts=parts, commitments=commitments,
    ), last_modified=r.published_at)  # fmt: skip


async def _commitment_item(request: Request, c: Any, known: dict[int, BodyRef | None]) -> dict:
    return dict(
        id=c.id, response_id=c.response_id, body=await _body(c.body_id, known),
        texts=c.i18n or {}, original_language=c.original_locale, due_on=c.due_on,
        status=c.status, progress=c.progress, dropped_reason=c.reason, created_at=c.created_at,
        updated_at=c.updated_at, done_at=c.done_at,
        url=str(request.url_for("accountability:commitment", commitment_id=c.id)),
    )  # fmt: skip


@operation("Commitments, oldest first", response=CommitmentPage, query=CommitmentsQuery,
           tags=TAGS)  # fmt: skip
async def commitment_list(request: Request) -> Response:
    q = query_params(request, CommitmentsQuery)
    found, body_id = await _body_filter(q.body)
    if not found:
        return api_response(CommitmentPage(items=[], next_cursor=None))
    rows = await queries.commitments(after=q.cursor or 0, limit=q.limit, body_id=body_id,
                                     status=q.status)  # type: ignore[arg-type]  # fmt: skip
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    known: dict[int, BodyRef | None] = {}
    items = [CommitmentItem(**await _commitment_item(request, c, known)) for c in rows]
    return api_response(CommitmentPage(items=items,
                                       next_cursor=str(rows[-1].id) if more and rows else None))  # fmt: skip


@operation("One commitment: what it answers, its milestones and its history",
           response=CommitmentOut, path=CommitmentPath, tags=TAGS)  # fmt: skip
async def commitment_detail(request: Request) -> Response:
    c = await queries.commitment(path_params(request, CommitmentPath).id)
    if c is None:
        raise HTTPException(404)
    return api_response(CommitmentOut(
        **await _commitment_item(request, c, {}),
        answers=[LinkOut(target_type=x.target_type, target_id=x.target_id)
                 for x in await queries.links(c.id)],
        milestones=[MilestoneOut(texts=m.i18n or {}, due_on=m.due_on, done_on=m.done_on)
                    for m in await queries.milestones(c.id)],
        history=[UpdateOut(kind=u.kind.value, status=u.status, progress=u.progress,
                           texts=u.i18n or {}, at=u.created_at)
                 for u in await queries.updates(c.id)],
    ), last_modified=c.updated_at)  # fmt: skip


routes = [
    *scoreboard_api_routes,
    Route("/obligations", obligation_list, name="obligations"),
    Route("/responses", response_list, name="responses"),
    Route("/responses/{id}", response_detail, name="response"),
    Route("/commitments", commitment_list, name="commitments"),
    Route("/commitments/{id}", commitment_detail, name="commitment"),
]
