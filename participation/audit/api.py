"""The public audit log as open data under /api/v1: its public events (filtered like the page,
by cursor) and its signed checkpoints, so that outsiders can keep copies."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.audit import queries
from participation.audit.schemas import (
    AuditEventOut,
    AuditEventPage,
    AuditQuery,
    BodyRef,
    CheckpointList,
    CheckpointOut,
)
from participation.audit.views import public_events
from participation.organisations import queries as body_queries
from participation.web.api import api_response, operation, query_params

TAGS = ["audit"]


@operation(
    "Public audit log, newest first, by cursor", response=AuditEventPage, query=AuditQuery,
    tags=TAGS,
    description="Acts of officials, moderators and administrators, with their reasons; no "
    "person is named and nothing about a private person is listed. An unknown body or kind is "
    "an empty list.",
)  # fmt: skip
async def events(request: Request) -> Response:
    q = query_params(request, AuditQuery)
    body_id = None
    if q.body is not None:
        body = await body_queries.body_by_slug(q.body)
        if body is None:
            return api_response(AuditEventPage(items=[]))
        body_id = body.id

    def moment(d: object) -> datetime | None:
        return datetime.combine(d, time(0), UTC) if d else None  # type: ignore[arg-type]

    where = queries.PublicFilter(
        body_id, q.kind, moment(q.since), moment(q.until + timedelta(days=1) if q.until else None)
    )
    rows, has_older, _ = await queries.public_page(where, before=q.cursor, size=q.limit)
    items = [
        AuditEventOut(
            id=e["id"],
            created_at=e["created_at"],
            action=e["action"],
            label=e["label"],
            by=e["by"],
            target_type=e["target_type"],
            target_id=e["target_id"],
            bodies=[BodyRef(slug=b.slug, name=b.tr("name").text) for b in e["bodies"]],
            reasons=[text for text, _written in e["reasons"]],
            hash=e["hash"],
            prev_hash=e["prev_hash"],
        )  # fmt: skip
        for e in await public_events(rows)
    ]
    newest = rows[0].created_at if rows and q.cursor is None else None
    return api_response(
        AuditEventPage(items=items, next_cursor=str(rows[-1].id) if has_older else None),
        last_modified=newest,
    )


@operation(
    "Signed checkpoints of the audit log's head, oldest first", response=CheckpointList,
    tags=TAGS,
    description="Keep copies: `participation verify-audit --checkpoints FILE` checks the log "
    "against them, so removing the newest events is detected even if the table were emptied.",
)  # fmt: skip
async def checkpoints(request: Request) -> Response:
    rows = list(reversed(await queries.checkpoints()))
    return api_response(
        CheckpointList(
            payload='{"created_at":…,"event_count":…,"head_id":…,"head_hash":…}',
            items=[CheckpointOut.model_validate(r) for r in rows],
        ),
        last_modified=rows[-1].created_at if rows else None,
    )


routes = [
    Route("/audit", events, name="events"),
    Route("/audit/checkpoints", checkpoints, name="checkpoints"),
]
