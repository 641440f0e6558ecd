"""The moderation queue (/moderation/): flagged items, possible campaigns, recently hidden
items; POST actions hide, restore, dismiss, hide a campaign. Moderators only, each seeing only
what they may moderate (a body moderator: the items of their bodies)."""

from __future__ import annotations

from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import NoMatchFound, Route

from participation.accounts.principal import Principal
from participation.errors import Forbidden, Invalid
from participation.forms import FormModel, bind
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext
from participation.moderation import queries, services
from participation.moderation.forms import CampaignInput, HideInput, RestoreInput, TargetInput
from participation.moderation.models import FlagReason
from participation.moderation.targets import Campaign, moderated, moderation_hosts
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
MIN_COPIES = 3  # a text posted this often is a possible campaign
CAMPAIGNS = 20

F = TypeVar("F", bound=FormModel)


def _moderator(request: Request) -> Principal:
    p = require_user(request)
    if not p.is_any_moderator:
        raise Forbidden(_("Only moderators can do this."))
    return p


async def _mine(p: Principal, items: list[queries.QueueItem]) -> list[queries.QueueItem]:
    """The items this moderator may act on (all of them for a global moderator), with what
    each says, from its host."""
    if not p.is_global_moderator:
        allowed = []
        for item in items:
            found = await moderated(item.target_type, item.target_id)
            if found is not None and p.can_moderate(found.body_ids):
                allowed.append(item)
        items = allowed
    hosts = moderation_hosts()
    for target_type, host in hosts.items():
        said = await host.describe([i.target_id for i in items if i.target_type == target_type])
        for i in items:
            d = said.get(i.target_id) if i.target_type == target_type else None
            if d is not None:
                i.excerpt, i.author_name = d.excerpt, d.author_name
    return items


async def _campaigns(p: Principal) -> list[Campaign]:
    """Possible campaigns; a body moderator sees only the copies on their bodies' items."""
    allowed = None if p.is_global_moderator else p.can_moderate
    out: list[Campaign] = []
    for host in moderation_hosts().values():
        out += await host.campaigns(allowed, MIN_COPIES, CAMPAIGNS)
    return out


async def queue(request: Request) -> Response:
    p = _moderator(request)
    try:
        petitions_url: str | None = str(request.url_for("petitions:moderation"))
    except NoMatchFound:
        petitions_url = None
    return render(request, "moderation/queue.html", {
        "flagged": await _mine(p, await queries.flagged()), "campaigns": await _campaigns(p),
        "hidden": await _mine(p, await queries.recently_hidden()), "reasons": REASON_LABELS,
        "petitions_url": petitions_url, "has_petitions_queue": petitions_url is not None,
    })  # fmt: skip


async def _input(request: Request, model: type[F]) -> F:
    """The submitted form; a form that did not come from the queue page is a 400 with the
    first problem found."""
    form = bind(model, await read_form(request))
    if not form.validate():
        field, message = next(iter(form.errors.items()))
        raise Invalid(message, field)
    return form.data


async def hide(request: Request) -> Response:
    p = _moderator(request)
    data = await _input(request, HideInput)
    await services.hide(p, data.target_type, data.target_id, data.reason, data.note)
    flash(request, _("Hidden. The action is recorded in the audit log."), "success")
    return redirect(request.url_for("moderation:queue"))


async def restore(request: Request) -> Response:
    p = _moderator(request)
    data = await _input(request, RestoreInput)
    await services.restore(p, data.target_type, data.target_id, data.note)
    flash(request, _("Shown again. The action is recorded in the audit log."), "success")
    return redirect(request.url_for("moderation:queue"))


async def dismiss(request: Request) -> Response:
    p = _moderator(request)
    data = await _input(request, TargetInput)
    await services.dismiss(p, data.target_type, data.target_id)
    flash(request, _("The reports were dismissed; the item stays visible."), "success")
    return redirect(request.url_for("moderation:queue"))


async def hide_campaign(request: Request) -> Response:
    p = _moderator(request)
    data = await _input(request, CampaignInput)
    n = await services.hide_campaign(p, data.text_hash, data.reason, data.note, data.target_type)
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
