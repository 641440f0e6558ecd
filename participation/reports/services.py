"""Build requests and builds of report snapshots.

``request_report`` adds version n+1 as *queued* and enqueues the host's job with the key
``report:<type>:<id>:<version>`` (so one request is one build, however often the job runs);
while a build is queued or running a new request returns it instead of adding another.
``run_report`` is what the host's job calls with its builder: it claims the snapshot, reports
progress, stores the data, or marks it failed with the reason."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from participation import jobs
from participation.audit.services import record
from participation.db import transaction
from participation.reports import queries
from participation.reports.models import ReportSnapshot, ReportStatus

log = logging.getLogger("participation.reports")

Progress = Callable[[int], Awaitable[None]]
Builder = Callable[[int, Progress], Awaitable[dict[str, Any]]]


def job_key(target_type: str, target_id: int, version: int) -> str:
    return f"report:{target_type}:{target_id}:{version}"


async def request_report(
    target_type: str,
    target_id: int,
    *,
    job: str,
    trigger: str,
    actor_id: int | None = None,
) -> ReportSnapshot:
    """Queue a build of the target's report (or return the one already queued or running)."""
    for _attempt in range(3):
        try:
            async with transaction():
                pending = await queries.in_progress(target_type, target_id)
                if pending is not None:
                    return pending
                last = await queries.latest(target_type, target_id)
                snap = await ReportSnapshot.create(
                    target_type=target_type,
                    target_id=target_id,
                    version=(last.version if last else 0) + 1,
                    trigger=trigger,
                    requested_by_id=actor_id,
                )
                if actor_id is not None:
                    await record(actor_id, "report.request", target_type, target_id,
                                 {"version": snap.version})  # fmt: skip
                jobs.enqueue(job, key=job_key(target_type, target_id, snap.version),
                             snapshot_id=snap.id)  # fmt: skip
                return snap
        except IntegrityError:  # a concurrent request took the version number: look again
            continue
    raise RuntimeError("could not allocate a report version")


async def run_report(snapshot_id: int, builder: Builder) -> str:
    """Build one requested snapshot. Idempotent: a finished or failed one is left alone, one
    left *running* by a killed worker is built again into the same version."""
    snap = await queries.snapshot(snapshot_id)
    if snap is None or snap.status in (ReportStatus.DONE, ReportStatus.FAILED):
        return "skipped"
    started = datetime.now(UTC)
    await ReportSnapshot.filter(id=snap.id).update(
        status=ReportStatus.RUNNING, progress=0, started_at=started
    )

    async def progress(percent: int) -> None:
        await ReportSnapshot.filter(id=snap.id).update(progress=max(0, min(100, int(percent))))

    try:
        data = await builder(int(snap.target_id), progress)
    except Exception as exc:
        log.exception("report %s failed", snap.id)
        reason = (str(exc) or exc.__class__.__name__)[:1000]
        await ReportSnapshot.filter(id=snap.id).update(status=ReportStatus.FAILED, reason=reason)
        return "failed"
    await ReportSnapshot.filter(id=snap.id).update(
        status=ReportStatus.DONE,
        progress=100,
        data=data,
        built_at=datetime.now(UTC),
        covers_until=started,
    )
    return "done"
