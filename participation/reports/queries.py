"""Reads of report snapshots."""

from __future__ import annotations

from participation.reports.models import ReportExport, ReportSnapshot, ReportStatus


async def snapshot(snapshot_id: int) -> ReportSnapshot | None:
    return await ReportSnapshot.get_or_none(id=snapshot_id)


async def latest(target_type: str, target_id: int) -> ReportSnapshot | None:
    """The newest build request, whatever its status (what officials watch)."""
    return (
        await ReportSnapshot.filter(target_type=target_type, target_id=target_id)
        .order_by("-version")
        .first()
    )


async def latest_done(target_type: str, target_id: int) -> ReportSnapshot | None:
    """The newest finished report (what readers see)."""
    return (
        await ReportSnapshot.filter(
            target_type=target_type, target_id=target_id, status=ReportStatus.DONE
        )
        .order_by("-version")
        .first()
    )


async def in_progress(target_type: str, target_id: int) -> ReportSnapshot | None:
    return (
        await ReportSnapshot.filter(
            target_type=target_type,
            target_id=target_id,
            status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING),
        )
        .order_by("-version")
        .first()
    )


async def versions(target_type: str, target_id: int) -> list[ReportSnapshot]:
    return await ReportSnapshot.filter(target_type=target_type, target_id=target_id).order_by(
        "-version"
    )


async def export(export_id: int) -> ReportExport | None:
    return await ReportExport.get_or_none(id=export_id)


async def exports(target_type: str, target_id: int, limit: int = 20) -> list[ReportExport]:
    """The newest files asked for of the target, newest first."""
    return (
        await ReportExport.filter(target_type=target_type, target_id=target_id)
        .order_by("-created_at", "-id")
        .limit(limit)
    )
