"""Report snapshots hold figures, never names. The officials' files with names (``ReportExport``)
may hold the person's: erasing an account deletes every finished one (rows and stored parts;
officials can ask for a fresh one, which names no erased person). Exported: the files a person
asked for as an official."""

from __future__ import annotations

from typing import Any

from participation.reports.models import ReportExport, ReportStatus


async def export_person(user_id: int) -> dict[str, Any]:
    rows = await ReportExport.filter(requested_by_id=user_id).order_by("id")
    if not rows:
        return {}
    return {
        "files_with_names_requested": [
            {
                "target_type": r.target_type,
                "target_id": r.target_id,
                "kind": r.kind,
                "format": r.fmt,
                "requested_at": r.created_at,
            }
            for r in rows
        ]
    }


async def erase_person(user_id: int, *, keep_comments: bool) -> list[str]:
    """Storage keys of the deleted files' parts, removed by the caller after the commit."""
    finished = await ReportExport.filter(status__in=[ReportStatus.DONE, ReportStatus.FAILED])
    keys = [str(k) for r in finished for k in (r.parts or [])]
    if finished:
        await ReportExport.filter(id__in=[r.id for r in finished]).delete()
    return keys
