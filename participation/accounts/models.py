"""People: citizens, officials, moderators and admins are all users."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class User(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)  # stored lower-cased
    password_hash = fields.CharField(max_length=200)
    display_name = fields.CharField(max_length=100)
    locale = fields.CharField(max_length=5, default="en")
    region = fields.CharField(max_length=100, default="")
    email_confirmed_at = fields.DatetimeField(null=True)
    is_admin = fields.BooleanField(default=False)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Bumped on password change: old sessions and reset links stop working.
    auth_version = fields.IntField(default=1)
    # Suspended from taking part by a moderator (participation.moderation.suspensions): until
    # then the person reads and signs in, and writes nothing but their own account and appeals.
    suspended_until = fields.DatetimeField(null=True)
    suspension_reason = fields.CharField(max_length=1000, default="", db_default="")
    suspended_by_id = fields.IntField(null=True)
    # The person erased their account (``participation.accounts.personal_data``): the row stays
    # so that their votes, signatures and reports still count, with nothing personal left.
    erased_at = fields.DatetimeField(null=True)

    class Meta:
        table = "users"

    @property
    def confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def __str__(self) -> str:
        return self.display_name


class Session(Model):
    """A signed-in browser, keyed by the sha256 of the random token in its session cookie.

    The table alone cannot be turned into cookies. Revoking the row ends the session at once,
    wherever the cookie was copied (``participation.accounts.sessions``)."""

    id = fields.CharField(max_length=64, primary_key=True)  # sha256 hex of the token
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = fields.DatetimeField()
    last_seen = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "sessions"
        indexes = (("user_id", "revoked_at"),)


class ExportStatus(StrEnum):
    QUEUED = "queued"
    READY = "ready"
    FAILED = "failed"


class DataExport(Model):
    """One "export my data" request: built by a job into a JSON file in the storage
    (``participation.storage``), downloadable by its owner only until ``expires_at``."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="data_exports", on_delete=fields.CASCADE
    )
    user_id: int
    status = fields.CharEnumField(ExportStatus, max_length=10, default=ExportStatus.QUEUED)
    requested_at = fields.DatetimeField()
    ready_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True)
    storage_key = fields.CharField(max_length=200, default="")
    size = fields.IntField(default=0)

    class Meta:
        table = "data_exports"
        indexes = (("user_id", "requested_at"),)
