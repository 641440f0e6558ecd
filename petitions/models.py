"""Petitions to government bodies, their signatures, thresholds and fraud controls."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class PetitionStatus(StrEnum):
    SPONSORING = "sponsoring"  # written; the creator collects sponsor signatures
    MODERATION = "moderation"  # enough sponsors; waits for a moderator
    OPEN = "open"  # published, collecting signatures
    REJECTED = "rejected"
    CLOSED = "closed"


Status = PetitionStatus  # the name used across this domain


class RejectReason(StrEnum):
    DUPLICATE = "duplicate"
    NOT_RESPONSIBLE = "not_responsible"
    OFFENSIVE = "offensive"
    PERSONAL_DATA = "personal_data"
    UNCLEAR = "unclear"
    NOT_ACTION = "not_action"


class SignatureStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"


class Petition(Model):
    """Citizens' text, stored as written with its language."""

    id = fields.IntField(primary_key=True)
    body: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Body", related_name="petitions", on_delete=fields.RESTRICT
    )
    body_id: int
    creator: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User", related_name="petitions", on_delete=fields.RESTRICT
    )
    creator_id: int
    title = fields.CharField(max_length=80)
    action = fields.TextField()
    background = fields.TextField(default="")
    details = fields.TextField(default="")
    language = fields.CharField(max_length=5, default="en")
    status = fields.CharEnumField(Status, max_length=12, default=Status.SPONSORING, db_index=True)
    sponsor_token = fields.CharField(max_length=40, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    submitted_at = fields.DatetimeField(null=True)  # entered the moderation queue
    moderated_at = fields.DatetimeField(null=True)
    moderator_id = fields.IntField(null=True)
    opened_at = fields.DatetimeField(null=True)
    closes_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    reject_reason = fields.CharEnumField(RejectReason, max_length=20, null=True)
    reject_text = fields.TextField(default="")
    # Kept by the counter job only (under its advisory lock): no per-signature update here.
    signature_count = fields.IntField(default=0, db_index=True)
    under_review = fields.IntField(default=0, db_default=0)  # held as suspect, not removed
    region_counts: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    counted_at = fields.DatetimeField(null=True)
    response_threshold_at = fields.DatetimeField(null=True)
    debate_threshold_at = fields.DatetimeField(null=True)
    debate_at = fields.DatetimeField(null=True)
    debate_link = fields.CharField(max_length=500, default="")
    trending_alert_at = fields.DatetimeField(null=True)
    trending_rate = fields.IntField(default=0)
    # Title and texts as the search compares them (``queries.search_text``), kept by the writes;
    # a default in the database too, so the column can be added to a table that has rows
    search_text = fields.TextField(default="", db_default="")
    # the wave rules last looked at this petition's signatures (``counting.hold_waves``)
    waves_checked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "petitions"

    # Set by the queries that read it for a page (``queries.petition_by_id``): hidden by the
    # generic moderation ("flags": pending review, "moderator") and the moderator's reason.
    moderation_hidden: str | None = None
    moderation_reason: str | None = None

    @property
    def hidden(self) -> bool:
        if self.moderation_hidden is not None:
            return True
        return self.status == Status.REJECTED and self.reject_reason == RejectReason.OFFENSIVE


class Signature(Model):
    """One person's signature. ``canonical_email`` is unique per petition. E-mail, IP and name
    are never shown publicly. Counted = included by the counter job (once)."""

    id = fields.BigIntField(primary_key=True)
    petition: fields.ForeignKeyRelation[Petition] = fields.ForeignKeyField(
        "models.Petition", related_name="signatures", on_delete=fields.CASCADE
    )
    petition_id: int
    name = fields.CharField(max_length=100)
    email = fields.CharField(max_length=254)
    canonical_email = fields.CharField(max_length=254)
    region = fields.CharField(max_length=40, default="")
    opt_in = fields.BooleanField(default=False)
    ip = fields.CharField(max_length=45, default="")
    user_id = fields.IntField(null=True)
    locale = fields.CharField(max_length=5, default="en")
    sponsor = fields.BooleanField(default=False)
    status = fields.CharEnumField(SignatureStatus, max_length=10, default=SignatureStatus.PENDING)
    created_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)
    counted = fields.BooleanField(default=False)
    suspect = fields.BooleanField(default=False)
    # a moderator judged it genuine (``invalidations.accept_suspects``): no rule holds it again
    reviewed = fields.BooleanField(default=False, db_default=False)
    invalidation_id = fields.IntField(null=True, db_index=True)
    wave_id = fields.IntField(null=True)  # held as part of this wave (``SignatureWave``)

    class Meta:
        table = "petition_signatures"
        unique_together = (("petition", "canonical_email"),)
        indexes = (
            ("status", "counted"),
            ("petition_id", "ip", "created_at"),
            ("petition_id", "created_at"),  # the wave rules' window of a petition
        )


class SignatureWave(Model):
    """Signatures held together because the wave rules found them together
    (``participation.integrity.waves``): what moderators accept or remove with one act.
    ``rule`` and ``reasons`` are the rules' words, translated when shown."""

    id = fields.IntField(primary_key=True)
    petition: fields.ForeignKeyRelation[Petition] = fields.ForeignKeyField(
        "models.Petition", related_name="waves", on_delete=fields.CASCADE
    )
    petition_id: int
    rule = fields.CharField(max_length=100)
    reasons: list = fields.JSONField(default=list)  # type: ignore[assignment]
    first_at = fields.DatetimeField()
    last_at = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "petition_signature_waves"


class ResponseObligation(Model):
    """The body must respond by ``deadline`` (created once, when the response threshold is
    crossed). The response itself belongs to the accountability domain."""

    id = fields.IntField(primary_key=True)
    petition: fields.OneToOneRelation[Petition] = fields.OneToOneField(
        "models.Petition", related_name="obligation", on_delete=fields.CASCADE
    )
    petition_id: int
    body_id = fields.IntField(db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    deadline = fields.DatetimeField()
    responded_at = fields.DatetimeField(null=True)

    class Meta:
        table = "petition_response_obligations"


class Invalidation(Model):
    """A moderator's bulk removal of signatures from the count. ``undone_at`` restores them."""

    id = fields.IntField(primary_key=True)
    petition: fields.ForeignKeyRelation[Petition] = fields.ForeignKeyField(
        "models.Petition", related_name="invalidations", on_delete=fields.CASCADE
    )
    petition_id: int
    moderator_id = fields.IntField()
    criteria: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    reason = fields.TextField()
    affected = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    undone_at = fields.DatetimeField(null=True)
    undone_by_id = fields.IntField(null=True)

    class Meta:
        table = "petition_invalidations"


class BlockedDomain(Model):
    id = fields.IntField(primary_key=True)
    domain = fields.CharField(max_length=254, unique=True)
    reason = fields.TextField(default="")
    created_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "petition_blocked_domains"


class BlockedNetwork(Model):
    id = fields.IntField(primary_key=True)
    cidr = fields.CharField(max_length=64, unique=True)
    reason = fields.TextField(default="")
    created_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "petition_blocked_networks"
