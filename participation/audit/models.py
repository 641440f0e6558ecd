"""The append-only audit log: every official, moderation, account and role action."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AuditEvent(Model):
    id = fields.BigIntField(primary_key=True)
    created_at = fields.DatetimeField()
    actor_id = fields.IntField(null=True, db_index=True)
    action = fields.CharField(max_length=80, db_index=True)
    target_type = fields.CharField(max_length=50)
    target_id = fields.CharField(max_length=64)
    data: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    prev_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "audit_events"
        indexes = (("target_type", "target_id"),)
