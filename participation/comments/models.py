"""Generic comments: any ``(target_type, target_id)`` that a host domain registers.

Threads are three levels deep (depth 0, 1, 2). Raw text and sanitised HTML are both stored; the
edit history is kept in ``CommentRevision``. Vote counters live on the comment (moved by the
vote, in its transaction, through ``hosts.CommentVoteHost``) so that the "supported" and
"contested" orders are indexed.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

MAX_DEPTH = 2  # levels 0, 1, 2: replies to depth 3
# contested = min(up, down) * CONTESTED_FACTOR + (up + down): first how evenly split, then volume
CONTESTED_FACTOR = 1_000_000_000


class Stance(StrEnum):
    FOR = "for"
    AGAINST = "against"
    NEUTRAL = "neutral"


class Channel(StrEnum):
    ONLINE = "online"
    POST = "post"
    EMAIL = "email"
    MEETING = "meeting"
    PHONE = "phone"


class Comment(Model):
    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    parent: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "models.Comment", related_name="replies", null=True, on_delete=fields.CASCADE
    )
    parent_id: int | None
    root_id = fields.BigIntField(null=True, db_index=True)  # None on a top-level comment
    depth = fields.SmallIntField(default=0)
    author: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.User", related_name="comments", null=True, on_delete=fields.SET_NULL
    )
    author_id: int | None
    author_name = fields.CharField(max_length=200, default="")  # paper submissions
    stance = fields.CharEnumField(Stance, max_length=10, null=True)
    body_raw = fields.TextField()
    body_html = fields.TextField()
    language = fields.CharField(max_length=12, default="")
    channel = fields.CharEnumField(Channel, max_length=10, default=Channel.ONLINE)
    received_at = fields.DatetimeField(null=True)
    entered_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.User", related_name="entered_comments", null=True, on_delete=fields.SET_NULL
    )
    entered_by_id: int | None
    entered_by_body_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    edited_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    up_count = fields.IntField(default=0)
    down_count = fields.IntField(default=0)
    contested = fields.BigIntField(default=0)
    reply_count = fields.IntField(default=0)
    text_hash = fields.CharField(max_length=64, db_index=True)

    class Meta:
        table = "comments"
        indexes = (
            # depth, not parent_id: "parent_id IS NULL" stops PostgreSQL from using the
            # index order, "depth = 0" lets it walk the index (0.2 ms vs 64 ms at 50,000)
            ("target_type", "target_id", "depth", "created_at", "id"),
            ("target_type", "target_id", "depth", "up_count", "id"),
            ("target_type", "target_id", "depth", "contested", "id"),
            ("author_id", "created_at"),
        )

    @property
    def stance_value(self) -> str | None:
        return self.stance.value if self.stance else None


class CommentRevision(Model):
    """The text of a comment before an edit."""

    id = fields.BigIntField(primary_key=True)
    comment: fields.ForeignKeyRelation[Comment] = fields.ForeignKeyField(
        "models.Comment", related_name="revisions", on_delete=fields.CASCADE
    )
    comment_id: int
    body_raw = fields.TextField()
    body_html = fields.TextField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "comment_revisions"


class CommentDigest(Model):
    """How far the followers of a target have been told about new comments (the hourly digest
    job's watermark; makes the job idempotent)."""

    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    last_comment_id = fields.BigIntField(default=0)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "comment_digests"
        unique_together = (("target_type", "target_id"),)
