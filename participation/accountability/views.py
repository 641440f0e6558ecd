"""Accountability pages: responses ("we asked, you said, we did"), commitments, the public
list of overdue answers, and the officials' forms. Each state change: fetch scoped (404) ->
permission -> one service call -> 303."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.accountability import forms, queries, services
from participation.accountability import permissions as perms
from participation.accountability.deadlines import State, standing
from participation.accountability.forms import field_name
from participation.accountability.models import CommitmentStatus, Decision
from participation.accountability.scoreboard_views import routes as scoreboard_routes
from participation.accountability.targets import Part, find_host, load_target
from participation.errors import DomainError
from participation.forms import BoundForm, bind, parse_int
from participation.i18n import LANGUAGE_NAMES, LOCALES
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from participation.i18n.content import Translated, pick
from participation.organisations import queries as body_queries
from participation.web.auth import principal, require_user
from participation.web.caching import for_everyone
from participation.web.errors import Refused, status_of
from participation.web.forms import read_form
from participation.web.templating import flash, redirect, render

DECISION_LABELS = {
    Decision.CHANGED.value: _l("Changed as people asked"),
    Decision.KEPT.value: _l("Kept as it was"),
    Decision.DROPPED.value: _l("Dropped"),
    Decision.STUDY.value: _l("To be studied further"),
}
STATUS_LABELS = {
    CommitmentStatus.PLANNED.value: _l("Planned"),
    CommitmentStatus.IN_PROGRESS.value: _l("In progress"),
    CommitmentStatus.DONE.value: _l("Done"),
    CommitmentStatus.DROPPED.value: _l("Dropped"),
}
STATE_LABELS = {
    State.DUE.value: _l("Response due"),
    State.ON_TIME.value: _l("Answered on time"),
    State.LATE.value: _l("Answered late"),
    State.OVERDUE.value: _l("Overdue"),
}
LABELS = {"decisions": DECISION_LABELS, "statuses": STATUS_LABELS, "states": STATE_LABELS}


def now() -> datetime:
    return datetime.now(UTC)


def _forbid() -> Refused:
    return Refused(403, _("You are not allowed to do this."))


def _id(request: Request, name: str) -> int:
    n = parse_int(request.path_params[name], low=1)
    if n is None:
        raise HTTPException(404)
    return n


def _refused(form: BoundForm[Any], exc: DomainError) -> None:
    """A refusal about a field goes next to it; any other is the error page."""
    if exc.field is None or status_of(exc) != 400:
        raise exc
    form.error(exc.field, exc.message)


def _title(texts: dict[str, str], original: str) -> Translated:
    return pick({loc: {"title": t} for loc, t in texts.items()}, original, "title")


def _language_options() -> list[tuple[str, str, str]]:
    return [(code, LANGUAGE_NAMES[code], code) for code in LOCALES]


async def _target_info(request: Request, target_type: str, target_id: int) -> dict[str, Any]:
    """Title and address of what a response answers (empty when it is gone or not public)."""
    host = find_host(target_type)
    target = await host.load(target_id) if host is not None else None
    if host is None or target is None:
        return {"title": None, "url": None}
    title = _title(await host.title(target), host.original_locale(target))
    return {"title": title, "url": host.url(request, target), "type": target_type}


async def _body(body_id: int) -> Any:
    return await body_queries.body_by_id(body_id)


async def _bodies(ids: list[int]) -> dict[int, Any]:
    """The bodies of a list's rows, in one query."""
    return {b.id: b for b in await body_queries.bodies_by_ids(sorted(set(ids)))}


# ---- on the pages of what is answered ----------------------------------------------------------


async def panel_context(request: Request, target_type: str, target_id: int) -> dict[str, Any]:
    """The context of ``accountability/_panel.html`` on a host's page (a consultation, a
    section, a petition): what is owed and where it stands, the response, the commitments
    that answer this target, and for a publisher who owes it the link to respond."""
    panel = await for_everyone(  # every reader shares one reading for a few seconds
        request, ("accountability-panel", target_type, target_id),
        lambda: queries.panel(target_type, target_id, now()),
    )  # fmt: skip
    respond_url = None
    ob = panel.obligation
    if ob is not None and panel.response is None and ob.answered_at is None:
        if perms.can_respond(principal(request), [ob.body_id]):
            respond_url = request.url_for("accountability:respond", target_type=target_type,
                                          target_id=target_id)  # fmt: skip
    return {"accountability": panel, "accountability_labels": LABELS,
            "accountability_respond": respond_url}  # fmt: skip


# ---- public lists -----------------------------------------------------------------------------


async def index(request: Request) -> Response:
    """The latest responses, and the answers owed soonest."""
    moment = now()
    rows = []
    responses = await queries.recent_responses(30)
    bodies = await _bodies([r.body_id for r in responses])
    owed = await queries.obligations_of([(r.target_type, r.target_id) for r in responses])
    for r in responses:
        ob = owed.get((r.target_type, r.target_id))
        rows.append({
            "response": r, "target": await _target_info(request, r.target_type, r.target_id),
            "body": bodies.get(r.body_id),
            "standing": standing(ob.due_at, ob.answered_at, moment) if ob else None,
        })  # fmt: skip
    overdue = await queries.overdue(moment)
    return render(request, "accountability/index.html", {
        "rows": rows, "overdue_count": len(overdue), "labels": LABELS,
    })  # fmt: skip


async def overdue(request: Request) -> Response:
    """Every answer owed whose deadline has passed, longest overdue first."""
    moment = now()
    rows = []
    owed = await queries.overdue(moment)
    bodies = await _bodies([ob.body_id for ob in owed])
    for ob in owed:
        rows.append({
            "obligation": ob, "target": await _target_info(request, ob.target_type, ob.target_id),
            "body": bodies.get(ob.body_id), "standing": standing(ob.due_at, None, moment),
        })  # fmt: skip
    return render(request, "accountability/overdue.html", {"rows": rows, "labels": LABELS})


# ---- responses --------------------------------------------------------------------------------


def _part_rows(parts: list[Part], form: BoundForm[Any] | None) -> list[dict[str, Any]]:
    return [
        {"key": services.part_key(p.target_type, p.target_id), "part": p,
         "title": _title(p.title, p.original_locale),
         "names": {k: field_name(k, services.part_key(p.target_type, p.target_id))
                   for k in ("decision", "said", "why")}}
        for p in parts
    ]  # fmt: skip


def _part_texts(data: forms.ResponseInput) -> dict[str, services.PartText]:
    return {
        key: services.PartText(Decision(v["decision"]) if v["decision"] else None,
                               v["said"], v["why"])
        for key, v in data.parts.items()
    }  # fmt: skip


async def respond(request: Request) -> Response:
    """A publisher of an owning body writes the response owed on a target, in one language."""
    p = require_user(request)
    target_type = request.path_params["target_type"]
    target_id = _id(request, "target_id")
    if find_host(target_type) is None:
        raise HTTPException(404)
    existing = await queries.response_for(target_type, target_id)
    target, parts = await services.response_form_parts(p, target_type, target_id)
    if existing is not None:
        return redirect(request.url_for("accountability:response", response_id=existing.id))
    keys = [services.part_key(x.target_type, x.target_id) for x in parts]
    host = find_host(target_type)
    assert host is not None
    status = 200
    if request.method == "POST":
        form = bind(forms.ResponseInput, await read_form(request), keys=keys)
        if form.validate():
            try:
                r = await services.publish_response(
                    p, target_type, target_id, locale=form.data.locale,
                    summary=form.data.summary, parts=_part_texts(form.data),
                )  # fmt: skip
            except DomainError as exc:
                _refused(form, exc)
            else:
                flash(request, _("The response is published, and who asked to be told is told."),
                      "success")  # fmt: skip
                return redirect(request.url_for("accountability:response", response_id=r.id))
        status = 400
    else:
        form = bind(forms.ResponseInput, {"locale": host.original_locale(target)})
    said = await host.said(target)
    return render(request, "accountability/respond.html", {
        "form": form, "parts": _part_rows(parts, form), "said": said, "translating": False,
        "target": await _target_info(request, target_type, target_id),
        "action": request.url_for("accountability:respond", target_type=target_type,
                                  target_id=target_id),
        "languages": _language_options(), "labels": LABELS,
    }, status_code=status)  # fmt: skip


async def _response_or_404(request: Request) -> Any:
    r = await queries.response(_id(request, "response_id"))
    if r is None or find_host(r.target_type) is None:
        raise HTTPException(404)
    return r


async def response_view(request: Request) -> Response:
    return await response_page(request)


async def response_page(
    request: Request, debate_form: BoundForm[Any] | None = None, status_code: int = 200
) -> Response:
    r = await _response_or_404(request)
    p = principal(request)
    target = await _target_info(request, r.target_type, r.target_id)
    host = find_host(r.target_type)
    loaded = await host.load(r.target_id) if host is not None else None
    parts = await host.parts(loaded) if host is not None and loaded is not None else []
    report_url = host.report_url(request, loaded) if host and loaded is not None else None
    titles = {services.part_key(x.target_type, x.target_id): _title(x.title, x.original_locale)
              for x in parts}  # fmt: skip
    commitments = await queries.commitments_of_response(r.id)
    by_part: dict[str, list[Any]] = {}
    by_id = {c.id: c for c in commitments}
    for link in await queries.links_of(list(by_id)):
        by_part.setdefault(services.part_key(link.target_type, link.target_id), []).append(
            by_id[link.commitment_id]
        )
    rows = [
        {"part": part, "title": titles.get(services.part_key(part.target_type, part.target_id)),
         "commitments": by_part.get(services.part_key(part.target_type, part.target_id), [])}
        for part in await queries.parts(r.id)
    ]  # fmt: skip
    ob = await queries.obligation(r.target_type, r.target_id)
    return render(request, "accountability/response.html", {
        "r": r, "target": target, "rows": rows, "commitments": commitments,
        "body": await _body(r.body_id), "obligation": ob,
        "standing": standing(ob.due_at, ob.answered_at, now()) if ob else None,
        "can_act": perms.can_speak_for(p, r.body_id), "labels": LABELS,
        "languages": _language_options(), "report_url": report_url,
        "debate_form": debate_form or bind(forms.DebateInput, {"locale": r.original_locale}),
    }, status_code=status_code)  # fmt: skip


async def translate(request: Request) -> Response:
    """Add or correct a response's texts in another language."""
    p = require_user(request)
    r = await _response_or_404(request)
    if not perms.can_speak_for(p, r.body_id):
        raise _forbid()
    host, target = await load_target(r.target_type, r.target_id)
    parts = await host.parts(target)
    keys = [services.part_key(x.target_type, x.target_id) for x in parts]
    status = 200
    if request.method == "POST":
        form = bind(forms.ResponseInput, await read_form(request), keys=keys, translating=True)
        if form.validate():
            await services.translate_response(p, r, locale=form.data.locale,
                                              summary=form.data.summary,
                                              parts=_part_texts(form.data))  # fmt: skip
            flash(request, _("The translation is saved."), "success")
            return redirect(request.url_for("accountability:response", response_id=r.id))
        status = 400
    else:
        locale = request.query_params.get("locale", "")
        locale = locale if locale in LOCALES else next(
            (x for x in LOCALES if x not in r.available_locales()), r.original_locale)  # fmt: skip
        values = {"locale": locale, "summary": (r.i18n.get(locale) or {}).get("summary", "")}
        for part in await queries.parts(r.id):
            key = services.part_key(part.target_type, part.target_id)
            for name in ("said", "why"):
                values[field_name(name, key)] = (part.i18n.get(locale) or {}).get(name, "")
        form = bind(forms.ResponseInput, values, keys=keys, translating=True)
    return render(request, "accountability/respond.html", {
        "form": form, "parts": _part_rows(parts, form), "said": None, "translating": True,
        "target": await _target_info(request, r.target_type, r.target_id), "r": r,
        "action": request.url_for("accountability:translate", response_id=r.id),
        "languages": _language_options(), "labels": LABELS,
    }, status_code=status)  # fmt: skip


async def debate(request: Request) -> Response:
    """Record the debate held on what a response answers."""
    p = require_user(request)
    r = await _response_or_404(request)
    if not perms.can_speak_for(p, r.body_id):
        raise _forbid()
    form = bind(forms.DebateInput, await read_form(request))
    if form.validate():
        try:
            await services.record_debate(p, r, debate_at=form.data.debate_at, link=form.data.link,
                                         outcome=form.data.outcome, locale=form.data.locale)  # fmt: skip
        except DomainError as exc:
            _refused(form, exc)
        else:
            flash(request, _("The debate is recorded."), "success")
            return redirect(str(request.url_for("accountability:response", response_id=r.id))
                            + "#debate")  # fmt: skip
    return await response_page(request, form, 400)


async def commitment_new(request: Request) -> Response:
    """A publisher of the response's body makes a commitment from it."""
    p = require_user(request)
    r = await _response_or_404(request)
    if not perms.can_speak_for(p, r.body_id):
        raise _forbid()
    host, target = await load_target(r.target_type, r.target_id)
    parts = await host.parts(target)
    keys = [services.part_key(x.target_type, x.target_id) for x in parts]
    status = 200
    if request.method == "POST":
        form = bind(forms.CommitmentInput, await read_form(request), keys=keys)
        if form.validate():
            d = form.data
            try:
                c = await services.create_commitment(
                    p, r, locale=d.locale, title=d.title, description=d.description,
                    due_on=d.due_on, part_keys=d.parts, comment_ids=d.comments,
                )  # fmt: skip
            except DomainError as exc:
                _refused(form, exc)
            else:
                flash(request, _("The commitment is published."), "success")
                return redirect(request.url_for("accountability:commitment", commitment_id=c.id))
        status = 400
    else:
        form = bind(forms.CommitmentInput, {"locale": r.original_locale})
    return render(request, "accountability/commitment_new.html", {
        "form": form, "r": r, "parts": _part_rows(parts, None),
        "target": await _target_info(request, r.target_type, r.target_id),
        "languages": _language_options(),
    }, status_code=status)  # fmt: skip


# ---- commitments ------------------------------------------------------------------------------


async def _commitment_or_404(request: Request) -> Any:
    c = await queries.commitment(_id(request, "commitment_id"))
    if c is None:
        raise HTTPException(404)
    return c


async def _link_rows(request: Request, c: Any, r: Any) -> list[dict[str, Any]]:
    """What a commitment answers, each with a title and an address."""
    host = find_host(r.target_type)
    target = await host.load(r.target_id) if host is not None else None
    parts = {}
    if host is not None and target is not None:
        parts = {services.part_key(x.target_type, x.target_id): x for x in await host.parts(target)}
    rows = []
    for link in await queries.links(c.id):
        key = services.part_key(link.target_type, link.target_id)
        if link.target_type == "comment":
            rows.append({"type": "comment", "id": link.target_id, "title": None,
                         "url": request.url_for("comments:permalink", comment_id=link.target_id)})  # fmt: skip
        elif key in parts and host is not None:
            part = parts[key]
            rows.append({"type": link.target_type, "id": link.target_id,
                         "position": part.position,
                         "title": _title(part.title, part.original_locale),
                         "url": host.part_url(request, target, part)})  # fmt: skip
        elif find_host(link.target_type) is not None:
            rows.append({"type": link.target_type, "id": link.target_id,
                         **await _target_info(request, link.target_type, link.target_id)})  # fmt: skip
    return rows


async def commitment_page(
    request: Request, *, update_form: BoundForm[Any] | None = None,
    milestone_form: BoundForm[Any] | None = None, text_form: BoundForm[Any] | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    c = await _commitment_or_404(request)
    p = principal(request)
    r = await queries.response(c.response_id)
    if r is None:
        raise HTTPException(404)
    can_act = perms.can_speak_for(p, c.body_id)
    if can_act:
        update_form = update_form or bind(forms.UpdateInput, {
            "locale": c.original_locale, "status": c.status.value, "progress": c.progress})  # fmt: skip
        milestone_form = milestone_form or bind(
            forms.MilestoneInput, {"milestone_locale": c.original_locale}
        )
        missing = next((x for x in LOCALES if x not in c.available_locales()), c.original_locale)
        text_form = text_form or bind(forms.CommitmentTextInput, {"text_locale": missing})
    today = now().date()
    late = (
        c.due_on is not None
        and c.status not in (CommitmentStatus.DONE, CommitmentStatus.DROPPED)
        and c.due_on < today
    )
    return render(request, "accountability/commitment.html", {
        "c": c, "r": r, "body": await _body(c.body_id),
        "target": await _target_info(request, r.target_type, r.target_id),
        "links": await _link_rows(request, c, r), "milestones": await queries.milestones(c.id),
        "updates": await queries.updates(c.id), "late": late, "today": today,
        "following": p.authenticated and await queries.is_following(c.id, p.id or 0),
        "can_act": can_act, "can_follow": perms.can_follow(p), "labels": LABELS,
        "signed_in": p.authenticated,
        "update_form": update_form, "milestone_form": milestone_form, "text_form": text_form,
        "languages": _language_options(), "statuses": list(STATUS_LABELS.items()),
    }, status_code=status_code)  # fmt: skip


async def commitment_view(request: Request) -> Response:
    return await commitment_page(request)


async def _acting(request: Request) -> tuple[Any, Any]:
    p = require_user(request)
    c = await _commitment_or_404(request)
    if not perms.can_speak_for(p, c.body_id):
        raise _forbid()
    return p, c


def _back(request: Request, c: Any, anchor: str = "") -> Response:
    return redirect(str(request.url_for("accountability:commitment", commitment_id=c.id)) + anchor)


async def commitment_update(request: Request) -> Response:
    p, c = await _acting(request)
    form = bind(forms.UpdateInput, await read_form(request))
    if form.validate():
        d = form.data
        try:
            await services.update_commitment(p, c, status=CommitmentStatus(d.status),
                                             progress=d.progress, text=d.text, reason=d.reason,
                                             locale=d.locale)  # fmt: skip
        except DomainError as exc:
            _refused(form, exc)
        else:
            flash(request, _("The update is published, and the followers are told."), "success")
            return _back(request, c, "#history")
    return await commitment_page(request, update_form=form, status_code=400)


async def commitment_translate(request: Request) -> Response:
    p, c = await _acting(request)
    form = bind(forms.CommitmentTextInput, await read_form(request))
    if form.validate():
        d = form.data
        await services.translate_commitment(p, c, locale=d.text_locale, title=d.text_title,
                                            description=d.text_description)  # fmt: skip
        flash(request, _("The translation is saved."), "success")
        return _back(request, c)
    return await commitment_page(request, text_form=form, status_code=400)


async def milestone_add(request: Request) -> Response:
    p, c = await _acting(request)
    form = bind(forms.MilestoneInput, await read_form(request))
    if form.validate():
        d = form.data
        await services.add_milestone(p, c, locale=d.milestone_locale, title=d.milestone_title,
                                     due_on=d.milestone_due_on)  # fmt: skip
        flash(request, _("The milestone is added."), "success")
        return _back(request, c, "#milestones")
    return await commitment_page(request, milestone_form=form, status_code=400)


async def milestone_done(request: Request) -> Response:
    p, c = await _acting(request)
    m = await queries.milestone(_id(request, "milestone_id"))
    if m is None or m.commitment_id != c.id:
        raise HTTPException(404)
    form = bind(forms.MilestoneDoneInput, await read_form(request))
    done_on: date = form.data.done_on if form.validate() else now().date()
    await services.reach_milestone(p, m, done_on=done_on)
    flash(request, _("The milestone is marked as reached."), "success")
    return _back(request, c, "#milestones")


async def follow(request: Request) -> Response:
    p = require_user(request)
    c = await _commitment_or_404(request)
    await services.follow_commitment(p, c, True)
    flash(request, _("You follow this commitment: its updates will come by e-mail."), "success")
    return _back(request, c)


async def unfollow(request: Request) -> Response:
    p = require_user(request)
    c = await _commitment_or_404(request)
    await services.follow_commitment(p, c, False)
    flash(request, _("You no longer follow this commitment."), "success")
    return _back(request, c)


routes = [
    *scoreboard_routes,
    Route("/", index, name="index"),
    Route("/overdue", overdue, name="overdue"),
    Route("/respond/{target_type}/{target_id}", respond, methods=["GET", "POST"], name="respond"),
    Route("/responses/{response_id}", response_view, name="response"),
    Route("/responses/{response_id}/translate", translate, methods=["GET", "POST"],
          name="translate"),
    Route("/responses/{response_id}/debate", debate, methods=["POST"], name="debate"),
    Route("/responses/{response_id}/commitments/new", commitment_new, methods=["GET", "POST"],
          name="commitment_new"),
    Route("/commitments/{commitment_id}", commitment_view, name="commitment"),
    Route("/commitments/{commitment_id}/update", commitment_update, methods=["POST"],
          name="commitment_update"),
    Route("/commitments/{commitment_id}/translate", commitment_translate, methods=["POST"],
          name="commitment_translate"),
    Route("/commitments/{commitment_id}/milestones", milestone_add, methods=["POST"],
          name="milestone_add"),
    Route("/commitments/{commitment_id}/milestones/{milestone_id}/done", milestone_done,
          methods=["POST"], name="milestone_done"),
    Route("/commitments/{commitment_id}/follow", follow, methods=["POST"], name="follow"),
    Route("/commitments/{commitment_id}/unfollow", unfollow, methods=["POST"], name="unfollow"),
]  # fmt: skip
