from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from participation.moderation.models import AppealOutcome, HiddenKind


class Migration(migrations.Migration):
    dependencies = [("models", "0004_sessions")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Appeal",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="appeals",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("text", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("hidden_by_id", fields.IntField(null=True)),
                (
                    "assigned_to",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="assigned_to_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="assigned_appeals",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("decided_by_id", fields.IntField(null=True)),
                ("decided_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "outcome",
                    fields.CharEnumField(
                        null=True,
                        description="RESTORED: restored\nUPHELD: upheld",
                        enum_type=AppealOutcome,
                        max_length=10,
                    ),
                ),
                ("decision_note", fields.CharField(default="", max_length=1000)),
            ],
            options={
                "table": "moderation_appeals",
                "app": "models",
                "unique_together": (("target_type", "target_id"),),
                "indexes": [
                    Index(fields=["assigned_to_id", "decided_at"]),
                    Index(fields=["decided_at"]),
                ],
                "pk_attr": "id",
                "table_description": "The author of a hidden item asks, once, for another look. It goes to a moderator other",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ModerationScope",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "state",
                    fields.ForeignKeyField(
                        "models.ModerationState",
                        source_field="state_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="scopes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("body_id", fields.IntField(db_index=True)),
            ],
            options={
                "table": "moderation_scopes",
                "app": "models",
                "unique_together": (("state", "body_id"),),
                "pk_attr": "id",
                "table_description": "A body whose moderators may act on the item of a state (global moderators always may).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ModeratorAlert",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("user_id", fields.IntField(unique=True)),
                (
                    "queue_alerted_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "moderation_alerts",
                "app": "models",
                "pk_attr": "id",
                "table_description": "When a moderator was last mailed that their queue passed its alert size.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Consultation",
            name="flag_threshold",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="Consultation",
            name="premoderated",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name="Flag",
            name="cleared_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="ModerationState",
            name="alerted_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="ModerationState",
            name="author_id",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="ModerationState",
            name="hidden_kind",
            field=fields.CharEnumField(
                null=True,
                description="PENDING: pending\nWORDS: words\nFLAGS: flags\nMODERATOR: moderator",
                enum_type=HiddenKind,
                max_length=12,
            ),
        ),
        ops.AddField(
            model_name="ModerationState",
            name="queued_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="ModerationState",
            name="space_id",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="ModerationState",
            name="space_type",
            field=fields.CharField(default="", db_default="", max_length=20),
        ),
        ops.AddIndex(
            model_name="ModerationState",
            index=Index(fields=["queued_at", "flag_count"]),
        ),
        ops.AddIndex(
            model_name="ModerationState",
            index=Index(fields=["space_type", "space_id", "hidden_at"]),
        ),
        ops.AddIndex(
            model_name="ModerationState",
            index=Index(fields=["author_id", "hidden_at"]),
        ),
        ops.AddField(
            model_name="User",
            name="suspended_by_id",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="User",
            name="suspended_until",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="User",
            name="suspension_reason",
            field=fields.CharField(default="", db_default="", max_length=1000),
        ),
        # Items hidden before this migration were hidden by moderators; flagged items that
        # no moderator has looked at wait in the queue since their last change.
        ops.RunSQL(
            "UPDATE moderation_states SET hidden_kind = 'moderator'"
            " WHERE hidden_at IS NOT NULL AND hidden_kind IS NULL",
            reverse_sql="SELECT 1",
        ),
        ops.RunSQL(
            "UPDATE moderation_states SET queued_at = updated_at"
            " WHERE flag_count > 0 AND hidden_at IS NULL AND reviewed_at IS NULL",
            reverse_sql="SELECT 1",
        ),
    ]
