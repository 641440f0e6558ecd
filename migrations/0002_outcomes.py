import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from consultations.models import OutcomeKind


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Outcome",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "models.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="outcomes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="REPORT: report\nRESPONSE: response",
                        enum_type=OutcomeKind,
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
                ("body_id", fields.IntField()),
                ("published_by_id", fields.IntField(null=True)),
                ("published_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "notified_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "consultation_outcomes",
                "app": "models",
                "unique_together": (("consultation", "kind"),),
                "pk_attr": "id",
                "table_description": "The report or the response of a closed consultation, published once by a publisher of",
            },
            bases=["TranslatableMixin", "Model"],
        ),
    ]
