"""The scoreboard's pages and JSON: every body ranked, and one body's figures with their
history by quarter. They read the table the job fills (``scoreboard.board``), never the
obligations themselves. ``routes`` are mounted with the accountability pages, ``api_routes``
with its API."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.accountability import scoreboard
from participation.accountability.scoreboard_schemas import (
    BodyScoreOut,
    FiguresOut,
    QuarterOut,
    ScoreboardOut,
    ScoreboardPath,
)
from participation.organisations import queries as body_queries
from participation.web.api import api_response, operation, path_params
from participation.web.templating import render

TAGS = ["scoreboard"]


def _out(request: Request, line: scoreboard.Line) -> BodyScoreOut:
    f: dict[str, Any] = dict(line.score.figures)
    history = f.pop("history", [])
    return BodyScoreOut(
        rank=line.rank, body=line.body.slug, name=line.body.tr("name").text,
        computed_at=line.score.computed_at, figures=FiguresOut(**f),
        history=[QuarterOut(**h) for h in history],
        url=str(request.url_for("accountability:scoreboard_body", slug=line.body.slug)),
    )  # fmt: skip


async def _line(slug: str) -> scoreboard.Line:
    body = await body_queries.body_by_slug(slug)
    if body is None:
        raise HTTPException(404)
    line = next((x for x in await scoreboard.board() if x.body.id == body.id), None)
    if line is None:  # not computed yet: the job runs every hour
        raise HTTPException(404)
    return line


async def board(request: Request) -> Response:
    lines = await scoreboard.board()
    return render(request, "accountability/scoreboard.html", {
        "lines": lines,
        "computed_at": max((x.score.computed_at for x in lines), default=None),
    })  # fmt: skip


async def body_board(request: Request) -> Response:
    where = path_params(request, ScoreboardPath)
    body = await body_queries.body_by_slug(where.slug)
    if body is None:
        raise HTTPException(404)
    lines = await scoreboard.board()
    line = next((x for x in lines if x.body.id == body.id), None)
    history = [
        {**h, "starts_on": date.fromisoformat(h["starts_on"]),
         "ends_on": date.fromisoformat(h["ends_on"])}
        for h in reversed(line.score.figures.get("history", []) if line else [])
    ]  # fmt: skip
    return render(request, "accountability/scoreboard_body.html", {
        "body": body, "line": line, "f": line.score.figures if line else None,
        "history": history, "ranked": sum(1 for x in lines if x.rank),
    })  # fmt: skip


@operation("Every body's scoreboard, ranked", response=ScoreboardOut, tags=TAGS,
           description="Computed every hour by a job; bodies owed nothing yet come last, "
           "unranked (rank null).")  # fmt: skip
async def board_api(request: Request) -> Response:
    lines = await scoreboard.board()
    return api_response(
        ScoreboardOut(items=[_out(request, x) for x in lines]),
        last_modified=max((x.score.computed_at for x in lines), default=None),
    )


@operation("One body's scoreboard with its history by quarter", response=BodyScoreOut,
           path=ScoreboardPath, tags=TAGS,
           description="404 for an unknown body, or before the job first computed it.")  # fmt: skip
async def body_api(request: Request) -> Response:
    line = await _line(path_params(request, ScoreboardPath).slug)
    return api_response(_out(request, line), last_modified=line.score.computed_at)


routes = [
    Route("/scoreboard", board, name="scoreboard"),
    Route("/scoreboard/{slug}", body_board, name="scoreboard_body"),
]
api_routes = [
    Route("/scoreboard", board_api, name="scoreboard"),
    Route("/scoreboard/{slug}", body_api, name="scoreboard_body"),
]
