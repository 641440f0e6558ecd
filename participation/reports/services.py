"""Build requests and builds of report snapshots.

``request_report`` adds version n+1 as *queued* and enqueues the host's job with the key
``report:<type>:<id>:<version>`` (so one request is one build, however often the job runs);
while a build is queued or running a new request returns it instead of adding another.
``run_report`` is what the host's job calls with its builder: it claims the snapshot, reports
progress, stores the data, or marks it failed with the reason."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from participation import jobs
from participation.audit.services import record
from participation.db import transaction
from participation.reports import queries
from participation.reports.exports import stream_csv, stream_json
from participation.reports.models import ReportExport, ReportSnapshot, ReportStatus
from participation.storage import Storage

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


# ---- files with names, for a target's officials ------------------------------------------------

PART_BYTES = 4 * 1024 * 1024  # the size of each stored part of a built file
Source = Callable[
    [ReportExport], Awaitable[tuple[Sequence[str], AsyncIterator[list[dict[str, Any]]]]]
]


async def record_export(
    actor_id: int, target_type: str, target_id: int, kind: str, fmt: str, **more: Any
) -> None:
    """Audit an official's download of data with names (streamed now or built earlier)."""
    async with transaction():
        await record(actor_id, "report.export", target_type, target_id,
                     {"kind": kind, "format": fmt, **more})  # fmt: skip


async def request_export(
    target_type: str, target_id: int, *, kind: str, fmt: str, actor_id: int, job: str
) -> ReportExport:
    """Queue the build of a file with names (audited: who asked for which data)."""
    async with transaction():
        row = await ReportExport.create(
            target_type=target_type, target_id=target_id, kind=kind, fmt=fmt,
            requested_by_id=actor_id,
        )  # fmt: skip
        await record(actor_id, "report.export_request", target_type, target_id,
                     {"kind": kind, "format": fmt, "export": row.id})  # fmt: skip
        jobs.enqueue(job, key=f"report-export:{row.id}", export_id=row.id)
    return row


async def run_export(export_id: int, source: Source, storage: Storage) -> str:
    """Build one requested file into parts of ``PART_BYTES``. Idempotent: a finished or
    failed one is left alone; one left *running* by a killed worker is built again from the
    start (the parts it had stored are removed)."""
    row = await queries.export(export_id)
    if row is None or row.status in (ReportStatus.DONE, ReportStatus.FAILED):
        return "skipped"
    for key in row.parts or []:
        storage.delete(key)
    await ReportExport.filter(id=row.id).update(status=ReportStatus.RUNNING, parts=[], rows=0)
    parts: list[str] = []
    try:
        columns, batches = await source(row)
        counted = _Counted(batches)
        body = stream_csv(columns, counted) if row.fmt == "csv" else stream_json(columns, counted)
        buf = bytearray()
        size = 0
        async for chunk in body:
            buf += chunk
            if len(buf) >= PART_BYTES:
                parts.append(storage.save(f"export-{row.id}-{len(parts)}.{row.fmt}", bytes(buf)))
                size += len(buf)
                buf.clear()
        if buf or not parts:
            parts.append(storage.save(f"export-{row.id}-{len(parts)}.{row.fmt}", bytes(buf)))
            size += len(buf)
    except Exception as exc:
        log.exception("export %s failed", row.id)
        for key in parts:
            storage.delete(key)
        reason = (str(exc) or exc.__class__.__name__)[:1000]
        await ReportExport.filter(id=row.id).update(status=ReportStatus.FAILED, reason=reason)
        return "failed"
    await ReportExport.filter(id=row.id).update(
        status=ReportStatus.DONE, parts=parts, rows=counted.rows, size=size,
        built_at=datetime.now(UTC),
    )  # fmt: skip
    return "done"


class _Counted:
    """Batches passed through, their rows counted."""

    def __init__(self, batches: AsyncIterator[list[dict[str, Any]]]) -> None:
        self.batches = batches
        self.rows = 0

    def __aiter__(self) -> _Counted:
        return self

    async def __anext__(self) -> list[dict[str, Any]]:
        batch = await self.batches.__anext__()
        self.rows += len(batch)
        return batch


async def read_export(row: ReportExport, storage: Storage) -> AsyncIterator[bytes]:
    """A built file, part after part (one part in memory at a time)."""
    for key in row.parts:
        yield storage.open(key)
