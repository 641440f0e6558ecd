"""Obligations, responses and commitments.

An ``Obligation`` is one thing owed an answer (``target_type``, ``target_id``): its owning
body, since when it is owed (``opened_at``: a consultation's close, a petition crossing its
response threshold) and by when (``due_at``). It is answered once (``answered_at``, by a
``Response``); whether that was on time, late, or is overdue now is computed from a clock
(``deadlines.state``), never stored. ``overdue_at`` only records that the daily job has
marked it overdue (audited, the body mailed) so that it happens once.

A ``Response`` answers one target: what the body did overall (``i18n``: ``summary``; for a
petition ``text``), who published it and when, the report snapshot it cites (id and version)
and the figures it showed. Its ``ResponsePart`` rows are "we asked, you said, we did" per
part (the whole, each section): what people said, the decision and why, per language.

A ``Commitment`` is made by a response: title and description per language, owning body, due
date, status, progress; ``CommitmentLink`` names what it answers (sections, comments, a
petition), ``Milestone`` its dated steps, ``CommitmentUpdate`` every change (kept, never
edited), ``CommitmentFollow`` who gets the updates by mail.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from participation.accountability.scoreboard_models import BodyScore as BodyScore
from participation.i18n.content import TranslatableMixin


class Obligation(Model):
    id = fields.IntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    body_id = fields.IntField(db_index=True)  # the body that owes the answer
    opened_at = fields.DatetimeField()
    due_at = fields.DatetimeField(db_index=True)
    answered_at = fields.DatetimeField(null=True)
    response_id = fields.IntField(null=True)  # None when answered outside (a legacy outcome)
    overdue_at = fields.DatetimeField(null=True)  # marked overdue by the daily job
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "accountability_obligations"
        unique_together = (("target_type", "target_id"),)


class Decision(StrEnum):
    CHANGED = "changed"  # the text was changed as people asked
    KEPT = "kept"  # kept as it was
    DROPPED = "dropped"  # the proposal was dropped
    STUDY = "study"  # to be studied further


class Response(TranslatableMixin, Model):
    """Fields in ``i18n``: ``summary`` (what the body did, overall), ``debate_outcome``."""

    id = fields.IntField(primary_key=True)
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    body_id = fields.IntField(db_index=True)  # the publishing body (its name is public)
    i18n: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    original_locale = fields.CharField(max_length=5, default="en")
    published_by_id = fields.IntField(null=True)
    published_at = fields.DatetimeField(db_index=True)
    report_snapshot_id = fields.BigIntField(null=True)  # the report version it cites
    report_version = fields.IntField(null=True)
    figures: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    debate_at = fields.DatetimeField(null=True)
    debate_link = fields.CharField(max_length=500, default="")
    notified_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accountability_responses"
        unique_together = (("target_type", "target_id"),)


class ResponsePart(TranslatableMixin, Model):
    """One part of a response: the whole (the response's own target) or a section. Fields in
    ``i18n``: ``said`` (what people said), ``why`` (the reasons for the decision)."""

    id = fields.IntField(primary_key=True)
    response: fields.ForeignKeyRelation[Response] = fields.ForeignKeyField(
        "models.Response", related_name="parts", on_delete=fields.CASCADE
    )
    response_id: int
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()
    position = fields.IntField(default=0)  # 0: the whole, then the sections' numbers
    decision = fields.CharEnumField(Decision, max_length=10)
    i18n: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    original_locale = fields.CharField(max_length=5, default="en")
    figures: dict = fields.JSONField(default=dict)  # type: ignore[assignment]

    class Meta:
        table = "accountability_response_parts"
        unique_together = (("response", "target_type", "target_id"),)
        indexes = (("target_type", "target_id"),)


class CommitmentStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Commitment(TranslatableMixin, Model):
    """Fields in ``i18n``: ``title``, ``description``."""

    id = fields.IntField(primary_key=True)
    response: fields.ForeignKeyRelation[Response] = fields.ForeignKeyField(
        "models.Response", related_name="commitments", on_delete=fields.CASCADE
    )
    response_id: int
    body_id = fields.IntField(db_index=True)
    i18n: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    original_locale = fields.CharField(max_length=5, default="en")
    due_on = fields.DateField(null=True)
    status = fields.CharEnumField(
        CommitmentStatus, max_length=12, default=CommitmentStatus.PLANNED, db_index=True
    )
    progress = fields.SmallIntField(default=0)  # 0..100
    reason = fields.TextField(default="")  # why it was dropped
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    done_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accountability_commitments"


class CommitmentLink(Model):
    """What a commitment answers: a section, a comment, a petition, a consultation."""

    id = fields.IntField(primary_key=True)
    commitment: fields.ForeignKeyRelation[Commitment] = fields.ForeignKeyField(
        "models.Commitment", related_name="links", on_delete=fields.CASCADE
    )
    commitment_id: int
    target_type = fields.CharField(max_length=40)
    target_id = fields.BigIntField()

    class Meta:
        table = "accountability_commitment_links"
        unique_together = (("commitment", "target_type", "target_id"),)
        indexes = (("target_type", "target_id"),)


class Milestone(TranslatableMixin, Model):
    """A dated step of a commitment. Field in ``i18n``: ``title``."""

    id = fields.IntField(primary_key=True)
    commitment: fields.ForeignKeyRelation[Commitment] = fields.ForeignKeyField(
        "models.Commitment", related_name="milestones", on_delete=fields.CASCADE
    )
    commitment_id: int
    i18n: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    original_locale = fields.CharField(max_length=5, default="en")
    due_on = fields.DateField()
    done_on = fields.DateField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "accountability_milestones"


class UpdateKind(StrEnum):
    CREATED = "created"
    PROGRESS = "progress"  # status and/or progress changed, with a note
    MILESTONE = "milestone"  # a milestone added or reached


class CommitmentUpdate(TranslatableMixin, Model):
    """One change of a commitment, kept for ever: the status and progress after it, and a
    note (``i18n``: ``text``)."""

    id = fields.IntField(primary_key=True)
    commitment: fields.ForeignKeyRelation[Commitment] = fields.ForeignKeyField(
        "models.Commitment", related_name="updates", on_delete=fields.CASCADE
    )
    commitment_id: int
    kind = fields.CharEnumField(UpdateKind, max_length=10)
    status = fields.CharEnumField(CommitmentStatus, max_length=12)
    progress = fields.SmallIntField()
    i18n: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    original_locale = fields.CharField(max_length=5, default="en")
    actor_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    notified_at = fields.DatetimeField(null=True)

    class Meta:
        table = "accountability_commitment_updates"
        indexes = (("commitment_id", "created_at"),)


class CommitmentFollow(Model):
    id = fields.IntField(primary_key=True)
    commitment: fields.ForeignKeyRelation[Commitment] = fields.ForeignKeyField(
        "models.Commitment", related_name="follows", on_delete=fields.CASCADE
    )
    commitment_id: int
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User", related_name="commitment_follows", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "accountability_commitment_follows"
        unique_together = (("commitment", "user"),)
