from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0013_reports")]

    initial = False

    operations: list = [
        # the wave rules read a petition's latest signatures by time: an index range, not a
        # scan of all its signatures; and they skip petitions not signed since they last looked
        ops.AddIndex(model_name="Signature", index=Index(fields=["petition_id", "created_at"])),
        ops.AddField(
            model_name="Petition",
            name="waves_checked_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        # signatures held by the wave rules, grouped as the rules found them, for one decision
        ops.CreateModel(
            name="SignatureWave",
            fields=[
                ("id", fields.IntField(primary_key=True, unique=True, db_index=True)),
                (
                    "petition",
                    fields.ForeignKeyField(
                        "models.Petition",
                        source_field="petition_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="waves",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("rule", fields.CharField(max_length=100)),
                ("reasons", fields.JSONField(default=list)),
                ("first_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("last_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "petition_signature_waves",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Signatures held together because the wave rules found them together",
            },
            bases=["Model"],
        ),
        ops.AddField(model_name="Signature", name="wave_id", field=fields.IntField(null=True)),
    ]
