from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0002_outcomes")]

    initial = False

    operations = [
        ops.CreateModel(
            name="MailDelivery",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("key", fields.CharField(unique=True, max_length=255)),
                ("sent_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "mail_deliveries",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A mail the mail server accepted, by delivery key (fan-out id + recipient).",
            },
            bases=["Model"],
        ),
    ]
