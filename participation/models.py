"""Core infrastructure tables: the job outbox."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class OutboxJob(Model):
    """A job recorded in the same transaction as the write that needs it."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=100)
    kwargs: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    key = fields.CharField(max_length=200, null=True, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    run_after = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    done_at = fields.DatetimeField(null=True, db_index=True)
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(default="")

    class Meta:
        table = "outbox_jobs"
