"""The ``send_email`` job: render in the recipient's language, then deliver."""

from __future__ import annotations

from typing import Any

from participation.accounts.models import User
from participation.i18n import direction, gettext, ngettext, pgettext, use_locale
from participation.i18n.context import use_time_zone
from participation.mail.sending import build_message, deliver
from participation.settings import Settings
from participation.web.templating import render_string


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
) -> str:
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
    return "sent"


functions = [send_email]
