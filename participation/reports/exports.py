"""Streamed CSV and JSON of rows given in batches: one batch in memory at a time."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any


async def stream_csv(
    columns: Sequence[str], batches: AsyncIterator[list[dict[str, Any]]]
) -> AsyncIterator[bytes]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    yield ("\ufeff" + buf.getvalue()).encode()  # a BOM: spreadsheets read it as UTF-8
    async for batch in batches:
        buf.seek(0)
        buf.truncate()
        writer.writerows(batch)
        yield buf.getvalue().encode()


async def stream_json(
    columns: Sequence[str], batches: AsyncIterator[list[dict[str, Any]]]
) -> AsyncIterator[bytes]:
    """A JSON array of objects with ``columns``."""
    first = True
    yield b"["
    async for batch in batches:
        for row in batch:
            item = json.dumps({k: row.get(k) for k in columns}, ensure_ascii=False)
            yield (item if first else "," + item).encode()
            first = False
    yield b"]"
