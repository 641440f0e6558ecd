import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

# PostgreSQL refuses any change to a checkpoint once written: the application only inserts.
# (SQLite, for development, has no such guard; tests/participation/audit proves this one.)
APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION audit_checkpoints_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_checkpoints is append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER audit_checkpoints_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only();
"""
DROP_APPEND_ONLY_SQL = """
DROP TRIGGER IF EXISTS audit_checkpoints_append_only ON audit_checkpoints;
DROP FUNCTION IF EXISTS audit_checkpoints_append_only();
"""


async def append_only(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.client.capabilities.dialect == "postgres":
        await schema_editor.client.execute_script(APPEND_ONLY_SQL)


async def not_append_only(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.client.capabilities.dialect == "postgres":
        await schema_editor.client.execute_script(DROP_APPEND_ONLY_SQL)


class Migration(migrations.Migration):
    dependencies = [("models", "0007_accountability")]

    initial = False

    operations: list = [
        ops.CreateModel(
            name="AuditEventBody",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("event_id", fields.BigIntField()),
                ("body_id", fields.IntField()),
            ],
            options={
                "table": "audit_event_bodies",
                "app": "models",
                "unique_together": (("body_id", "event_id"),),
                "pk_attr": "id",
                "table_description": "An event concerns this government body (an index for "
                "the public filter, written with",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("event_count", fields.BigIntField()),
                ("head_id", fields.BigIntField()),
                ("head_hash", fields.CharField(max_length=64)),
                ("signature", fields.CharField(max_length=64)),
            ],
            options={
                "table": "audit_checkpoints",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The head of the chain at a moment, signed: "
                "``event_count`` events, the newest",
            },
            bases=["Model"],
        ),
        ops.RunPython(append_only, not_append_only),
        ops.CreateModel(
            name="BodyScore",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("body_id", fields.IntField(unique=True)),
                ("computed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "figures",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={"table": "accountability_scores", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
