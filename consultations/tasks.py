"""Jobs of the consultations domain."""

from __future__ import annotations

import logging
from typing import Any

from consultations import report, services
from participation import jobs
from participation.reports.services import run_report
from participation.storage import storage_for

log = logging.getLogger("consultations.tasks")


async def advance_consultations(ctx: dict[str, Any]) -> dict[str, list[int]]:
    """Every minute: open scheduled consultations that are due, close open ones that are due."""
    done = await services.advance_consultations()
    for cid in done.closed:  # each on its own: one failure never stops the others
        try:
            await report.request(cid, "closed")
        except Exception:
            log.exception("could not queue the report of consultation %s", cid)
    return {"opened": done.opened, "closed": done.closed}


async def notify_consultation_followers(
    ctx: dict[str, Any], outcome_id: int, after_id: int = 0
) -> int:
    """After a report or a response is published: mail the consultation's followers. Each
    mail is named after this job's outbox row and the follower (``queue_email``'s delivery
    key), so a batch run again after a crash sends none of its mails twice."""
    return await services.notify_followers(outcome_id, ctx["settings"].base_url, after_id)


async def build_consultation_report(ctx: dict[str, Any], snapshot_id: int) -> str:
    """Build one requested version of a consultation's feedback report."""
    return await run_report(snapshot_id, report.build)


async def build_consultation_export(ctx: dict[str, Any], export_id: int) -> str:
    """Build one file with names an official asked for, into the storage."""
    return await report.build_export(export_id, storage_for(ctx["settings"]))


async def refresh_consultation_reports(ctx: dict[str, Any]) -> int:
    """Nightly: queue a fresh report of every open consultation and of every closed one whose
    report does not yet cover its close; each consultation on its own."""
    queued = 0
    for cid in await report.due_for_refresh():
        try:
            await report.request(cid, "nightly")
            queued += 1
        except Exception:
            log.exception("could not queue the report of consultation %s", cid)
    return queued


functions: list[jobs.JobFunc] = [
    notify_consultation_followers,
    build_consultation_report,
    build_consultation_export,
]
periodic = [
    jobs.Periodic(advance_consultations, seconds=60),
    jobs.Periodic(refresh_consultation_reports, daily_at_hour=2),
]
