"""Versioned report snapshots: one version per build request, progress, failures kept."""

from __future__ import annotations

from typing import Any

from participation import jobs
from participation.models import OutboxJob
from participation.reports import queries, services
from participation.reports.models import ReportSnapshot, ReportStatus

CALLS: list[int] = []


async def _builder(target_id: int, progress: services.Progress) -> dict[str, Any]:
    CALLS.append(target_id)
    await progress(50)
    return {"target": target_id, "answer": 42}


async def _broken(target_id: int, progress: services.Progress) -> dict[str, Any]:
    raise ValueError("the target vanished")


async def test_a_request_is_built_once_however_often_the_job_runs(db: Any) -> None:
    async def build_thing(ctx: dict[str, Any], snapshot_id: int) -> str:
        return await services.run_report(snapshot_id, _builder)

    db.state.job_registry.functions["build_thing"] = build_thing
    CALLS.clear()
    snap = await services.request_report("thing", 7, job="build_thing", trigger="official")
    assert snap.version == 1
    done = await queries.latest_done("thing", 7)
    assert done is not None and done.data == {"target": 7, "answer": 42}
    assert done.progress == 100 and done.built_at is not None and done.covers_until is not None
    # the same outbox row run again (a worker killed before acknowledging it): no new build
    row = await OutboxJob.filter(key=services.job_key("thing", 7, 1)).first()
    assert row is not None
    await OutboxJob.filter(id=row.id).update(done_at=None)
    await jobs.run_outbox_job({"registry": db.state.job_registry}, row.id)
    assert CALLS == [7]
    assert await ReportSnapshot.filter(target_type="thing", target_id=7).count() == 1
    # a new request is a new version
    again = await services.request_report("thing", 7, job="build_thing", trigger="nightly")
    assert again.version == 2
    assert [s.version for s in await queries.versions("thing", 7)] == [2, 1]


async def test_a_request_while_one_is_queued_returns_it(db: Any) -> None:
    # no function registered under this name: the row stays queued
    first = await services.request_report("thing", 8, job="not_registered", trigger="nightly")
    second = await services.request_report("thing", 8, job="not_registered", trigger="official")
    assert first.id == second.id and first.status == ReportStatus.QUEUED
    assert await ReportSnapshot.filter(target_type="thing", target_id=8).count() == 1


async def test_a_run_left_running_by_a_killed_worker_is_built_again_into_the_same_version(
    db: Any,
) -> None:
    snap = await ReportSnapshot.create(
        target_type="thing", target_id=9, version=1, status=ReportStatus.RUNNING, progress=40
    )
    assert await services.run_report(snap.id, _builder) == "done"
    assert await services.run_report(snap.id, _builder) == "skipped"
    got = await queries.snapshot(snap.id)
    assert got is not None and got.status == ReportStatus.DONE and got.version == 1


async def test_a_failed_build_keeps_its_reason_and_the_last_good_report(db: Any) -> None:
    good = await ReportSnapshot.create(target_type="thing", target_id=10, version=1)
    await services.run_report(good.id, _builder)
    bad = await ReportSnapshot.create(target_type="thing", target_id=10, version=2)
    assert await services.run_report(bad.id, _broken) == "failed"
    failed = await queries.latest("thing", 10)
    assert failed is not None and failed.status == ReportStatus.FAILED
    assert failed.reason == "the target vanished"
    last_good = await queries.latest_done("thing", 10)
    assert last_good is not None and last_good.version == 1
