"""The scoreboard's table: each body's figures as the periodic job last computed them (pages
and the API read this, never the obligations themselves). Re-exported by ``models.py`` so
that Tortoise finds it; created by migrations/0008_audit_checkpoints.py."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class BodyScore(Model):
    id = fields.IntField(primary_key=True)
    body_id = fields.IntField(unique=True)
    computed_at = fields.DatetimeField()
    figures: dict = fields.JSONField(default=dict)  # type: ignore[assignment]

    class Meta:
        table = "accountability_scores"
