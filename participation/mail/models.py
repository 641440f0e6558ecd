"""What the mail jobs record: one row per mail of a fan-out that the mail server accepted."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class MailDelivery(Model):
    """A mail the mail server accepted, by delivery key (fan-out id + recipient).

    E.g. ``petition-notify:12:debate:sig:345``. Written in its own commit right after the
    send, so that a re-run of the fan-out skips it (``participation.mail.tasks.send_email``)."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=255, unique=True)
    sent_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "mail_deliveries"
