import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from participation.accountability.models import CommitmentStatus, Decision, UpdateKind


class Migration(migrations.Migration):
    dependencies = [("models", "0006_reports")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Obligation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                ("body_id", fields.IntField(db_index=True)),
                ("opened_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("due_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                (
                    "answered_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("response_id", fields.IntField(null=True)),
                ("overdue_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "accountability_obligations",
                "app": "models",
                "unique_together": (("target_type", "target_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Response",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                ("body_id", fields.IntField(db_index=True)),
                (
                    "i18n",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("original_locale", fields.CharField(default="en", max_length=5)),
                ("published_by_id", fields.IntField(null=True)),
                (
                    "published_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
                ("report_snapshot_id", fields.BigIntField(null=True)),
                ("report_version", fields.IntField(null=True)),
                (
                    "figures",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("debate_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("debate_link", fields.CharField(default="", max_length=500)),
                (
                    "notified_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "accountability_responses",
                "app": "models",
                "unique_together": (("target_type", "target_id"),),
                "pk_attr": "id",
                "table_description": "Fields in ``i18n``: ``summary`` (what the body did, overall), ``debate_outcome``.",
            },
            bases=["TranslatableMixin", "Model"],
        ),
        ops.CreateModel(
            name="Commitment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "response",
                    fields.ForeignKeyField(
                        "models.Response",
                        source_field="response_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="commitments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("body_id", fields.IntField(db_index=True)),
                (
                    "i18n",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("original_locale", fields.CharField(default="en", max_length=5)),
                ("due_on", fields.DateField(null=True)),
                (
                    "status",
                    fields.CharEnumField(
                        default=CommitmentStatus.PLANNED,
                        db_index=True,
                        description="PLANNED: planned\nIN_PROGRESS: in_progress\nDONE: done\nDROPPED: dropped",
                        enum_type=CommitmentStatus,
                        max_length=12,
                    ),
                ),
                ("progress", fields.SmallIntField(default=0)),
                ("reason", fields.TextField(default="", unique=False)),
                ("created_by_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("done_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "accountability_commitments",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Fields in ``i18n``: ``title``, ``description``.",
            },
            bases=["TranslatableMixin", "Model"],
        ),
        ops.CreateModel(
            name="CommitmentFollow",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "commitment",
                    fields.ForeignKeyField(
                        "models.Commitment",
                        source_field="commitment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="follows",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="commitment_follows",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "accountability_commitment_follows",
                "app": "models",
                "unique_together": (("commitment", "user"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CommitmentLink",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "commitment",
                    fields.ForeignKeyField(
                        "models.Commitment",
                        source_field="commitment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
            ],
            options={
                "table": "accountability_commitment_links",
                "app": "models",
                "unique_together": (("commitment", "target_type", "target_id"),),
                "indexes": [Index(fields=["target_type", "target_id"])],
                "pk_attr": "id",
                "table_description": "What a commitment answers: a section, a comment, a petition, a consultation.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CommitmentUpdate",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "commitment",
                    fields.ForeignKeyField(
                        "models.Commitment",
                        source_field="commitment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="updates",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="CREATED: created\nPROGRESS: progress\nMILESTONE: milestone",
                        enum_type=UpdateKind,
                        max_length=10,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        description="PLANNED: planned\nIN_PROGRESS: in_progress\nDONE: done\nDROPPED: dropped",
                        enum_type=CommitmentStatus,
                        max_length=12,
                    ),
                ),
                ("progress", fields.SmallIntField()),
                (
                    "i18n",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("original_locale", fields.CharField(default="en", max_length=5)),
                ("actor_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "notified_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "accountability_commitment_updates",
                "app": "models",
                "indexes": [Index(fields=["commitment_id", "created_at"])],
                "pk_attr": "id",
                "table_description": "One change of a commitment, kept for ever: the status and progress after it, and a",
            },
            bases=["TranslatableMixin", "Model"],
        ),
        ops.CreateModel(
            name="Milestone",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "commitment",
                    fields.ForeignKeyField(
                        "models.Commitment",
                        source_field="commitment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="milestones",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "i18n",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("original_locale", fields.CharField(default="en", max_length=5)),
                ("due_on", fields.DateField()),
                ("done_on", fields.DateField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "accountability_milestones",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A dated step of a commitment. Field in ``i18n``: ``title``.",
            },
            bases=["TranslatableMixin", "Model"],
        ),
        ops.CreateModel(
            name="ResponsePart",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "response",
                    fields.ForeignKeyField(
                        "models.Response",
                        source_field="response_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="parts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                ("position", fields.IntField(default=0)),
                (
                    "decision",
                    fields.CharEnumField(
                        description="CHANGED: changed\nKEPT: kept\nDROPPED: dropped\nSTUDY: study",
                        enum_type=Decision,
                        max_length=10,
                    ),
                ),
                (
                    "i18n",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("original_locale", fields.CharField(default="en", max_length=5)),
                (
                    "figures",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "accountability_response_parts",
                "app": "models",
                "unique_together": (("response", "target_type", "target_id"),),
                "indexes": [Index(fields=["target_type", "target_id"])],
                "pk_attr": "id",
                "table_description": "One part of a response: the whole (the response's own target) or a section. Fields in",
            },
            bases=["TranslatableMixin", "Model"],
        ),
    ]
