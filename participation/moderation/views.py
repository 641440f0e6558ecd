"""The moderation queue (/moderation/): flagged items, possible campaigns, recently hidden
items; POST actions hide, restore, dismiss, hide a campaign. Moderators only."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import NoMatchFound, Route

from participation.accounts.principal import Principal
from participation.forms import BIGINT_MAX, parse_int
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext
from participation.moderation import queries, services
from participation.moderation.models import FlagReason
from participation.web.auth import require_user
from participation.web.forms import read_form
from participation.web.templating import flash, redirect, render

REASON_LABELS = {
    FlagReason.SPAM.value: lazy_gettext("Spam or advertising"),
    FlagReason.OFFENSIVE.value: lazy_gettext("Offensive or abusive"),
    FlagReason.PERSONAL_DATA.value: lazy_gettext("Personal data"),
    FlagReason.OFF_TOPIC.value: lazy_gettext("Off topic"),
    FlagReason.OTHER.value: lazy_gettext("Other"),
}


def _moderator(request: Request) -> Principal:
    p = require_user(request)
    if not p.is_any_moderator:
        raise HTTPException(403)
    return p


async def _mine(p: Principal, items: list[queries.QueueItem]) -> list[queries.QueueItem]:
    """The items this moderator may act on (all of them for a global moderator)."""
    if p.is_global_moderator:
        return items
    out = []
    for item in items:
        bodies = await services.moderating_body_ids(item.target_type, item.target_id)
        if bodies is not None and p.can_moderate(bodies):
            out.append(item)
    return out


async def queue(request: Request) -> Response:
    p = _moderator(request)
    try:
        petitions_url: str | None = str(request.url_for("petitions:moderation"))
    except NoMatchFound:
        petitions_url = None
    return render(request, "moderation/queue.html", {
        "flagged": await _mine(p, await queries.flagged()),
        "campaigns": await queries.campaigns(),
        "hidden": await _mine(p, await queries.recently_hidden()), "reasons": REASON_LABELS,
        "petitions_url": petitions_url, "has_petitions_queue": petitions_url is not None,
    })  # fmt: skip


def _target(form_type: str, form_id: str) -> tuple[str, int]:
    target_id = parse_int(form_id, high=BIGINT_MAX)  # the host checks its own range
    if not form_type or target_id is None:
        raise HTTPException(400)
    return form_type.strip()[:40], target_id


async def hide(request: Request) -> Response:
    p = _moderator(request)
    form = await read_form(request)
    target_type, target_id = _target(form.get("target_type"), form.get("target_id"))
    await services.hide(p, target_type, target_id, form.get("reason"), form.get("note"))
    flash(request, _("Hidden. The action is recorded in the audit log."), "success")
    return redirect(request.url_for("moderation:queue"))


async def restore(request: Request) -> Response:
    p = _moderator(request)
    form = await read_form(request)
    target_type, target_id = _target(form.get("target_type"), form.get("target_id"))
    await services.restore(p, target_type, target_id, form.get("note"))
    flash(request, _("Shown again. The action is recorded in the audit log."), "success")
    return redirect(request.url_for("moderation:queue"))


async def dismiss(request: Request) -> Response:
    p = _moderator(request)
    form = await read_form(request)
    target_type, target_id = _target(form.get("target_type"), form.get("target_id"))
    await services.dismiss(p, target_type, target_id)
    flash(request, _("The reports were dismissed; the item stays visible."), "success")
    return redirect(request.url_for("moderation:queue"))


async def hide_campaign(request: Request) -> Response:
    p = _moderator(request)
    form = await read_form(request)
    text_hash = form.get("text_hash").strip()
    if len(text_hash) != 64:
        raise HTTPException(400)
    n = await services.hide_campaign(p, text_hash, form.get("reason"), form.get("note"))
    flash(request, _("%(n)s copies hidden. The action is recorded in the audit log.", n=n),
          "success")  # fmt: skip
    return redirect(request.url_for("moderation:queue"))


routes = [
    Route("/", queue, name="queue"),
    Route("/hide", hide, methods=["POST"], name="hide"),
    Route("/restore", restore, methods=["POST"], name="restore"),
    Route("/dismiss", dismiss, methods=["POST"], name="dismiss"),
    Route("/hide-campaign", hide_campaign, methods=["POST"], name="hide_campaign"),
]
