"""Consultations: a draft policy in numbered sections, a questionnaire, attachments.

Text written by officials is translatable JSON (``i18n`` = {locale: {field: text}}) with an
``original_locale``; see participation/i18n/content.py. Comments and votes on a consultation
or a section live in the generic comments/votes packages under target types "consultation"
and "section".
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from participation.i18n.content import TranslatableMixin


class ConsultationStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


Status = ConsultationStatus  # the name used across this domain


class Consultation(TranslatableMixin, Model):
    """Fields in ``i18n``: title, summary, body."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=120, unique=True)
    # The body that created it; every owner (this one included) is in ConsultationBody.
    body: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Body", related_name="consultations", on_delete=fields.RESTRICT
    )
    body_id: int
    i18n: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    original_locale = fields.CharField(max_length=5, default="en")
    # Titles and summaries of every language, lower-cased: full text search (PostgreSQL
    # to_tsvector('simple', ...)) and the LIKE fallback on SQLite read this one column.
    search_text = fields.TextField(default="")
    topic = fields.CharField(max_length=80, default="", db_index=True)
    region = fields.CharField(max_length=100, default="", db_index=True)
    status = fields.CharEnumField(Status, max_length=12, default=Status.DRAFT, db_index=True)
    opens_at = fields.DatetimeField(null=True)
    closes_at = fields.DatetimeField(null=True)
    opened_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # Moderation of its comments: flags that hide one pending review (None: the owning body's
    # default, 0: off), and whether new comments wait for a moderator's approval.
    flag_threshold = fields.IntField(null=True)
    premoderated = fields.BooleanField(default=False, db_default=False)

    class Meta:
        table = "consultations"
        indexes = (("status", "opens_at"), ("status", "closes_at"))

    def __str__(self) -> str:
        return str(self.tr("title"))


class ConsultationBody(Model):
    """An owning body: the creating body and every co-owner of a joint consultation."""

    id = fields.IntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "models.Consultation", related_name="owners", on_delete=fields.CASCADE
    )
    consultation_id: int
    body: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Body", related_name="consultation_links", on_delete=fields.CASCADE
    )
    body_id: int

    class Meta:
        table = "consultation_bodies"
        unique_together = (("consultation", "body"),)


class Section(TranslatableMixin, Model):
    """A chapter or article. Fields in ``i18n``: title, text (the current version)."""

    id = fields.IntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "models.Consultation", related_name="sections", on_delete=fields.CASCADE
    )
    consultation_id: int
    position = fields.IntField()
    i18n: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    original_locale = fields.CharField(max_length=5, default="en")
    version = fields.IntField(default=0)  # number of the current published version (0: draft)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "consultation_sections"
        indexes = (("consultation_id", "position"),)


class SectionVersion(TranslatableMixin, Model):
    """A published text of a section. Version 1 is taken when the consultation opens, later
    ones are published by an official; none is ever changed or deleted."""

    id = fields.IntField(primary_key=True)
    section: fields.ForeignKeyRelation[Section] = fields.ForeignKeyField(
        "models.Section", related_name="versions", on_delete=fields.CASCADE
    )
    section_id: int
    number = fields.IntField()
    i18n: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    original_locale = fields.CharField(max_length=5, default="en")
    note = fields.TextField(default="")
    published_at = fields.DatetimeField()
    published_by_id = fields.IntField(null=True)

    class Meta:
        table = "consultation_section_versions"
        unique_together = (("section", "number"),)


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    TEXT = "text"


class Question(TranslatableMixin, Model):
    """Field ``text`` in ``i18n``, ``options`` = [{"key": "a", "i18n": {locale: label}}]."""

    id = fields.IntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "models.Consultation", related_name="questions", on_delete=fields.CASCADE
    )
    consultation_id: int
    position = fields.IntField()
    kind = fields.CharEnumField(QuestionKind, max_length=10)
    required = fields.BooleanField(default=False)
    i18n: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    original_locale = fields.CharField(max_length=5, default="en")
    options: list = fields.JSONField(default=list)  # type: ignore[assignment]

    class Meta:
        table = "consultation_questions"
        indexes = (("consultation_id", "position"),)


class AnswerSet(Model):
    """One person's answers to a questionnaire (or one paper submission's answers).

    ``answers`` = {question id: option key | [option keys] | 1..5 | text}."""

    id = fields.IntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "models.Consultation", related_name="answer_sets", on_delete=fields.CASCADE
    )
    consultation_id: int
    user: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.User", related_name="answer_sets", null=True, on_delete=fields.SET_NULL
    )
    user_id: int | None
    answers: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    channel = fields.CharField(max_length=20, default="online")
    entered_by_body_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "consultation_answer_sets"
        unique_together = (("consultation", "user"),)


class Attachment(Model):
    id = fields.IntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "models.Consultation", related_name="attachments", on_delete=fields.CASCADE
    )
    consultation_id: int
    storage_key = fields.CharField(max_length=200)
    filename = fields.CharField(max_length=200)
    title = fields.CharField(max_length=200, default="")
    content_type = fields.CharField(max_length=100, default="application/pdf")
    size = fields.IntField()
    uploaded_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "consultation_attachments"


class DateChangeKind(StrEnum):
    CLOSED_EARLY = "closed_early"
    EXTENDED = "extended"


class DateChange(Model):
    """A public record of closing early or extending, with the official's reason."""

    id = fields.IntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "models.Consultation", related_name="date_changes", on_delete=fields.CASCADE
    )
    consultation_id: int
    kind = fields.CharEnumField(DateChangeKind, max_length=20)
    reason = fields.TextField()
    old_closes_at = fields.DatetimeField(null=True)
    new_closes_at = fields.DatetimeField(null=True)
    actor_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "consultation_date_changes"


class Follow(Model):
    id = fields.IntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "models.Consultation", related_name="follows", on_delete=fields.CASCADE
    )
    consultation_id: int
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User", related_name="consultation_follows", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "consultation_follows"
        unique_together = (("consultation", "user"),)


class OutcomeKind(StrEnum):
    REPORT = "report"  # what the consultation heard: the owners' summary and the figures
    RESPONSE = "response"  # what the owners will do about it


class Outcome(TranslatableMixin, Model):
    """The report or the response of a closed consultation, published once by a publisher of
    an owning body and never changed (field in ``i18n``: text). Followers are mailed when it is
    published; ``notified_at`` makes that mailing happen once."""

    id = fields.IntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "models.Consultation", related_name="outcomes", on_delete=fields.CASCADE
    )
    consultation_id: int
    kind = fields.CharEnumField(OutcomeKind, max_length=10)
    i18n: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    original_locale = fields.CharField(max_length=5, default="en")
    figures: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    body_id = fields.IntField()  # the owning body that published it
    published_by_id = fields.IntField(null=True)
    published_at = fields.DatetimeField()
    notified_at = fields.DatetimeField(null=True)

    class Meta:
        table = "consultation_outcomes"
        unique_together = (("consultation", "kind"),)
