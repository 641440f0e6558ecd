import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from participation.reports.models import ReportStatus


class Migration(migrations.Migration):
    dependencies = [("models", "0012_performance")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ReportExport",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                ("kind", fields.CharField(max_length=20)),
                ("fmt", fields.CharField(max_length=4)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ReportStatus.QUEUED,
                        description="QUEUED: queued\nRUNNING: running\nDONE: done\nFAILED: failed",
                        enum_type=ReportStatus,
                        max_length=10,
                    ),
                ),
                ("requested_by_id", fields.IntField(null=True)),
                ("rows", fields.BigIntField(default=0)),
                ("size", fields.BigIntField(default=0)),
                (
                    "parts",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("reason", fields.CharField(default="", max_length=1000)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("built_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "report_exports",
                "app": "models",
                "indexes": [Index(fields=["target_type", "target_id", "created_at"])],
                "pk_attr": "id",
                "table_description": "A file of a target's data with names (``kind``: what it holds, ``fmt``: csv or json)",
            },
            bases=["Model"],
        ),
    ]
