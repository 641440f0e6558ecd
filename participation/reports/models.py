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


class ReportExport(Model):
    """A file of a target's data with names (``kind``: what it holds, ``fmt``: csv or json)
    that an official asked for, built by a job in parts of at most a few megabytes kept in the
    storage (``parts``: their keys in order), so that neither building nor downloading holds
    the whole file in memory. Status as a snapshot's."""

    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    kind = fields.CharField(max_length=20)
    fmt = fields.CharField(max_length=4)
    status = fields.CharEnumField(ReportStatus, max_length=10, default=ReportStatus.QUEUED)
    requested_by_id = fields.IntField(null=True)
    rows = fields.BigIntField(default=0)
    size = fields.BigIntField(default=0)
    parts: list = fields.JSONField(default=list)  # type: ignore[assignment]
    reason = fields.CharField(max_length=1000, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    built_at = fields.DatetimeField(null=True)

    class Meta:
        table = "report_exports"
        indexes = (("target_type", "target_id", "created_at"),)
