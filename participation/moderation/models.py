"""Flags and moderation state of any ``(target_type, target_id)``.

Many ``Flag`` rows per target, one ``ModerationState`` row per target (flag count, hidden or
not), so that every list query filters hidden items with one join.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class FlagReason(StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class Flag(Model):
    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User", related_name="flags", on_delete=fields.CASCADE
    )
    user_id: int
    reason = fields.CharEnumField(FlagReason, max_length=20)
    note = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "moderation_flags"
        unique_together = (("target_type", "target_id", "user"),)


class ModerationState(Model):
    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    flag_count = fields.IntField(default=0)
    hidden_at = fields.DatetimeField(null=True)
    hidden_reason = fields.CharEnumField(FlagReason, max_length=20, null=True)
    hidden_note = fields.CharField(max_length=500, default="")
    hidden_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.User", related_name="hidden_items", null=True, on_delete=fields.SET_NULL
    )
    hidden_by_id: int | None
    reviewed_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "moderation_states"
        unique_together = (("target_type", "target_id"),)
        indexes = (("target_type", "hidden_at"), ("flag_count",))
