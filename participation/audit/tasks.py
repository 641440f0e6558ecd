"""Jobs of the audit log: the daily signed checkpoint of its head."""

from __future__ import annotations

from typing import Any

from participation import jobs
from participation.audit import services


async def record_audit_checkpoint(ctx: dict[str, Any]) -> int | None:
    """Hourly, so that a day without the process at midnight still gets its checkpoint: the
    first run of a day records the signed checkpoint of the log's head, the others nothing.
    Returns the checkpoint's id."""
    cp = await services.record_checkpoint(ctx["settings"].secret_key)
    return cp.id if cp else None


periodic = [jobs.Periodic(record_audit_checkpoint, seconds=3600)]
