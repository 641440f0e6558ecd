"""Streamed CSV and JSON of rows given in batches: one batch in memory at a time. A row is a
dict (by column name) or a sequence already in the columns' order (the fast path of large
exports: no dict per row).

On PostgreSQL a large export is written by the database itself: ``copy_csv`` and
``copy_json`` stream ``COPY (SELECT ...) TO STDOUT`` from a connection of their own, in chunks,
a few in memory at a time (the rows never become Python objects). Their bytes are those of
``stream_csv`` / ``stream_json`` on the same rows (a test holds both to it), given that the
query writes each value as the Python path does: ``NULLIF(text, '')`` in CSV (the CSV writer
writes an empty string and a missing value alike), moments through ``PG_MOMENT``."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from participation.db import conn

Row = Mapping[str, Any] | Sequence[Any]
BOM = "\ufeff"  # spreadsheets read the file as UTF-8
CHUNK = 256 * 1024  # bytes handed to the response at a time on the COPY path
QUEUED = 8  # chunks read ahead of the response at most


def moment(value: Any) -> str | None:
    """A stored moment as exports write it: UTC, ISO 8601 to the second (SQLite gives text,
    PostgreSQL datetimes; the same string either way, and the same as ``PG_MOMENT``)."""
    if value is None:
        return None
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return str(when.astimezone(UTC).replace(microsecond=0).isoformat())


def PG_MOMENT(column: str) -> str:  # noqa: N802 - reads as the SQL it writes
    """SQL of ``moment(column)`` in PostgreSQL."""
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""


def csv_header(columns: Sequence[str]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(columns)
    return (BOM + buf.getvalue()).encode()


def _ordered(columns: Sequence[str], batch: list[Any]) -> list[Any]:
    if batch and isinstance(batch[0], Mapping):
        return [[row.get(k) for k in columns] for row in batch]
    return batch


async def stream_csv(
    columns: Sequence[str], batches: AsyncIterator[list[Any]]
) -> AsyncIterator[bytes]:
    """A header, then the rows (lines end with LF, as PostgreSQL's COPY writes them)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    yield csv_header(columns)
    async for batch in batches:
        buf.seek(0)
        buf.truncate()
        writer.writerows(_ordered(columns, batch))
        yield buf.getvalue().encode()


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


async def stream_json(
    columns: Sequence[str], batches: AsyncIterator[list[Any]]
) -> AsyncIterator[bytes]:
    """A JSON array of objects with ``columns`` (compact, as PostgreSQL's row_to_json)."""
    first = True
    yield b"["
    async for batch in batches:
        items = [_dumps(dict(zip(columns, row, strict=True))) for row in _ordered(columns, batch)]
        if items:
            yield (("" if first else ",") + ",".join(items)).encode()
            first = False
    yield b"]"


# ---- PostgreSQL: the database writes the file ------------------------------------------------

Statement = tuple[str, Sequence[Any]]


async def _copy(statements: Sequence[Statement], **options: Any) -> AsyncIterator[bytes]:
    """The output of ``COPY (statement) TO STDOUT`` of each statement in turn, in chunks of
    about ``CHUNK`` bytes, read on one pooled connection held for the export. At most
    ``QUEUED`` chunks wait for a slow reader (the database waits then: memory stays flat);
    a reader that stops early (a closed download) stops the COPY."""
    queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=QUEUED)
    pending = bytearray()

    async def sink(data: bytes) -> None:
        pending.extend(data)
        if len(pending) >= CHUNK:
            chunk = bytes(pending)
            pending.clear()
            await queue.put(chunk)

    async def run() -> None:
        try:
            async with conn().acquire_connection() as raw:
                for sql, args in statements:
                    await raw.copy_from_query(sql, *args, output=sink, **options)
            if pending:
                await queue.put(bytes(pending))
        finally:
            await queue.put(None)

    task = asyncio.ensure_future(run())
    try:
        while (chunk := await queue.get()) is not None:
            yield chunk
        await task  # raises what the COPY raised
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def copy_csv(columns: Sequence[str], statements: Sequence[Statement]) -> AsyncIterator[bytes]:
    """``stream_csv``'s file, written by PostgreSQL from ``statements`` (each selecting
    ``columns`` in order; their rows follow one another under one header)."""
    yield csv_header(columns)
    async for chunk in _copy(statements, format="csv"):
        yield chunk


async def copy_json(statements: Sequence[Statement]) -> AsyncIterator[bytes]:
    """``stream_json``'s array, written by PostgreSQL: each statement's rows as
    ``row_to_json``, one object a line in COPY's CSV format with a quote and a delimiter that
    JSON never holds raw (control characters are escaped in JSON: no object is quoted or holds
    a raw line end), so each line end becomes the comma between two objects."""
    wrapped = [(f"SELECT row_to_json(t) FROM ({sql}) t", args) for sql, args in statements]
    yield b"["
    held = b""  # the last line end seen: a comma, unless it ends the file
    async for chunk in _copy(wrapped, format="csv", quote="\x01", delimiter="\x02"):
        body = chunk[:-1] if chunk.endswith(b"\n") else chunk
        yield held + body.replace(b"\n", b",")
        held = b"," if chunk.endswith(b"\n") else b""
    yield b"]"


async def copy_integers(statements: Sequence[Statement], width: int) -> np.ndarray:
    """The rows of ``statements`` (each selecting ``width`` columns cast to ``int8``, never
    NULL) as one ``(n, width)`` int64 array, read through COPY's binary format straight into
    NumPy: a million votes without a Python object per row (PostgreSQL only)."""
    parts: list[np.ndarray] = []
    buf = bytearray()

    async def sink(data: bytes) -> None:
        buf.extend(data)

    async with conn().acquire_connection() as raw:
        for sql, args in statements:
            buf.clear()
            await raw.copy_from_query(sql, *args, output=sink, format="binary")
            parts.append(_binary_rows(bytes(buf), width))
    return np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.int64)


def _binary_rows(data: bytes, width: int) -> np.ndarray:
    """Rows of int8 columns in PostgreSQL's binary COPY format: a signature, flags and a
    header extension, then per row a field count and each field's length and value (big
    endian), then -1."""
    if not data:
        return np.zeros((0, width), dtype=np.int64)
    ext = int.from_bytes(data[15:19], "big")
    body = data[19 + ext : -2]
    fields: list[tuple[str, str]] = [("n", ">i2")]
    for i in range(width):
        fields += [(f"len{i}", ">i4"), (f"v{i}", ">i8")]
    rec = np.frombuffer(body, dtype=np.dtype(fields))
    if not (np.all(rec["n"] == width) and all(np.all(rec[f"len{i}"] == 8) for i in range(width))):
        raise ValueError("COPY rows are not int8 columns without NULL")
    return np.stack([rec[f"v{i}"] for i in range(width)], axis=1).astype(np.int64)
