"""With REDIS_URL: the outbox hands jobs to arq after commit and a real arq worker runs them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from arq import create_pool
from arq.worker import Worker
from starlette.applications import Starlette

from participation import jobs
from participation.db import transaction
from participation.jobs import redis_settings
from participation.models import OutboxJob
from tests.conftest import redis_url_or_skip

pytestmark = pytest.mark.redis

seen: list[int] = []


async def remember(ctx: dict[str, Any], value: int) -> None:
    seen.append(value)


@pytest.fixture
async def arq_runner(db: Starlette) -> AsyncIterator[jobs.ArqRunner]:
    redis_url = redis_url_or_skip()
    registry: jobs.Registry = db.state.job_registry
    registry.functions["remember"] = remember
    pool = await create_pool(redis_settings(redis_url))
    await pool.flushdb()
    runner = jobs.ArqRunner(registry, pool)
    previous = jobs.current_runner()
    jobs.configure(runner)
    seen.clear()
    yield runner
    jobs.configure(previous)
    await pool.flushdb()
    await pool.aclose()


async def _burst(runner: jobs.ArqRunner, db: Starlette) -> None:
    worker = Worker(
        functions=[jobs.run_outbox_job],  # type: ignore[list-item]
        redis_pool=runner.pool,
        burst=True,
        poll_delay=0,
        handle_signals=False,
        ctx={"registry": db.state.job_registry},
    )
    await worker.main()  # the pool is ours: closed by the fixture


async def test_committed_job_is_delivered_to_arq_and_run_by_the_worker(
    arq_runner: jobs.ArqRunner, db: Starlette
) -> None:
    async with transaction():
        jobs.enqueue("remember", value=41)
    row = await OutboxJob.get(name="remember")
    assert row.delivered_at is not None and row.done_at is None
    await _burst(arq_runner, db)
    assert seen == [41]
    assert (await OutboxJob.get(id=row.id)).done_at is not None


async def test_lost_delivery_is_recovered_by_the_sweeper(
    arq_runner: jobs.ArqRunner, db: Starlette
) -> None:
    async with transaction():
        jobs.enqueue("remember", value=42)
    await arq_runner.pool.flushdb()  # Redis lost everything
    await _burst(arq_runner, db)
    assert seen == []
    from datetime import UTC, datetime, timedelta

    await OutboxJob.all().update(created_at=datetime.now(UTC) - timedelta(minutes=5))
    assert await jobs.sweep_outbox({"runner": arq_runner}) == 1
    await _burst(arq_runner, db)
    assert seen == [42]


async def refuse(ctx: dict[str, Any], value: int) -> None:
    raise RuntimeError(f"refused {value}")


async def test_rows_handed_over_soon_go_together_as_one_job_and_each_runs_once(
    arq_runner: jobs.ArqRunner, db: Starlette
) -> None:
    """A hot path's rows (a batch of signatures' confirmation mail) are handed over a moment
    later, together with the other batches' rows, as one arq job: the caller does not wait;
    the worker queues each row as its own job (the id the sweeper gives it: a row delivered
    by both runs once), and a row that fails stops no other."""
    db.state.job_registry.functions["refuse"] = refuse
    rows = [await OutboxJob.create(name="remember", kwargs={"value": v}) for v in (1, 2)]
    rows.insert(1, await OutboxJob.create(name="refuse", kwargs={"value": 9}))
    for row in rows:  # three batches, one after the other
        await jobs.dispatch([row], soon=True)
    assert await OutboxJob.filter(delivered_at__isnull=False).count() == 0  # not waited for
    await arq_runner.close_hand_over()
    queued = await arq_runner.pool.queued_jobs()
    assert [(j.function, j.args) for j in queued] == [("run_outbox_jobs", ([r.id for r in rows],))]
    assert await OutboxJob.filter(delivered_at__isnull=True).count() == 0
    worker = Worker(
        functions=[jobs.run_outbox_job, jobs.run_outbox_jobs],  # type: ignore[list-item]
        redis_pool=arq_runner.pool, burst=True, poll_delay=0, handle_signals=False,
        ctx={"registry": db.state.job_registry},
    )  # fmt: skip
    await jobs.sweep_outbox({"runner": arq_runner}, older_than=timedelta(0))  # as reconnecting
    await worker.main()
    assert sorted(seen) == [1, 2]
    failed = await OutboxJob.get(id=rows[1].id)
    assert failed.done_at is None and failed.attempts == 1 and "refused 9" in failed.last_error
    assert await OutboxJob.filter(done_at__isnull=False).count() == 2
