"""Generic votes: one per person per ``(target_type, target_id)``, changeable.

Counters for comments live on ``Comment`` (up, down, contested); for every other target type in
``VoteTally``. Both are moved by deltas in the same transaction as the vote row.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Vote(Model):
    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User", related_name="votes", on_delete=fields.CASCADE
    )
    user_id: int
    value = fields.SmallIntField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "votes"
        unique_together = (("target_type", "target_id", "user"),)
        indexes = (("user_id", "target_type", "target_id"),)


class VoteTally(Model):
    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    up = fields.IntField(default=0)
    down = fields.IntField(default=0)

    class Meta:
        table = "vote_tallies"
        unique_together = (("target_type", "target_id"),)
