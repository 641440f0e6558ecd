"""Moderation pages.

``/moderation/``          the queue, for moderators: what waits for them (flagged, hidden
                          pending review, held for approval) most flagged first, then oldest,
                          each with its context and flags; possible campaigns as one row each;
                          appeals they may decide; recently hidden items. POST ``approve``,
                          ``hide`` (with a reason), ``restore``, ``hide-campaign``.
``/moderation/flag``      POST: a signed-in person reports any item (comment, petition...).
``/moderation/appeal/<type>/<id>``  for the author of a hidden item: why, and the appeal.
``/moderation/appeals/<id>/decide`` POST: a moderator other than the one who hid it decides.
``/moderation/suspensions``, ``/moderation/people/<id>/suspend``, ``.../lift``: suspensions
                          from taking part (global moderators and administrators).
``/moderation/record``    public: what moderation hid, per space, counted by reason.

One rule for administrators, here as everywhere: they may moderate, as global moderators do
(``participation.accounts.principal``). A body moderator sees and acts on their bodies' items
only; every action is checked again by its service.
"""

from __future__ import annotations

from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import NoMatchFound, Route

from participation.accounts.principal import Principal
from participation.errors import Conflict, Forbidden, Invalid, NotFound
from participation.forms import FormModel, bind
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext
from participation.moderation import appeals, queries, services, suspensions
from participation.moderation.forms import (
    AppealInput,
    ApproveInput,
    CampaignInput,
    DecisionInput,
    HideInput,
    LiftInput,
    RestoreInput,
    SuspendInput,
    TargetFlagInput,
)
from participation.moderation.models import FlagReason
from participation.moderation.targets import (
    Link,
    moderated,
    moderation_hosts,
    space_hosts,
)
from participation.organisations.models import Role
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
KIND_LABELS = {
    "comment": lazy_gettext("Comment"),
    "petition": lazy_gettext("Petition"),
}
MIN_COPIES = 3  # a group of near copies this big is a possible campaign
CAMPAIGNS = 20

F = TypeVar("F", bound=FormModel)


def _moderator(request: Request) -> Principal:
    p = require_user(request)
    if not p.is_any_moderator:
        raise Forbidden(_("Only moderators can do this."))
    return p


def _scope(p: Principal) -> set[int] | None:
    """The bodies whose items this moderator works on; None: every body."""
    return None if p.is_global_moderator else p.body_ids(Role.MODERATOR)


def _url(request: Request, link: Link | None) -> str | None:
    if link is None:
        return None
    try:
        return str(request.url_for(link[0], **link[1]))
    except NoMatchFound:
        return None


async def _mine(
    request: Request, p: Principal, items: list[queries.QueueItem]
) -> list[queries.QueueItem]:
    """The items this moderator may act on (checked again with their hosts for a body
    moderator), with what each says, where, and a link to it."""
    if not p.is_global_moderator:
        allowed = []
        for item in items:
            found = await moderated(item.target_type, item.target_id)
            if found is not None and p.can_moderate(found.body_ids):
                allowed.append(item)
        items = allowed
    for target_type, host in moderation_hosts().items():
        said = await host.describe([i.target_id for i in items if i.target_type == target_type])
        for i in items:
            d = said.get(i.target_id) if i.target_type == target_type else None
            if d is not None:
                i.excerpt, i.author_name, i.context = d.excerpt, d.author_name, d.context
                i.parent_excerpt, i.link = d.parent_excerpt, d.link
    return items


async def _campaigns(p: Principal) -> list[queries.CampaignRow]:
    """Groups of near-duplicate comments (possible campaigns), each one row, with where their
    representative was said; a body moderator sees those of their bodies' spaces only."""
    allowed = None if p.is_global_moderator else p.can_moderate
    rows = await queries.campaigns(allowed, MIN_COPIES, CAMPAIGNS)
    said = await moderation_hosts()["comment"].describe([r.representative_id for r in rows])
    for r in rows:
        d = said.get(r.representative_id)
        if d is not None:
            r.excerpt, r.context, r.link = d.excerpt, d.context, d.link
    return rows


async def _appeals(request: Request, p: Principal) -> list[dict[str, Any]]:
    """Open appeals this moderator may decide (not on what they hid), theirs first."""
    out = []
    for a in await queries.open_appeals():
        if p.id in (a.hidden_by_id, a.author_id):
            continue
        found = await moderated(a.target_type, a.target_id)
        if found is None or not p.can_moderate(found.body_ids):
            continue
        described = await moderation_hosts()[a.target_type].describe([a.target_id])
        d = described.get(a.target_id)
        out.append({
            "appeal": a, "mine": a.assigned_to_id == p.id, "excerpt": d.excerpt if d else "",
            "context": d.context if d else "", "url": _url(request, d.link if d else None),
        })  # fmt: skip
    out.sort(key=lambda x: (not x["mine"], x["appeal"].id))  # type: ignore[attr-defined]
    return out


async def queue(request: Request) -> Response:
    p = _moderator(request)
    scope = _scope(p)
    items = await _mine(request, p, await queries.queue(scope))
    hidden = await _mine(request, p, await queries.recently_hidden(scope))
    campaigns = await _campaigns(p)
    return render(request, "moderation/queue.html", {
        "items": items, "hidden": hidden, "campaigns": campaigns,
        "appeals": await _appeals(request, p), "queue_size": await queries.queue_size(scope),
        "reasons": REASON_LABELS, "kinds": KIND_LABELS,
        "links": {(i.target_type, i.target_id): _url(request, i.link) for i in items + hidden},
        "campaign_links": {c.group_id: _url(request, c.link) for c in campaigns},
        "can_suspend": suspensions.can_suspend(p),
    })  # fmt: skip


async def _input(request: Request, model: type[F]) -> F:
    """The submitted form; a form that did not come from our pages is a 400 with the first
    problem found."""
    form = bind(model, await read_form(request))
    if not form.validate():
        field, message = next(iter(form.errors.items()))
        raise Invalid(message, field)
    return form.data


def _settings(request: Request) -> Any:
    return request.app.state.settings


def _back(request: Request) -> Response:
    return redirect(request.url_for("moderation:queue"))


async def approve(request: Request) -> Response:
    p = _moderator(request)
    data = await _input(request, ApproveInput)
    await services.approve(p, data.target_type, data.target_id, data.note,
                           base_url=_settings(request).base_url)  # fmt: skip
    flash(request, _("Approved: it is shown and its reports are cleared. The action is "
                     "recorded in the audit log."), "success")  # fmt: skip
    return _back(request)


async def hide(request: Request) -> Response:
    p = _moderator(request)
    data = await _input(request, HideInput)
    await services.hide(p, data.target_type, data.target_id, data.reason, data.note,
                        base_url=_settings(request).base_url)  # fmt: skip
    flash(request, _("Hidden. The author is told why; the action is recorded in the audit "
                     "log."), "success")  # fmt: skip
    return _back(request)


async def restore(request: Request) -> Response:
    p = _moderator(request)
    data = await _input(request, RestoreInput)
    await services.restore(p, data.target_type, data.target_id, data.note)
    flash(request, _("Shown again. The action is recorded in the audit log."), "success")
    return _back(request)


async def hide_campaign(request: Request) -> Response:
    p = _moderator(request)
    data = await _input(request, CampaignInput)
    n = await services.hide_campaign(p, data.group_id, data.reason, data.note,
                                     base_url=_settings(request).base_url)  # fmt: skip
    flash(request, _("%(n)s copies hidden. The action is recorded in the audit log.", n=n),
          "success")  # fmt: skip
    return _back(request)


# ---- reporting ------------------------------------------------------------------------------


def _safe_next(raw: str) -> str | None:
    if raw.startswith("/") and not raw.startswith(("//", "/\\")):
        return raw
    return None


async def flag(request: Request) -> Response:
    """Report any item; back to the page it was on, with the answer flashed."""
    p = require_user(request)
    form = bind(TargetFlagInput, await read_form(request))
    valid = form.validate()
    if not valid and {"target_type", "target_id"} & set(form.errors):
        raise NotFound(_("We could not find what you are reporting."))
    target_type = form.value("target_type")
    target_id = int(form.value("target_id"))  # valid: checked above
    item = moderation_hosts().get(target_type)
    described = await item.describe([target_id]) if item is not None else {}
    d = described.get(target_id)
    if d is None:
        raise NotFound(_("We could not find what you are reporting."))
    back = _safe_next(form.value("next")) or _url(request, d.link) or "/"
    if not valid:
        flash(request, next(iter(form.errors.values())), "error")
        return redirect(back)
    data = form.data
    try:
        await services.flag(p, target_type, target_id, data.reason, data.note)
    except (Invalid, Conflict) as exc:
        flash(request, exc.message, "error")
    else:
        flash(request, _("Thank you. A moderator will look at it."), "success")
    return redirect(back)


# ---- appeals --------------------------------------------------------------------------------


async def appeal(request: Request) -> Response:
    """The author of a hidden item: what it said, why it is hidden, the appeal (once)."""
    p = require_user(request)
    target_type = request.path_params["target_type"]
    target_id = request.path_params["target_id"]
    item = await moderated(target_type, target_id)
    if item is None or item.author_id is None or item.author_id != p.id:
        raise NotFound(_("We could not find this item."))
    form = bind(AppealInput)
    status = 200
    if request.method == "POST":
        form = bind(AppealInput, await read_form(request))
        if form.validate():
            try:
                await appeals.appeal(p, target_type, target_id, form.data.text,
                                     base_url=_settings(request).base_url)  # fmt: skip
            except Invalid as exc:
                form.error(exc.field or "text", exc.message)
            else:
                flash(request, _("Your appeal is sent to another moderator. We will e-mail you "
                                 "the decision."), "success")  # fmt: skip
                return redirect(request.url_for("moderation:appeal", target_type=target_type,
                                                target_id=target_id))  # fmt: skip
        status = 400
    state = await queries.state_of(target_type, target_id)
    host = moderation_hosts()[target_type]
    described = (await host.describe([target_id])).get(target_id)
    return render(request, "moderation/appeal.html", {
        "form": form, "state": state, "text": await host.own_text(target_id),
        "appeal": await queries.appeal_of(target_type, target_id), "reasons": REASON_LABELS,
        "kind": KIND_LABELS.get(target_type, ""),
        "url": _url(request, described.link if described else None),
    }, status_code=status)  # fmt: skip


async def decide(request: Request) -> Response:
    p = _moderator(request)
    data = await _input(request, DecisionInput)
    await appeals.decide(p, request.path_params["appeal_id"], data.decision, data.note,
                         base_url=_settings(request).base_url)  # fmt: skip
    flash(request, _("The appeal is decided; its author is told. The action is recorded in the "
                     "audit log."), "success")  # fmt: skip
    return _back(request)


# ---- suspensions ----------------------------------------------------------------------------


def _suspender(request: Request) -> Principal:
    p = require_user(request)
    if not suspensions.can_suspend(p):
        raise Forbidden(_("Only global moderators and administrators can suspend people."))
    return p


async def suspended(request: Request) -> Response:
    _suspender(request)
    return render(request, "moderation/suspensions.html", {
        "people": await queries.suspended_people(),
    })  # fmt: skip


async def suspend(request: Request) -> Response:
    p = _suspender(request)
    person = await queries.person(request.path_params["user_id"])
    if person is None:
        raise NotFound(_("We could not find this person."))
    form = bind(SuspendInput, {"days": "7"})
    status = 200
    if request.method == "POST":
        form = bind(SuspendInput, await read_form(request))
        if form.validate():
            try:
                await suspensions.suspend(p, person.id, form.data.days, form.data.reason,
                                          base_url=_settings(request).base_url)  # fmt: skip
            except Invalid as exc:
                form.error(exc.field or "reason", exc.message)
            else:
                flash(request, _("The person is suspended from taking part and told why. The "
                                 "action is recorded in the audit log."), "success")  # fmt: skip
                return redirect(request.url_for("moderation:suspensions"))
        status = 400
    return render(request, "moderation/suspend.html", {"person": person, "form": form},
                  status_code=status)  # fmt: skip


async def lift(request: Request) -> Response:
    p = _suspender(request)
    data = await _input(request, LiftInput)
    await suspensions.lift(p, request.path_params["user_id"], data.note)
    flash(request, _("The suspension is lifted. The action is recorded in the audit log."),
          "success")  # fmt: skip
    return redirect(request.url_for("moderation:suspensions"))


# ---- the public record ----------------------------------------------------------------------


async def _space_info(space_type: str, space_id: int) -> Any:
    host = space_hosts().get(space_type)
    return await host.describe(space_id) if host is not None else None


async def record_index(request: Request) -> Response:
    spaces = []
    for row in await queries.spaces_with_hidden():
        info = await _space_info(row["space_type"], row["space_id"])
        if info is not None:
            spaces.append({**row, "name": info.name})
    return render(request, "moderation/record_index.html", {"spaces": spaces})


async def record(request: Request) -> Response:
    space_type, space_id = request.path_params["space_type"], request.path_params["space_id"]
    info = await _space_info(space_type, space_id)
    if info is None:
        raise NotFound(_("We could not find this page."))
    return render(request, "moderation/record.html", {
        "space": info, "space_url": _url(request, info.link),
        "record": await queries.space_record(space_type, space_id), "reasons": REASON_LABELS,
    })  # fmt: skip


routes = [
    Route("/", queue, name="queue"),
    Route("/approve", approve, methods=["POST"], name="approve"),
    Route("/hide", hide, methods=["POST"], name="hide"),
    Route("/restore", restore, methods=["POST"], name="restore"),
    Route("/hide-campaign", hide_campaign, methods=["POST"], name="hide_campaign"),
    Route("/flag", flag, methods=["POST"], name="flag"),
    Route(
        "/appeal/{target_type}/{target_id:bigid}", appeal, methods=["GET", "POST"], name="appeal"
    ),  # fmt: skip
    Route("/appeals/{appeal_id:bigid}/decide", decide, methods=["POST"], name="decide"),
    Route("/suspensions", suspended, name="suspensions"),
    Route("/people/{user_id:int}/suspend", suspend, methods=["GET", "POST"], name="suspend"),
    Route("/people/{user_id:int}/lift", lift, methods=["POST"], name="lift"),
    Route("/record", record_index, name="record_index"),
    Route("/record/{space_type}/{space_id:int}", record, name="record"),
]
