"""Petition pages. Each state change: fetch scoped (404) -> permission -> one service call ->
303. The signing POST is the hot path: a cached petition, form validation, one service call."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from participation.accountability.views import panel_context as accountability_panel
from participation.accounts.principal import Principal
from participation.errors import Invalid
from participation.forms import BoundForm, FormInput, bind, parse_int
from participation.i18n import LOCALES, get_locale, lazy_gettext, ngettext
from participation.i18n import gettext as _
from participation.organisations import queries as bodies
from participation.organisations.body_settings import settings_of
from participation.organisations.models import Body, Role
from participation.reports.rendering import bar_chart
from participation.web.auth import principal, require_user
from participation.web.caching import for_anonymous
from participation.web.errors import Refused
from participation.web.forms import read_form
from participation.web.templating import flash, redirect, render
from petitions import counting, forms, invalidations, lifecycle, queries, signing, summary
from petitions import permissions as perms
from petitions.models import Petition, Status
from petitions.regions import REGIONS, region_label

STATUS_LABELS = {
    Status.SPONSORING.value: lazy_gettext("Collecting sponsors"),
    Status.MODERATION.value: lazy_gettext("Waiting for moderation"),
    Status.OPEN.value: lazy_gettext("Open for signatures"),
    Status.REJECTED.value: lazy_gettext("Rejected"),
    Status.CLOSED.value: lazy_gettext("Closed"),
}


SEARCH_MAX = 200  # characters of a search that are read


def _forbid() -> Refused:
    return Refused(403, _("You are not allowed to do this."))


async def _find(request: Request) -> tuple[Petition, Body]:
    """The petition of the URL, whoever may see it; 404 when there is none."""
    p = await queries.petition_by_id(request.path_params["id"])
    if p is None:
        raise HTTPException(404)
    return p, await queries.body_of(p)


async def _load(request: Request) -> tuple[Petition, Body]:
    """The petition of the URL if this viewer may see it; 404 otherwise."""
    p, body = await _find(request)
    if not perms.can_view(principal(request), p, body.settings):
        raise HTTPException(404)
    return p, body


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _sign_defaults(p: Principal) -> FormInput:
    values: dict[str, list[str]] = {"opt_in": ["1"]}
    if p.user is not None:
        values.update(name=[p.user.display_name], email=[p.user.email])
    return FormInput(values)


async def _summary(petition_id: int) -> dict[str, Any] | None:
    snap = await summary.latest_summary(petition_id)
    return summary.present(snap) if snap else None


async def _detail_context(request: Request, p: Petition, body: Body) -> dict[str, Any]:
    viewer = principal(request)

    async def load() -> tuple[Any, Any]:
        obligation = await queries.obligation(p.id) if p.response_threshold_at else None
        sponsors = None
        if p.status == Status.SPONSORING:
            sponsors = await queries.confirmed_sponsors(p.id)
        return obligation, sponsors

    obligation, sponsors = await for_anonymous(request, ("petition-extra", p.id), load)
    rules = settings_of(body)
    is_creator = viewer.authenticated and viewer.id == p.creator_id
    return {
        "petition": p,
        "body": body,
        "status_label": STATUS_LABELS[p.status.value],
        "reject_label": forms.REJECT_LABELS.get(p.reject_reason.value) if p.reject_reason else None,
        "regions": REGIONS,
        "region_counts": sorted(
            ((region_label(k), v) for k, v in (p.region_counts or {}).items()),
            key=lambda kv: -kv[1],
        ),
        "obligation": obligation,
        "sponsors": sponsors,
        # held as suspect: kept, not counted until reviewed (kept on the row by the counter)
        "under_review": p.under_review if p.status in (Status.OPEN, Status.CLOSED) else 0,
        "sponsors_needed": request.app.state.settings.petition_sponsors_needed,
        "is_creator": is_creator,
        # what is pending, in plain words, for the creator only (never cached: signed in)
        "progress": await queries.progress(p.id) if is_creator else None,
        "moderation_days": lifecycle.OVERDUE_WORKING_DAYS,
        "can_moderate": perms.can_moderate(viewer, p, body.settings),
        "can_review": perms.can_review_signatures(viewer, p),
        "can_debate": perms.can_schedule_debate(viewer, p),
        "reject_reasons": list(forms.REJECT_LABELS.items()),
        "signed": request.query_params.get("signed"),
        "sign_form": bind(forms.SignInput, _sign_defaults(viewer)),
        "reject_form": None,
        "debate_form": None,
        "response_threshold": rules.petition_response_threshold,
        "daily_summary": await for_anonymous(
            request, ("petition-summary", p.id), lambda: _summary(p.id)
        ),  # fmt: skip
        "chart": bar_chart,
        "debate_threshold": rules.petition_debate_threshold,
        **await accountability_panel(request, "petition", p.id),
    }


# ---- public pages ---------------------------------------------------------------------------


async def list_view(request: Request) -> Response:
    q = request.query_params
    status = q.get("status", "open")
    if status not in ("open", "closed", "rejected"):
        status = "open"
    sort = "newest" if q.get("sort") == "newest" else "count"
    cursor = None
    raw = q.get("cursor", "")
    if "-" in raw:
        a, _sep, b = raw.partition("-")
        count, pid = parse_int(a), parse_int(b)
        if count is not None and pid is not None:
            cursor = (count, pid)
    body_id = parse_int(q.get("body"))
    search = " ".join(q.get("q", "").split())[:SEARCH_MAX]
    items, nxt = await queries.public_list(
        status=status, body_id=body_id, sort=sort, cursor=cursor, q=search
    )
    items = [p for p in items if not p.hidden]
    by_id = {b.id: b for b in await bodies.all_bodies()}
    return render(request, "petitions/list.html", {
        "items": items, "bodies": by_id, "status": status, "sort": sort, "body_id": body_id,
        "q": search, "next_cursor": f"{nxt[0]}-{nxt[1]}" if nxt else None,
        "status_labels": STATUS_LABELS,
    })  # fmt: skip


async def detail(request: Request) -> Response:
    # on the day a petition goes viral its page is read by everyone: anonymous readers share
    # one reading a second per process (participation/caching.py)
    p, body = await for_anonymous(request, ("petition", request.url.path), lambda: _find(request))
    if not perms.can_view(principal(request), p, body.settings):
        if not perms.is_hidden_publicly(p):
            raise HTTPException(404)
        # hidden by the moderation: like a hidden comment, a placeholder that says so and why
        # (no title, text or count); "not found" for machines, so it leaves search engines
        ctx = {"petition": p, "body": body}
        return render(request, "petitions/hidden.html", ctx, status_code=404)
    return render(request, "petitions/detail.html", await _detail_context(request, p, body))


async def count_json(request: Request) -> Response:
    """The count as JSON, cached for one counting interval (no per-request recount)."""
    p = await queries.petition_for_signing(request.path_params["id"])
    if p is None or p.status not in perms.PUBLIC_STATUSES or p.hidden:
        raise HTTPException(404)
    return JSONResponse(
        {"id": p.id, "status": p.status.value, "count": p.signature_count,
         "regions": p.region_counts or {},
         "counted_at": p.counted_at.isoformat() if p.counted_at else None},
        headers={"Cache-Control": f"public, max-age={counting.COUNT_INTERVAL_SECONDS}"},
    )  # fmt: skip


# ---- signing --------------------------------------------------------------------------------


async def _sign(
    request: Request, p: Petition, *, sponsor: bool
) -> tuple[BoundForm[forms.SignInput], str | None]:
    """Validate and sign; the form (with errors) and the answer to show."""
    form = bind(forms.SignInput, await read_form(request))
    if not form.validate():
        return form, None
    signer = signing.Signer(principal(request), _client_ip(request), get_locale())
    try:
        result = await signing.sign_petition(
            p, form.data, signer, sponsor=sponsor,
            sponsors_needed=request.app.state.settings.petition_sponsors_needed,
            limiter=request.app.state.limiter,
        )  # fmt: skip
    except Invalid as exc:
        form.error(exc.field or "email", exc.message)
        return form, None
    return form, result.value


async def sign(request: Request) -> Response:
    p = await queries.petition_for_signing(request.path_params["id"])
    if p is None or p.status not in perms.PUBLIC_STATUSES or p.hidden:
        raise HTTPException(404)
    if p.status != Status.OPEN:
        raise Refused(409, _("This petition is not open for signatures."))
    form, result = await _sign(request, p, sponsor=False)
    if result is None:
        p, body = await _load(request)
        ctx = await _detail_context(request, p, body)
        ctx["sign_form"] = form
        return render(request, "petitions/detail.html", ctx, status_code=400)
    # the petition's page is this address without "/sign" (no walk through the routes)
    page = request.scope["path"].removesuffix("/sign")
    return redirect(f"{page}?signed={result}#sign")


async def sponsor(request: Request) -> Response:
    """The creator's share link: sponsors sign here before the petition is moderated."""
    p = await queries.petition_by_id(request.path_params["id"])
    if p is None or p.sponsor_token != request.path_params["token"]:
        raise HTTPException(404)
    body = await queries.body_of(p)
    ctx: dict[str, Any] = {
        "petition": p, "body": body, "regions": REGIONS,
        "open": p.status == Status.SPONSORING,
        "sponsors": await queries.confirmed_sponsors(p.id),
        "sponsors_needed": request.app.state.settings.petition_sponsors_needed,
        "signed": request.query_params.get("signed"),
        "sign_form": bind(forms.SignInput, _sign_defaults(principal(request))),
    }  # fmt: skip
    if request.method == "POST":
        if p.status != Status.SPONSORING:
            raise Refused(409, _("This petition no longer needs sponsors."))
        form, result = await _sign(request, p, sponsor=True)
        if result is None:
            ctx["sign_form"] = form
            return render(request, "petitions/sponsor.html", ctx, status_code=400)
        url = request.url_for("petitions:sponsor", id=p.id, token=p.sponsor_token)
        return redirect(url.include_query_params(signed=result))
    return render(request, "petitions/sponsor.html", ctx)


async def confirm(request: Request) -> Response:
    settings = request.app.state.settings
    sig = await signing.confirm_signature(
        settings.secret_key, request.path_params["token"], settings.petition_sponsors_needed
    )
    if sig is None:
        return render(request, "petitions/confirmed.html", {"ok": False}, status_code=400)
    p = await queries.petition_by_id(sig.petition_id)
    return render(
        request, "petitions/confirmed.html", {"ok": True, "petition": p, "sponsor": sig.sponsor}
    )


# ---- creating -------------------------------------------------------------------------------


async def create(request: Request) -> Response:
    viewer = require_user(request)
    if not perms.can_create(viewer):
        raise Refused(403, _("Please confirm your e-mail address before starting a petition."))
    addressed = await bodies.all_bodies()
    user = viewer.user
    assert user is not None
    ctx: dict[str, Any] = {
        "body_options": [(str(b.id), str(b)) for b in addressed], "regions": REGIONS,
        "similar": None, "languages": [(loc, loc) for loc in LOCALES], "checked": False,
    }  # fmt: skip
    body_ids = {b.id for b in addressed}
    if request.method == "GET":
        initial = {
            "language": get_locale(),
            "region": "",
            "body_id": request.query_params.get("body", ""),
        }
        ctx["form"] = bind(forms.PetitionInput, initial, body_ids=body_ids)
        return render(request, "petitions/create.html", ctx)
    data = await read_form(request)
    form = ctx["form"] = bind(forms.PetitionInput, data, body_ids=body_ids)
    if not form.validate():
        return render(request, "petitions/create.html", ctx, status_code=400)
    if data.get("step") != "submit":
        # Before submitting: open petitions with similar titles.
        ctx["similar"] = await queries.similar_open(form.data.title)
        ctx["checked"] = True
        return render(request, "petitions/create.html", ctx)
    p = await lifecycle.create_petition(
        user.id, form.data, signer_name=user.display_name, signer_email=user.email
    )
    flash(request, _("Your petition is saved. Share the sponsor link to collect sponsors."))
    return redirect(request.url_for("petitions:detail", id=p.id))


# ---- moderation -----------------------------------------------------------------------------


async def _queue_scope(viewer: Principal) -> set[int] | None:
    """Bodies whose queue this viewer works on; None = all bodies."""
    if viewer.is_global_moderator:  # administrators are
        return None
    scope = viewer.body_ids(Role.MODERATOR)
    official_of = viewer.body_ids(Role.EDITOR, Role.PUBLISHER)
    if official_of:
        for b in await bodies.bodies_by_ids(sorted(official_of)):
            if perms.officials_moderate(b.settings):
                scope.add(b.id)
    return scope


async def moderation(request: Request) -> Response:
    viewer = require_user(request)
    scope = await _queue_scope(viewer)
    if scope is not None and not scope:
        raise _forbid()
    items = await queries.moderation_queue(scope)
    trending = await queries.trending(scope)
    held = await queries.held_for_review(scope)
    of_items = await queries.bodies_by_id({p.body_id for p in items + trending + held})
    suspects = await queries.suspect_counts([p.id for p in trending])
    return render(request, "petitions/moderation.html", {
        "items": [(p, lifecycle.is_overdue(p)) for p in items], "trending": trending,
        "held": held,
        "bodies": of_items, "suspects": suspects, "reject_reasons": list(forms.REJECT_LABELS.items()),
        "can_block": perms.can_manage_blocks(viewer),
    })  # fmt: skip


async def moderate(request: Request) -> Response:
    viewer = require_user(request)
    p, body = await _load(request)
    if not perms.can_moderate(viewer, p, body.settings):
        raise _forbid()
    if p.status != Status.MODERATION:
        raise Refused(409, _("This petition is not waiting for moderation."))
    data = await read_form(request)
    assert viewer.id is not None
    if data.get("decision") == "publish":
        await lifecycle.publish_petition(viewer.id, p.id)
        flash(request, _("The petition is published."))
        return redirect(request.url_for("petitions:detail", id=p.id))
    form = bind(forms.RejectInput, data)
    if not form.validate():
        ctx = await _detail_context(request, p, body)
        ctx["reject_form"] = form
        return render(request, "petitions/detail.html", ctx, status_code=400)
    await lifecycle.reject_petition(viewer.id, p.id, form.data)
    flash(request, _("The petition is rejected; the reason is shown on its page."))
    return redirect(request.url_for("petitions:moderation"))


async def _reviewer(request: Request) -> tuple[Principal, Petition, Body]:
    viewer = require_user(request)
    p, body = await _load(request)
    if not perms.can_review_signatures(viewer, p):
        raise _forbid()
    return viewer, p, body


# The wave rules' words (``participation.integrity.waves``), in plain words for moderators.
WAVE_RULES = {
    "ip": lazy_gettext("many signatures from one internet address"),
    "net": lazy_gettext("many signatures from one network"),
    "wide": lazy_gettext("many signatures from one provider's range of networks"),
    "domain": lazy_gettext("many signatures from one e-mail domain"),
    "ua": lazy_gettext("many signatures from one browser"),
    "region": lazy_gettext("many signatures from one region"),
    "generated": lazy_gettext("many addresses or names that look made by a program"),
    "mailbox": lazy_gettext("one mailbox written in many ways"),
    "period": lazy_gettext("signatures arriving at a regular pace"),
    "rate": lazy_gettext("one address signing again and again within minutes"),
}
WAVE_REASONS = {
    "generated addresses or names": lazy_gettext("addresses or names look made by a program"),
    "burst of generated addresses or names": lazy_gettext(
        "a burst of addresses or names that look made by a program"
    ),
    "one user agent": lazy_gettext("almost all from one browser, unlike the other signers"),
    "regular arrivals": lazy_gettext("they arrived too regularly for people"),
    "arrivals too regular for people": lazy_gettext("they arrived too regularly for people"),
    "addresses walked through a range": lazy_gettext(
        "internet addresses used one after the other through a range"
    ),
    "too many a minute for one address": lazy_gettext(
        "more signatures a minute from one address than a room of people makes"
    ),
    "sudden regional surge": lazy_gettext("a sudden surge from one region"),
    "far beyond its share of the traffic": lazy_gettext(
        "far more than its usual share of signatures"
    ),
    "one mailbox written many ways": lazy_gettext("one mailbox written in many ways"),
    "same address within minutes": lazy_gettext(
        "signed from an address that signed this petition more than once in a minute, or more"
        " than five times in five minutes"
    ),
}
OTHER_REASON = lazy_gettext("another sign of a program")


def wave_words(rule: str, reasons: list[str] | tuple[str, ...]) -> tuple[list[str], list[str]]:
    """A wave's rules and reasons as translated sentences (unknown words: a general one)."""
    rules = [str(WAVE_RULES.get(r, OTHER_REASON)) for r in rule.split("+") if r]
    said = [str(WAVE_REASONS.get(r, OTHER_REASON)) for r in reasons]
    return list(dict.fromkeys(rules)), list(dict.fromkeys(said))


def _groups(groups: list[queries.HeldGroup]) -> list[dict[str, Any]]:
    out = []
    for g in groups:
        rule = g.wave.rule if g.wave else "rate"
        reasons = g.wave.reasons if g.wave else [invalidations.RATE_REASON]
        rules, said = wave_words(rule, reasons)
        for sample in g.samples:
            sample["region_label"] = region_label(sample["region"]) if sample["region"] else ""
        out.append({"group": g, "id": g.wave.id if g.wave else invalidations.RATE_GROUP,
                    "rules": rules, "reasons": said})  # fmt: skip
    return out


async def review(
    request: Request, form: BoundForm[forms.InvalidationInput] | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    _viewer, p, body = await _reviewer(request)
    return render(request, "petitions/review.html", {
        "petition": p, "body": body, "groups": _groups(await queries.held_groups(p.id)),
        "invalidations": await queries.invalidations(p.id),
        "form": form or bind(forms.InvalidationInput),
    }, status_code=status_code)  # fmt: skip


async def decide_wave(request: Request) -> Response:
    """One act on a wave of held signatures: count them all or remove them all."""
    viewer, p, _body = await _reviewer(request)
    form = bind(forms.WaveDecisionInput, await read_form(request))
    if not form.validate():
        raise Refused(400, _("Choose whether to count or remove these signatures."))
    wid = parse_int(str(request.path_params["wid"]))
    if wid is None:
        raise HTTPException(404)
    # a wave the rules found, or the standing group of the per-address rule's holds
    wave = await queries.wave(p.id, wid) if wid != invalidations.RATE_GROUP else None
    if wave is None and wid != invalidations.RATE_GROUP:
        raise HTTPException(404)
    rules, said = wave_words(wave.rule if wave else "rate",
                             wave.reasons if wave else [invalidations.RATE_REASON])  # fmt: skip
    assert viewer.id is not None
    decision = invalidations.WaveDecision(form.data.decision)
    try:
        n = await invalidations.decide_wave(
            viewer.id, p.id, wid, decision, form.data.upto,
            reason=_("Removed as a wave: %(reasons)s", reasons="; ".join(rules + said)),
        )  # fmt: skip
    except Invalid as exc:
        raise Refused(404, exc.message) from None
    if decision == invalidations.WaveDecision.ACCEPT:
        done = ngettext("%(num)s signature now counts.", "%(num)s signatures now count.", n)
    else:
        done = ngettext("%(num)s signature was removed from the count.",
                        "%(num)s signatures were removed from the count.", n)  # fmt: skip
    flash(request, done, "success")
    return redirect(request.url_for("petitions:review", id=p.id))


async def invalidate(request: Request) -> Response:
    viewer, p, _body = await _reviewer(request)
    form = bind(forms.InvalidationInput, await read_form(request))
    if not form.validate():
        return await review(request, form, 400)
    assert viewer.id is not None
    inv = await invalidations.invalidate(viewer.id, p.id, form.data)
    flash(request, _("%(n)s signatures were removed from the count.", n=inv.affected))
    return redirect(request.url_for("petitions:review", id=p.id))


async def undo(request: Request) -> Response:
    viewer, p, _body = await _reviewer(request)
    inv = next(
        (i for i in await queries.invalidations(p.id) if i.id == request.path_params["iid"]), None
    )
    if inv is None:
        raise HTTPException(404)
    assert viewer.id is not None
    await invalidations.undo_invalidation(viewer.id, inv.id)
    flash(request, _("The signatures are restored to the count."))
    return redirect(request.url_for("petitions:review", id=p.id))


async def accept_suspects(request: Request) -> Response:
    viewer, p, _body = await _reviewer(request)
    form = bind(forms.SuspectsInput, await read_form(request))
    form.validate()  # boxes that are not ids are left out, never an error
    assert viewer.id is not None
    n = await invalidations.accept_suspects(viewer.id, p.id, form.data.id)
    flash(request, _("%(n)s signatures now count.", n=n))
    return redirect(request.url_for("petitions:review", id=p.id))


async def blocked(request: Request) -> Response:
    viewer = require_user(request)
    if not perms.can_manage_blocks(viewer):
        raise _forbid()
    form = bind(forms.BlockInput)
    status = 200
    if request.method == "POST":
        form = bind(forms.BlockInput, await read_form(request))
        if form.validate():
            assert viewer.id is not None
            await invalidations.block(viewer.id, form.data)
            flash(request, _("Blocked."))
            return redirect(request.url_for("petitions:blocked"))
        status = 400
    return render(request, "petitions/blocked.html", {
        "form": form, "domains": await queries.blocked_domains(),
        "networks": await queries.blocked_networks(),
    }, status_code=status)  # fmt: skip


async def unblock(request: Request) -> Response:
    viewer = require_user(request)
    if not perms.can_manage_blocks(viewer):
        raise _forbid()
    kind = request.path_params["kind"]
    if kind not in ("domain", "network"):
        raise HTTPException(404)
    assert viewer.id is not None
    if not await invalidations.unblock(viewer.id, kind, request.path_params["bid"]):
        raise HTTPException(404)
    flash(request, _("Unblocked."))
    return redirect(request.url_for("petitions:blocked"))


async def debate(request: Request) -> Response:
    viewer = require_user(request)
    p, body = await _load(request)
    if not perms.can_schedule_debate(viewer, p):
        raise _forbid()
    form = bind(forms.DebateInput, await read_form(request))
    if not form.validate():
        ctx = await _detail_context(request, p, body)
        ctx["debate_form"] = form
        return render(request, "petitions/detail.html", ctx, status_code=400)
    assert viewer.id is not None
    await lifecycle.schedule_debate(viewer.id, p.id, form.data)
    flash(request, _("The debate is scheduled; signers who asked for updates are told."))
    return redirect(request.url_for("petitions:detail", id=p.id))


routes = [
    Route("/", list_view, name="list"),
    Route("/new", create, methods=["GET", "POST"], name="create"),
    Route("/moderation", moderation, name="moderation"),
    Route("/moderation/blocked", blocked, methods=["GET", "POST"], name="blocked"),
    Route("/moderation/blocked/{kind}/{bid:int}/remove", unblock, methods=["POST"], name="unblock"),
    Route("/confirm/{token}", confirm, name="confirm"),
    Route("/{id:int}", detail, name="detail"),
    Route("/{id:int}/sign", sign, methods=["POST"], name="sign"),
    Route("/{id:int}/count.json", count_json, name="count"),
    Route("/{id:int}/sponsor/{token}", sponsor, methods=["GET", "POST"], name="sponsor"),
    Route("/{id:int}/moderate", moderate, methods=["POST"], name="moderate"),
    Route("/{id:int}/signatures", review, name="review"),
    Route("/{id:int}/invalidate", invalidate, methods=["POST"], name="invalidate"),
    Route("/{id:int}/invalidations/{iid:int}/undo", undo, methods=["POST"], name="undo"),
    Route("/{id:int}/suspects", accept_suspects, methods=["POST"], name="accept_suspects"),
    Route("/{id:int}/waves/{wid:int}", decide_wave, methods=["POST"], name="decide_wave"),
    Route("/{id:int}/debate", debate, methods=["POST"], name="debate"),
]
