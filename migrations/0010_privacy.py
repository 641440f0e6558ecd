from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from participation.accounts.models import ExportStatus


class Migration(migrations.Migration):
    dependencies = [("models", "0009_integrity")]

    initial = False

    operations = [
        ops.AddField(
            model_name="User",
            name="erased_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.CreateModel(
            name="DataExport",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="data_exports",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=ExportStatus.QUEUED,
                        description="QUEUED: queued\nREADY: ready\nFAILED: failed",
                        enum_type=ExportStatus,
                        max_length=10,
                    ),
                ),
                ("requested_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("ready_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("expires_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("storage_key", fields.CharField(default="", max_length=200)),
                ("size", fields.IntField(default=0)),
            ],
            options={
                "table": "data_exports",
                "app": "models",
                "indexes": [Index(fields=["user_id", "requested_at"])],
                "pk_attr": "id",
                "table_description": 'One "export my data" request: built by a job into a JSON file in the storage',
            },
            bases=["Model"],
        ),
    ]
