"""Government bodies and who acts for them."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from participation.i18n.content import TranslatableMixin


class Body(TranslatableMixin, Model):
    """A ministry, agency or city. Name and description per language in ``i18n``."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=80, unique=True)
    parent: fields.ForeignKeyNullableRelation[Body] = fields.ForeignKeyField(
        "models.Body", related_name="children", null=True, on_delete=fields.SET_NULL
    )
    parent_id: int | None
    i18n: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    original_locale = fields.CharField(max_length=5, default="en")
    # Per-body settings used by the domains (petition thresholds, periods...).
    settings: dict = fields.JSONField(default=dict)  # type: ignore[assignment]
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "bodies"

    def __str__(self) -> str:
        return str(self.tr("name"))


class Role(StrEnum):
    EDITOR = "editor"  # official: drafts content for the body
    PUBLISHER = "publisher"  # official: drafts and publishes
    MODERATOR = "moderator"  # moderator scoped to the body; body NULL = global moderator


class Membership(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    user_id: int
    body: fields.ForeignKeyNullableRelation[Body] = fields.ForeignKeyField(
        "models.Body", related_name="memberships", null=True, on_delete=fields.CASCADE
    )
    body_id: int | None
    role = fields.CharEnumField(Role, max_length=20)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "memberships"
        unique_together = (("user", "body", "role"),)
