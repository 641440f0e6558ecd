import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# Items flagged before 0005_moderation have no ModerationScope rows, no author and no space:
# only global moderators saw them. Their comments' bodies (the owners of the consultation the
# comment was written on), author and space are written here, so that body moderators see
# them too and the public record counts them.
_CONSULTATION_OF = (
    "(CASE WHEN cm.target_type = 'consultation' THEN cm.target_id"
    " ELSE (SELECT sec.consultation_id FROM consultation_sections sec"
    " WHERE sec.id = cm.target_id) END)"
)
SCOPES_SQL = (
    "INSERT INTO moderation_scopes (state_id, body_id)"
    " SELECT s.id, cb.body_id FROM moderation_states s"
    " JOIN comments cm ON cm.id = s.target_id"
    " JOIN consultation_bodies cb ON cb.consultation_id = " + _CONSULTATION_OF + ""
    " WHERE s.target_type = 'comment' AND cm.target_type IN ('section', 'consultation')"
    " AND NOT EXISTS (SELECT 1 FROM moderation_scopes x WHERE x.state_id = s.id)"
)
AUTHORS_SQL = (
    "UPDATE moderation_states SET author_id ="
    " (SELECT cm.author_id FROM comments cm WHERE cm.id = moderation_states.target_id)"
    " WHERE target_type = 'comment' AND author_id IS NULL"
)
SPACES_SQL = (
    "UPDATE moderation_states SET space_type = 'consultation', space_id ="
    " (SELECT " + _CONSULTATION_OF + " FROM comments cm"
    " WHERE cm.id = moderation_states.target_id"
    " AND cm.target_type IN ('section', 'consultation'))"
    " WHERE target_type = 'comment' AND space_type = ''"
    " AND EXISTS (SELECT 1 FROM comments cm WHERE cm.id = moderation_states.target_id"
    " AND cm.target_type IN ('section', 'consultation'))"
)


class Migration(migrations.Migration):
    dependencies = [("models", "0008_audit_checkpoints")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CommentCluster",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("space_type", fields.CharField(max_length=40)),
                ("space_id", fields.BigIntField()),
                ("representative_id", fields.BigIntField()),
                ("size", fields.IntField(default=1)),
                ("first_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("last_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "integrity_comment_clusters",
                "app": "models",
                "indexes": [Index(fields=["space_type", "space_id", "size"])],
                "pk_attr": "id",
                "table_description": "Comments that verify against one representative (two or more make a group).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CommentBand",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("space_type", fields.CharField(max_length=40)),
                ("space_id", fields.BigIntField()),
                ("key", fields.BigIntField()),
                (
                    "cluster",
                    fields.ForeignKeyField(
                        "models.CommentCluster",
                        source_field="cluster_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="bands",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "integrity_comment_bands",
                "app": "models",
                "unique_together": (("space_type", "space_id", "key"),),
                "pk_attr": "id",
                "table_description": "An LSH band key of a space, or the hash of the words of a comment, and the cluster",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Disowned",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("via", fields.CharField(default="", max_length=20)),
            ],
            options={
                "table": "integrity_disowned",
                "app": "models",
                "unique_together": (("target_type", "target_id"),),
                "pk_attr": "id",
                "table_description": 'A person disowned an item made in their name (a comment, a signature): "I did not',
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="IndexedComment",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("comment_id", fields.BigIntField(unique=True)),
                ("target_type", fields.CharField(max_length=40)),
                ("target_id", fields.BigIntField()),
                ("space_type", fields.CharField(max_length=40)),
                ("space_id", fields.BigIntField()),
                (
                    "cluster",
                    fields.ForeignKeyField(
                        "models.CommentCluster",
                        source_field="cluster_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="members",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("informative", fields.BooleanField(default=False)),
                ("exact", fields.BigIntField(default=0)),
                ("tokens", fields.BinaryField(null=True)),
                ("content", fields.BinaryField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "integrity_comments",
                "app": "models",
                "indexes": [
                    Index(fields=["space_type", "space_id", "exact"]),
                    Index(fields=["target_type", "target_id"]),
                ],
                "pk_attr": "id",
                "table_description": "One comment as the index knows it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="IntegritySpace",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("space_type", fields.CharField(max_length=40)),
                ("space_id", fields.BigIntField()),
                (
                    "common",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("rebuilt_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("indexed", fields.IntField(default=0)),
            ],
            options={
                "table": "integrity_spaces",
                "app": "models",
                "unique_together": (("space_type", "space_id"),),
                "pk_attr": "id",
                "table_description": "The index settings of a space: the sentences its last full rebuild found common",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="IntegrityWatermark",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(unique=True, max_length=40)),
                ("last_id", fields.BigIntField(default=0)),
                ("updated_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "integrity_watermarks",
                "app": "models",
                "pk_attr": "id",
                "table_description": 'How far a job has read a table (``name``: "comments").',
            },
            bases=["Model"],
        ),
        ops.RunSQL(SCOPES_SQL, reverse_sql="SELECT 1"),
        ops.RunSQL(AUTHORS_SQL, reverse_sql="SELECT 1"),
        ops.RunSQL(SPACES_SQL, reverse_sql="SELECT 1"),
    ]
