"""Versioned report snapshots: one row per build request, its status and its data."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ReportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ReportSnapshot(Model):
    """Version ``n`` of the report of a target. ``covers_until`` is the moment the data was
    read (everything received before it is counted); ``progress`` is 0..100 while running."""

    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    version = fields.IntField()
    status = fields.CharEnumField(ReportStatus, max_length=10, default=ReportStatus.QUEUED)
    progress = fields.SmallIntField(default=0)
    reason = fields.CharField(max_length=1000, default="")
    trigger = fields.CharField(max_length=20, default="")  # "closed", "nightly", "official"
    requested_by_id = fields.IntField(null=True)
    data: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    created_at = fields.DatetimeField(auto_now_add=True)
    started_at = fields.DatetimeField(null=True)
    built_at = fields.DatetimeField(null=True)
    covers_until = fields.DatetimeField(null=True)

    class Meta:
        table = "report_snapshots"
        unique_together = (("target_type", "target_id", "version"),)
        indexes = (("target_type", "target_id", "status", "version"),)
