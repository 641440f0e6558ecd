"""Group commit of new comments (PostgreSQL): many people posting at once share one write.

A new top-level comment that is shown at once (not held for a moderator) is one row and
nothing else: no parent to count, no mail, no moderation state. On PostgreSQL, when no unit
of work is open around the call, ``post_comment`` hands that row to this process's batcher
instead of writing it in a transaction of its own (BEGIN, INSERT, COMMIT: three round trips
per comment). Each request queues its row and waits; one task takes up to ``MAX_BATCH`` queued
rows and writes them in ONE statement (``INSERT ... SELECT FROM unnest(...)``), which is its
own transaction: one round trip for them all. Up to ``MAX_IN_FLIGHT`` batches are written at
once, and what arrives meanwhile forms the next one. A request answers only after the
statement holding its row has committed, with the row as stored (``RETURNING``): nothing is
said "posted" that is not written.

If a batch fails (a row the database refuses), each of its rows is written again alone, so
that one bad row fails only its own request. A batch whose connection was lost is not written
again (it may have committed before the answer was lost): its requests get the error (a 503). After each batch the process's caches are emptied
as after any commit (``participation.caching.after_write``): a process never serves a page
older than its own last write. Replies, held comments, paper submissions and SQLite go through
``participation.db.transaction`` as before (``tests/participation/comments/test_batching.py``
compares both paths).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from participation.caching import after_write
from participation.comments.models import Comment
from participation.db import conn, connection_lost, current_unit_of_work, is_postgres
from participation.groupcommit import GroupCommit, per_loop

log = logging.getLogger(__name__)

MAX_BATCH = 128
MAX_IN_FLIGHT = 4  # batches written at once by one process (each holds a pool connection)


@dataclass(slots=True)
class NewComment:
    """A top-level online comment, ready to store (sanitised, checked, allowed)."""

    target_type: str
    target_id: int
    author_id: int
    stance: str | None
    body_raw: str
    body_html: str
    language: str
    created_at: datetime
    text_hash: str


_BATCH_SQL = """
WITH input AS MATERIALIZED (
    SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id, t.*
    FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[],
                $7::text[], $8::timestamptz[], $9::text[]) WITH ORDINALITY
         AS t(target_type, target_id, author_id, stance, body_raw, body_html, language,
              created_at, text_hash, n)
), inserted AS (
    INSERT INTO comments (id, target_type, target_id, parent_id, root_id, depth, author_id,
        author_name, stance, body_raw, body_html, language, channel, received_at,
        entered_by_id, entered_by_body_id, created_at, edited_at, deleted_at, up_count,
        down_count, contested, reply_count, text_hash)
    SELECT id, target_type, target_id, NULL, NULL, 0, author_id, '', stance, body_raw,
        body_html, language, 'online', NULL, NULL, NULL, created_at, NULL, NULL, 0, 0, 0, 0,
        text_hash
    FROM input
    RETURNING *
)
SELECT inserted.* FROM inserted JOIN input ON input.id = inserted.id ORDER BY input.n
"""


def available() -> bool:
    """Whether a new comment may be group-committed here: PostgreSQL, and no unit of work
    open around the caller (whose transaction the comment must then be part of)."""
    return current_unit_of_work() is None and is_postgres()


async def insert(rows: list[NewComment]) -> list[Comment]:
    """Write ``rows`` in one statement (its own transaction); the comments as stored, in the
    order of ``rows``."""
    cols: list[list[object]] = [[] for _ in range(9)]
    for r in rows:
        values = (r.target_type, r.target_id, r.author_id, r.stance, r.body_raw, r.body_html,
                  r.language, r.created_at, r.text_hash)  # fmt: skip
        for col, value in zip(cols, values, strict=True):
            col.append(value)
    _, stored = await conn().execute_query(_BATCH_SQL, cols)
    if len(stored) != len(rows):
        raise RuntimeError(f"comment batch: {len(rows)} rows sent, {len(stored)} stored")
    return [Comment._init_from_db(**dict(s)) for s in stored]


class CommentBatcher(GroupCommit[NewComment, Comment]):
    """Group commit of new comments for one process (see the module docstring)."""

    def __init__(self, max_batch: int = MAX_BATCH, in_flight: int = MAX_IN_FLIGHT) -> None:
        super().__init__(max_batch, in_flight)

    async def _write(self, batch: list[tuple[NewComment, asyncio.Future[Comment]]]) -> None:
        try:
            try:
                stored = await insert([row for row, _ in batch])
            finally:
                self.slots.release()
        except Exception as exc:
            if connection_lost(exc):  # it may have committed: writing again could store twice
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
                return
            log.warning("comment batch of %d failed; writing its rows one by one", len(batch),
                        exc_info=True)  # fmt: skip
            await self._one_by_one(batch)
            return
        self.batches += 1
        after_write()
        for (_, fut), comment in zip(batch, stored, strict=True):
            if not fut.done():
                fut.set_result(comment)

    async def _one_by_one(self, batch: list[tuple[NewComment, asyncio.Future[Comment]]]) -> None:
        for row, fut in batch:
            try:
                [comment] = await insert([row])
            except Exception as exc:
                if not fut.done():
                    fut.set_exception(exc)
                continue
            after_write()
            if not fut.done():
                fut.set_result(comment)


_batchers: dict[int, CommentBatcher] = {}


def batcher() -> CommentBatcher:
    """This event loop's batcher (one per process in production; tests get a fresh loop)."""
    return per_loop(_batchers, CommentBatcher)
