"""Flags, moderation state, scopes and appeals of any ``(target_type, target_id)``.

Many ``Flag`` rows per target, one ``ModerationState`` row per target (flag count, hidden or
not, and why), so that every list query filters hidden items with one join: an item is shown
to everyone exactly when its state has no ``hidden_at``. ``hidden_kind`` says why it is not:

- ``pending`` / ``words``: held before anyone saw it (a pre-moderated space, or the
  deployment's word list); only its author sees it until a moderator approves it;
- ``flags``: it reached its space's flag threshold; hidden pending review, a placeholder in
  its place;
- ``moderator``: hidden by a moderator with a reason, shown as "hidden by a moderator: reason".

``ModerationScope`` holds the bodies whose moderators may act on a state's item (written when
the item is flagged or held), so a body moderator's queue is one query. An ``Appeal`` is its
author's one request to look again at a hidden item, given to another moderator.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class FlagReason(StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class HiddenKind(StrEnum):
    PENDING = "pending"  # a pre-moderated space: waits for approval
    WORDS = "words"  # matched the deployment's word list: waits for approval
    FLAGS = "flags"  # reached its space's flag threshold: hidden pending review
    MODERATOR = "moderator"  # hidden by a moderator, with a reason


# Held before anyone saw them: shown to their author only, never as a placeholder to others.
HELD = (HiddenKind.PENDING, HiddenKind.WORDS)
# In the queue while hidden: waiting for a moderator's first look.
WAITING = (HiddenKind.PENDING, HiddenKind.WORDS, HiddenKind.FLAGS)


class Flag(Model):
    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User", related_name="flags", on_delete=fields.CASCADE
    )
    user_id: int
    reason = fields.CharEnumField(FlagReason, max_length=20)
    note = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    # a moderator approved the item after this flag: it no longer counts (the person still
    # cannot flag the item again)
    cleared_at = fields.DatetimeField(null=True)

    class Meta:
        table = "moderation_flags"
        unique_together = (("target_type", "target_id", "user"),)


class ModerationState(Model):
    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    flag_count = fields.IntField(default=0)  # flags not cleared by an approval
    hidden_at = fields.DatetimeField(null=True)
    hidden_kind = fields.CharEnumField(HiddenKind, max_length=12, null=True)
    hidden_reason = fields.CharEnumField(FlagReason, max_length=20, null=True)
    hidden_note = fields.CharField(max_length=500, default="")
    hidden_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.User", related_name="hidden_items", null=True, on_delete=fields.SET_NULL
    )
    hidden_by_id: int | None
    reviewed_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # what the item's host said when the state was written
    author_id = fields.IntField(null=True)
    space_type = fields.CharField(
        max_length=20, default="", db_default=""
    )  # "consultation", "body"
    space_id = fields.IntField(null=True)
    # entered the queue (held, or its first flag since the last review); None: not waiting
    queued_at = fields.DatetimeField(null=True)
    alerted_at = fields.DatetimeField(null=True)  # moderators were mailed about its flags

    class Meta:
        table = "moderation_states"
        unique_together = (("target_type", "target_id"),)
        indexes = (
            ("target_type", "hidden_at"),
            ("flag_count",),
            ("queued_at", "flag_count"),
            ("space_type", "space_id", "hidden_at"),
            ("author_id", "hidden_at"),
        )


class ModerationScope(Model):
    """A body whose moderators may act on the item of a state (global moderators always may)."""

    id = fields.BigIntField(primary_key=True)
    state: fields.ForeignKeyRelation[ModerationState] = fields.ForeignKeyField(
        "models.ModerationState", related_name="scopes", on_delete=fields.CASCADE
    )
    state_id: int
    body_id = fields.IntField(db_index=True)

    class Meta:
        table = "moderation_scopes"
        unique_together = (("state", "body_id"),)


class AppealOutcome(StrEnum):
    RESTORED = "restored"  # the item is shown again
    UPHELD = "upheld"  # it stays hidden


class Appeal(Model):
    """The author of a hidden item asks, once, for another look. It goes to a moderator other
    than the one who hid the item (``assigned_to``); the decision is mailed to the author."""

    id = fields.BigIntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    author: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User", related_name="appeals", on_delete=fields.CASCADE
    )
    author_id: int
    text = fields.TextField()
    created_at = fields.DatetimeField()
    hidden_by_id = fields.IntField(null=True)  # whose act is appealed: never its judge
    assigned_to: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.User", related_name="assigned_appeals", null=True, on_delete=fields.SET_NULL
    )
    assigned_to_id: int | None
    decided_by_id = fields.IntField(null=True)
    decided_at = fields.DatetimeField(null=True)
    outcome = fields.CharEnumField(AppealOutcome, max_length=10, null=True)
    decision_note = fields.CharField(max_length=1000, default="")

    class Meta:
        table = "moderation_appeals"
        unique_together = (("target_type", "target_id"),)
        indexes = (("assigned_to_id", "decided_at"), ("decided_at",))


class ModeratorAlert(Model):
    """When a moderator was last mailed that their queue passed its alert size."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(unique=True)
    queue_alerted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "moderation_alerts"
