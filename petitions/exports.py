"""The public export of petitions' signature counts by region (and by day): open data, no
personal data (no name, e-mail, address or network), counted signatures only: confirmed,
counted by the counter, neither suspect nor invalidated (the figures each petition shows).
Published petitions only (open, closed, rejected; none that moderation hides).

Streamed: PostgreSQL writes the file itself (``COPY``, participation.reports.exports); on
SQLite Python writes it a petition at a time. The same bytes either way (a test holds both to
it): rows ordered by petition, region (code points) and day."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any, Literal

from pydantic import Field, RootModel

from participation.db import conn, is_postgres
from participation.reports.exports import copy_csv, copy_json, stream_csv, stream_json
from participation.schemas import Query, Schema
from petitions.models import SignatureStatus
from petitions.permissions import PUBLIC_STATUSES


class ExportQuery(Query):
    by: Literal["region", "day"] = Field(
        "region", description="region: a row per petition and region; day: per region and day"
    )


class SignatureCountRow(Schema):
    petition: int = Field(description="the petition's id")
    region: str = Field(description="region code the signers chose ('' when none)")
    day: str | None = Field(None, description="UTC day, YYYY-MM-DD (by=day only)")
    signatures: int


class SignatureCounts(RootModel[list[SignatureCountRow]]):
    pass


COLUMNS = ("petition", "region", "signatures")
DAY_COLUMNS = ("petition", "region", "day", "signatures")


def columns(by_day: bool) -> tuple[str, ...]:
    return DAY_COLUMNS if by_day else COLUMNS


def _sql(*, pg: bool, by_day: bool, petition: bool, fmt: str = "") -> str:
    """Counts per petition and region (and day): all published petitions, or one (the first
    parameter). ``fmt``: the statement PostgreSQL's COPY writes as ``fmt`` (csv, json)."""
    n = iter(range(1, 100))

    def ph() -> str:
        return f"${next(n)}" if pg else "?"

    statuses = ", ".join(f"'{s.value}'" for s in PUBLIC_STATUSES)
    moment = "COALESCE(s.confirmed_at, s.created_at)"
    day = (f"to_char({moment} AT TIME ZONE 'UTC', 'YYYY-MM-DD')" if pg
           else f"substr({moment}, 1, 10)")  # fmt: skip
    region = "NULLIF(s.region, '')" if fmt == "csv" else "s.region"
    one = f" AND s.petition_id = {ph()}" if petition else ""
    collate = ' COLLATE "C"' if pg else ""
    return (
        f"SELECT s.petition_id AS petition, {region} AS region"
        + (f", {day} AS day" if by_day else "")
        + " , count(*) AS signatures"
        " FROM petition_signatures s JOIN petitions p ON p.id = s.petition_id"
        f" WHERE p.status IN ({statuses}){one}"
        f" AND s.status = '{SignatureStatus.CONFIRMED.value}' AND s.counted AND NOT s.suspect"
        " AND s.invalidation_id IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM moderation_states m WHERE m.target_type = 'petition'"
        " AND m.target_id = p.id AND m.hidden_at IS NOT NULL)"
        " GROUP BY s.petition_id, s.region" + (f", {day}" if by_day else "")
        + f" ORDER BY s.petition_id, s.region{collate}" + (", 3" if by_day else "")
    )  # fmt: skip


async def _published(petition_id: int | None) -> list[int]:
    pg = is_postgres()
    statuses = ", ".join(f"'{s.value}'" for s in PUBLIC_STATUSES)
    sql = f"SELECT id FROM petitions WHERE status IN ({statuses})"
    args: list[Any] = []
    if petition_id is not None:
        sql += " AND id = " + ("$1" if pg else "?")
        args.append(petition_id)
    return [int(r[0]) for r in (await conn().execute_query(sql + " ORDER BY id", args))[1]]


async def _rows(petition_id: int | None, by_day: bool) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The rows a petition at a time (the Python path: SQLite's, and PostgreSQL's reference
    in the tests)."""
    sql = _sql(pg=is_postgres(), by_day=by_day, petition=True)
    for pid in await _published(petition_id):
        _n, rows = await conn().execute_query(sql, [pid])
        if rows:
            yield [tuple(r) for r in rows]


def python_export(petition_id: int | None, fmt: str, *, by_day: bool) -> AsyncIterator[bytes]:
    body = stream_csv if fmt == "csv" else stream_json
    return body(columns(by_day), _rows(petition_id, by_day))


async def signature_counts(
    petition_id: int | None, fmt: str, *, by_day: bool = False
) -> AsyncIterator[bytes]:
    """The counts of one published petition (``petition_id``) or of all, as a CSV or JSON
    file, streamed."""
    if not is_postgres():
        async for chunk in python_export(petition_id, fmt, by_day=by_day):
            yield chunk
        return
    args: Sequence[Any] = [petition_id] if petition_id is not None else []
    statements = [(_sql(pg=True, by_day=by_day, petition=petition_id is not None, fmt=fmt), args)]
    body = copy_csv(columns(by_day), statements) if fmt == "csv" else copy_json(statements)
    async for chunk in body:
        yield chunk
