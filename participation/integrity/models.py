"""The near-duplicate index of comments, kept in the database.

A job (``tasks.index_new_comments``) reads the comments written since its watermark
(``IntegrityWatermark``, the last comment id looked at) and places each one in the index of
its *space* (the moderation space of its target: a consultation for its sections; else the
target itself): an ``IndexedComment`` row, and a ``CommentCluster`` it joined or started. A
cluster of two or more is a group (a possible campaign). Each comment is placed in its own
transaction, which also moves the watermark past it: after a crash the job goes on from the
last comment whose rows were written, so a comment is never placed twice nor skipped.

What the comparison needs is stored, not the text: a cluster's representative keeps its
compared words (``tokens``) and content words (``content``, uint32 arrays as bytes); every
comment keeps the hash of its compared words (``exact``); the LSH band keys of a space, and
the hashes of its comments' words, point to the first cluster that claimed them
(``CommentBand``), as ``neardup.CommentIndex`` keeps them in memory.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class IntegrityWatermark(Model):
    """How far a job has read a table (``name``: "comments")."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=40, unique=True)
    last_id = fields.BigIntField(default=0)
    updated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "integrity_watermarks"


class IntegritySpace(Model):
    """The index settings of a space: the sentences its last full rebuild found common
    (quoted draft, stock phrases), left out of the fingerprint of every new comment too."""

    id = fields.BigIntField(primary_key=True)
    space_type = fields.CharField(max_length=40)
    space_id = fields.BigIntField()
    common: list[int] = fields.JSONField(default=list)  # type: ignore[assignment]
    rebuilt_at = fields.DatetimeField(null=True)
    indexed = fields.IntField(default=0)  # comments of the space at its last rebuild

    class Meta:
        table = "integrity_spaces"
        unique_together = (("space_type", "space_id"),)


class CommentCluster(Model):
    """Comments that verify against one representative (two or more make a group)."""

    id = fields.BigIntField(primary_key=True)
    space_type = fields.CharField(max_length=40)
    space_id = fields.BigIntField()
    representative_id = fields.BigIntField()  # a comment id
    size = fields.IntField(default=1)  # indexed comments in it
    first_at = fields.DatetimeField()
    last_at = fields.DatetimeField()

    class Meta:
        table = "integrity_comment_clusters"
        indexes = (("space_type", "space_id", "size"),)


class IndexedComment(Model):
    """One comment as the index knows it."""

    id = fields.BigIntField(primary_key=True)
    comment_id = fields.BigIntField(unique=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    space_type = fields.CharField(max_length=40)
    space_id = fields.BigIntField()
    cluster: fields.ForeignKeyNullableRelation[CommentCluster] = fields.ForeignKeyField(
        "models.CommentCluster", related_name="members", null=True, on_delete=fields.SET_NULL
    )
    cluster_id: int | None
    informative = fields.BooleanField(default=False)  # long enough to compare
    exact = fields.BigIntField(default=0)  # hash of its compared words
    tokens = fields.BinaryField(null=True)  # compared words (uint32), kept while informative
    content = fields.BinaryField(null=True)  # distinct content words (uint32)
    created_at = fields.DatetimeField()  # the comment's

    class Meta:
        table = "integrity_comments"
        indexes = (
            ("space_type", "space_id", "exact"),
            ("target_type", "target_id"),
        )


class CommentBand(Model):
    """An LSH band key of a space, or the hash of the words of a comment, and the cluster
    that first claimed it."""

    id = fields.BigIntField(primary_key=True)
    space_type = fields.CharField(max_length=40)
    space_id = fields.BigIntField()
    key = fields.BigIntField()
    cluster: fields.ForeignKeyRelation[CommentCluster] = fields.ForeignKeyField(
        "models.CommentCluster", related_name="bands", on_delete=fields.CASCADE
    )
    cluster_id: int

    class Meta:
        table = "integrity_comment_bands"
        unique_together = (("space_type", "space_id", "key"),)


class Disowned(Model):
    """A person disowned an item made in their name (a comment, a signature): "I did not
    write or sign this". The item is held for review and leaves the counts; this row says
    so, once per item."""

    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)  # "comment", "signature"
    target_id = fields.BigIntField()
    created_at = fields.DatetimeField()
    via = fields.CharField(max_length=20, default="")  # "mail" (a link), "account"

    class Meta:
        table = "integrity_disowned"
        unique_together = (("target_type", "target_id"),)
