"""Streamed CSV and JSON of rows given in batches: one batch in memory at a time. A row is a
dict (by column name) or a sequence already in the columns' order (the fast path of large
exports: no dict per row)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

Row = Mapping[str, Any] | Sequence[Any]


def _ordered(columns: Sequence[str], batch: list[Any]) -> list[Any]:
    if batch and isinstance(batch[0], Mapping):
        return [[row.get(k) for k in columns] for row in batch]
    return batch


async def stream_csv(
    columns: Sequence[str], batches: AsyncIterator[list[Any]]
) -> AsyncIterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    yield ("\ufeff" + buf.getvalue()).encode()  # a BOM: spreadsheets read it as UTF-8
    async for batch in batches:
        buf.seek(0)
        buf.truncate()
        writer.writerows(_ordered(columns, batch))
        yield buf.getvalue().encode()


async def stream_json(
    columns: Sequence[str], batches: AsyncIterator[list[Any]]
) -> AsyncIterator[bytes]:
    """A JSON array of objects with ``columns``."""
    first = True
    yield b"["
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    async for batch in batches:
        items = [dumps(dict(zip(columns, row, strict=True))) for row in _ordered(columns, batch)]
        if items:
            yield (("" if first else ",") + ",".join(items)).encode()
            first = False
    yield b"]"
