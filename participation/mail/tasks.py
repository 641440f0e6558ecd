"""The ``send_email`` job: render in the recipient's language, then deliver."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from participation import jobs
from participation.accounts.models import User
from participation.i18n import direction, gettext, ngettext, pgettext, use_locale
from participation.i18n.context import use_time_zone
from participation.mail.sending import build_message, deliver
from participation.mail.services import forget_deliveries, record_delivery, was_delivered
from participation.settings import Settings
from participation.web.templating import render_string

KEEP_DELIVERIES = timedelta(days=30)


def render_email(name: str, locale: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text body, html body) of ``templates/email/<name>/`` in ``locale``."""
    with use_locale(locale):
        ctx = {**context, "locale": locale, "dir": direction(locale)}
        # Plain text is not HTML: translate without Markup so "&" stays "&".
        plain = {**ctx, "_": gettext, "gettext": gettext, "ngettext": ngettext,
                 "pgettext": pgettext}  # fmt: skip
        subject = " ".join(render_string(f"email/{name}/subject.txt", plain).split())
        text = render_string(f"email/{name}/body.txt", plain)
        html = render_string(f"email/{name}/body.html", ctx)
    return subject, text, html


async def send_email(
    ctx: dict[str, Any],
    template: str,
    to_user_id: int | None = None,
    to_email: str | None = None,
    locale: str | None = None,
    context: dict[str, Any] | None = None,
    delivery_key: str | None = None,
) -> str:
    """Render and send one mail. With ``delivery_key`` (a fan-out's id and the recipient) the
    mail is sent at most once per key, short of one window: a key already recorded in
    ``MailDelivery`` is skipped, and the key is recorded in its own commit right after the mail
    server accepted the mail.

    The window that remains: a process killed (or the database lost) after the server
    accepted the mail and before that commit (a cancelled job still records it). The re-run then sends that one mail again (at
    most one per fan-out and crash, since every earlier mail was recorded); it never loses a
    mail, which the other order (record, then send) would. Call it outside any transaction,
    so that each record is committed before the next mail goes out. Two runs of the same key
    at the same time are not guarded against: the outbox and arq's job ids prevent them.
    """
    if delivery_key is not None and await was_delivered(delivery_key):
        return "already sent"
    settings: Settings = ctx["settings"]
    address = to_email
    if to_user_id is not None:
        user = await User.get_or_none(id=to_user_id)
        if user is None or not user.is_active:
            return "no recipient"
        address = user.email
        locale = user.locale  # the recipient's current language wins
    if not address:
        return "no recipient"
    with use_time_zone(settings.time_zone):  # times in the mail as on the site
        subject, text, html = render_email(
            template, locale or settings.default_locale, context or {}
        )
    await deliver(settings, build_message(settings, address, subject, text, html))
    if delivery_key is not None:
        # sent: record it even if this job is being cancelled right now
        await asyncio.shield(record_delivery(delivery_key))
    return "sent"


async def forget_old_deliveries(ctx: dict[str, Any]) -> int:
    """Daily: delivery records outlive every retry of their job by far after 30 days."""
    return await forget_deliveries(datetime.now(UTC) - KEEP_DELIVERIES)


functions = [send_email]
periodic = [jobs.Periodic(forget_old_deliveries, daily_at_hour=4)]
