"""The append-only audit log: every official, moderation, account and role action; the bodies
each event concerns (for filtering by body); and the signed checkpoints of its head."""

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


class AuditEventBody(Model):
    """An event concerns this government body (an index for the public filter, written with
    the event; not part of the hash chain)."""

    id = fields.BigIntField(primary_key=True)
    event_id = fields.BigIntField()
    body_id = fields.IntField()

    class Meta:
        table = "audit_event_bodies"
        unique_together = (("body_id", "event_id"),)


class AuditCheckpoint(Model):
    """The head of the chain at a moment, signed: ``event_count`` events, the newest
    ``head_id`` with hash ``head_hash``. Only ever inserted (PostgreSQL refuses UPDATE, DELETE
    and TRUNCATE on this table: migrations/0008_audit_checkpoints.py); published, so outsiders
    keep copies and removing the newest events is detected."""

    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField()
    event_count = fields.BigIntField()
    head_id = fields.BigIntField()
    head_hash = fields.CharField(max_length=64)
    signature = fields.CharField(max_length=64)

    class Meta:
        table = "audit_checkpoints"
