"""The outbox: jobs recorded with the write, run after commit, never lost, never run twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.applications import Starlette
from tortoise.exceptions import IntegrityError

from participation import jobs
from participation.accounts.models import User
from participation.db import transaction
from participation.models import OutboxJob


@pytest.fixture
def calls(db: Starlette) -> list[Any]:
    seen: list[Any] = []

    async def remember(ctx: dict[str, Any], value: int) -> None:
        seen.append(value)

    async def explode(ctx: dict[str, Any], value: int) -> None:
        seen.append(("boom", value))
        raise RuntimeError("smtp down")

    db.state.job_registry.functions["remember"] = remember
    db.state.job_registry.functions["explode"] = explode
    return seen


async def test_job_runs_only_after_its_transaction_commits(calls: list[Any]) -> None:
    async with transaction():
        await User.create(email="a@example.org", password_hash="x", display_name="A")
        jobs.enqueue("remember", value=1)
        assert calls == []  # not before commit
    assert calls == [1]
    row = await OutboxJob.get(name="remember")
    assert row.done_at is not None and row.attempts == 1


async def test_rolled_back_transaction_drops_its_jobs(calls: list[Any]) -> None:
    with pytest.raises(RuntimeError):
        async with transaction():
            jobs.enqueue("remember", value=2)
            raise RuntimeError("service failed")
    assert calls == []
    assert await OutboxJob.all().count() == 0


async def test_conflict_in_a_savepoint_keeps_the_outer_transaction(calls: list[Any]) -> None:
    async with transaction():
        await User.create(email="dup@example.org", password_hash="x", display_name="A")
        with pytest.raises(IntegrityError):
            async with transaction():
                await User.create(email="dup@example.org", password_hash="x", display_name="B")
        await User.create(email="other@example.org", password_hash="x", display_name="C")
        jobs.enqueue("remember", value=3)
    assert await User.all().count() == 2
    assert calls == [3]


async def test_enqueue_outside_a_transaction_is_a_programming_error() -> None:
    with pytest.raises(RuntimeError):
        jobs.enqueue("remember", value=4)


async def test_failed_job_stays_in_outbox_and_sweeper_retries_it(calls: list[Any]) -> None:
    async with transaction():
        jobs.enqueue("explode", value=5)
    row = await OutboxJob.get(name="explode")
    assert row.done_at is None and "smtp down" in row.last_error
    # a minute later the sweeper delivers it again
    await OutboxJob.filter(id=row.id).update(created_at=datetime.now(UTC) - timedelta(minutes=2))
    runner = jobs.current_runner()
    assert runner is not None
    swept = await jobs.sweep_outbox({"runner": runner})
    assert swept == 1
    assert calls == [("boom", 5), ("boom", 5)]
    assert (await OutboxJob.get(id=row.id)).attempts == 2


async def test_a_job_already_done_is_not_run_again(calls: list[Any], db: Starlette) -> None:
    async with transaction():
        jobs.enqueue("remember", value=6)
    row = await OutboxJob.get(name="remember")
    ctx = {"registry": db.state.job_registry}
    assert await jobs.run_outbox_job(ctx, row.id) == "skipped"
    assert calls == [6]


async def test_jobs_sharing_a_key_are_acknowledged_together(
    calls: list[Any], db: Starlette
) -> None:
    runner = jobs.current_runner()
    jobs.configure(None)  # nothing delivered: both rows wait in the outbox
    async with transaction():
        jobs.enqueue("remember", key="count:petition:1", value=7)
    async with transaction():
        jobs.enqueue("remember", key="count:petition:1", value=7)
    jobs.configure(runner)
    first, second = await OutboxJob.all().order_by("id")
    await jobs.run_outbox_job({"registry": db.state.job_registry}, second.id)
    assert await OutboxJob.filter(done_at__isnull=True).count() == 0
    assert calls == [7]
