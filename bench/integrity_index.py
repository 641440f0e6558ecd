"""`python -m bench.integrity_index`: the indexing job on PostgreSQL (issue 10, the database side).

Placing a comment in the near-duplicate index is the job's work, never the posting request's
(``participation.integrity.services``): posting costs nothing more. This measures what the job
costs: BENCH_INDEX_COMMENTS (default 20,000) planted comments (en/fa/fr, campaigns and people)
over 5 spaces are written with one bulk insert, then placed by ``index_new_comments`` (wall
time, comments a second); then 500 more, each placed on its own (``place_comment``: its
transaction, candidate lookups, writes, the watermark), p50/p99. The planted campaigns'
recall and the organic comments wrongly grouped are read back from the index
(``campaign_groups``) and scored like the file command's.

DATABASE: BENCH_DATABASE_URL (a PostgreSQL database the bench may empty: it drops and creates
the schema).
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime, timedelta

from tortoise import Tortoise, connections

from participation.comments.models import Comment
from participation.db import tortoise_config
from participation.integrity import queries, services
from participation.sanitize import text_hash
from participation.settings import Settings
from tests.participation.integrity.planted import planted_comments, score_comments

N = int(os.environ.get("BENCH_INDEX_COMMENTS", "20000"))
SPACES = int(os.environ.get("BENCH_INDEX_SPACES", "1"))
MORE = 500


async def main() -> None:
    url = os.environ["BENCH_DATABASE_URL"]
    settings = Settings(env="development", database_url=url, redis_url=None,
                        secret_key="bench-secret-key-that-is-long-enough-0123456789")  # fmt: skip
    await Tortoise.init(config=tortoise_config(settings))
    try:
        await connections.get("default").execute_script(
            "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
        )
        await Tortoise.generate_schemas(safe=False)
        planted = planted_comments(N + MORE, seed=2026)
        start = datetime.now(UTC) - timedelta(days=3)
        rows = [
            Comment(target_type="bench", target_id=1 + i % SPACES, body_raw=r["text"],
                    body_html=r["text"], created_at=start + timedelta(seconds=i),
                    text_hash=text_hash(r["text"]))
            for i, r in enumerate(planted.rows)
        ]  # fmt: skip
        await Comment.bulk_create(rows[:N], batch_size=2000)
        t0 = time.perf_counter()
        run = await services.index_new_comments(limit=N)
        seconds = time.perf_counter() - t0
        print(f"1. index_new_comments over {N:,} comments ({SPACES} spaces): {seconds:.1f} s, "
              f"{run.placed / seconds:.0f} comments/s, {run.failed} failed")  # fmt: skip
        await Comment.bulk_create(rows[N:], batch_size=2000)
        watermark = await services._watermark_row()
        run_state = services.Run()
        times = []
        cpu0 = time.process_time()
        for row in await queries.comments_after(await queries.watermark(services.COMMENTS), MORE):
            t1 = time.perf_counter()
            await services.place_comment(row, watermark, run_state)
            times.append((time.perf_counter() - t1) * 1000)
        cpu = (time.process_time() - cpu0) * 1000 / max(1, len(times))
        times.sort()
        print(f"2. placing one new comment (its own transaction): p50 {times[len(times) // 2]:.1f}"
              f" ms, p99 {times[int(len(times) * 0.99)]:.1f} ms over {len(times)}")  # fmt: skip
        print(
            f"   this process's CPU per comment: {cpu:.1f} ms (the rest is waiting for the "
            f"database; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
        by_position = {}
        ids = await Comment.all().order_by("id").values_list("id", flat=True)
        for pos, cid in enumerate(ids):
            by_position[int(cid)] = planted.rows[pos]["id"]  # type: ignore[call-overload]
        groups = []
        for space in range(1, SPACES + 1):
            for g in await queries.campaign_groups("bench", space, min_size=2):
                groups.append([by_position[c] for c in g.comment_ids])
        print(f"3. read back from the index (groups within a space): "
              f"{score_comments(planted, groups).line()}")  # fmt: skip
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(main())
