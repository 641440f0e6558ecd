import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from participation.reports.models import ReportStatus


class Migration(migrations.Migration):
    dependencies = [("models", "0005_moderation")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ReportSnapshot",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                ("version", fields.IntField()),
                (
                    "status",
                    fields.CharEnumField(
                        default=ReportStatus.QUEUED,
                        description="QUEUED: queued\nRUNNING: running\nDONE: done\nFAILED: failed",
                        enum_type=ReportStatus,
                        max_length=10,
                    ),
                ),
                ("progress", fields.SmallIntField(default=0)),
                ("reason", fields.CharField(default="", max_length=1000)),
                ("trigger", fields.CharField(default="", max_length=20)),
                ("requested_by_id", fields.IntField(null=True)),
                (
                    "data",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("started_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("built_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "covers_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "report_snapshots",
                "app": "models",
                "unique_together": (("target_type", "target_id", "version"),),
                "indexes": [Index(fields=["target_type", "target_id", "status", "version"])],
                "pk_attr": "id",
                "table_description": "Version ``n`` of the report of a target. ``covers_until`` is the moment the data was",
            },
            bases=["Model"],
        ),
    ]
