"""Consultation pages: the portal list, a consultation, its sections, and the officials'
pages. Each state change: fetch scoped (404) -> permission -> one service call -> 303."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from consultations import forms, queries, report, services
from consultations import permissions as perms
from consultations.hosts import Target
from consultations.models import Consultation, OutcomeKind, QuestionKind, Section, Status
from participation.accountability.views import panel_context as accountability_panel
from participation.accounts.principal import Principal
from participation.comments import queries as comment_queries
from participation.comments import rendering as comment_rendering
from participation.errors import DomainError
from participation.forms import BoundForm, FormInput, bind, parse_int
from participation.i18n import LOCALES, get_locale
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from participation.i18n.formatting import local_input
from participation.organisations import queries as body_queries
from participation.organisations.models import Role
from participation.reports import queries as report_queries
from participation.reports.exports import stream_csv, stream_json
from participation.reports.pdf import report_pdf
from participation.reports.rendering import bar_boxes, bar_chart, scatter_chart
from participation.reports.services import read_export
from participation.storage import download_name, storage_for
from participation.votes import queries as vote_queries
from participation.web.auth import principal, require_user
from participation.web.caching import for_anonymous, for_everyone, prefetch_for_everyone
from participation.web.errors import Refused, status_of
from participation.web.forms import read_form
from participation.web.templating import flash, redirect, render, render_fragment

STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.SCHEDULED: _l("Scheduled"),
    Status.OPEN: _l("Open"),
    Status.CLOSED: _l("Closed"),
}


async def _load(request: Request) -> tuple[Consultation, list[int]]:
    """The consultation of the URL if this viewer may see it; 404 otherwise (drafts too)."""
    c = await queries.consultation_by_slug(request.path_params["slug"])
    if c is None:
        raise HTTPException(404)
    owners = await queries.owner_ids(c.id)
    if not perms.can_view(principal(request), c, owners):
        raise HTTPException(404)
    return c, owners


async def _section(c: Consultation, request: Request) -> Section:
    section = await queries.section_at(c.id, request.path_params["number"])
    if section is None:
        raise HTTPException(404)
    return section


async def _editable(request: Request) -> tuple[Principal, Consultation, list[int]]:
    """The signed-in official and the consultation they may edit (403 otherwise)."""
    p = require_user(request)
    c, owner_ids = await _load(request)
    if not perms.can_edit(p, c, owner_ids):
        raise _forbid()
    return p, c, owner_ids


def _back_to_edit(request: Request, c: Consultation, part: str) -> Response:
    return redirect(str(request.url_for("consultations:edit", slug=c.slug)) + "#" + part)


def _forbid() -> Refused:
    return Refused(403, _("You are not allowed to do this."))


def _refused(form: BoundForm[Any], exc: DomainError, field: str | None = None) -> None:
    """A service refused what the form asked: a refusal about a field (or, given ``field``,
    any invalid input) goes next to it and the form is shown again; any other refusal is the
    error page."""
    if exc.field is None and (field is None or status_of(exc) != 400):
        raise exc
    form.error(exc.field or field or "", exc.message)


def _local(value: datetime | None) -> str:
    return local_input(value)  # in the deployment's time zone, as the form reads it


def _i18n_input(i18n: dict[str, dict[str, str]], original: str, **extra: str) -> FormInput:
    values: dict[str, list[str]] = {"original_locale": [original]}
    for loc, fields in (i18n or {}).items():
        for name, text in fields.items():
            values[f"{name}_{loc}"] = [text]
    for k, v in extra.items():
        values[k] = [v]
    return FormInput(values)


def flags(p: Principal, c: Consultation, owners: list[int]) -> dict[str, bool]:
    return {
        "official": perms.is_owner_official(p, owners),
        "edit": perms.can_edit(p, c, owners),
        "publish": perms.can_publish(p, c, owners),
        "version": perms.can_publish_version(p, c, owners),
        "close_early": perms.can_close_early(p, c, owners),
        "extend": perms.can_extend(p, c, owners),
        "paper": perms.can_enter_paper(p, c, owners),
        "comment": perms.can_comment(p, c),
        "answer": perms.can_answer(p, c),
        "follow": perms.can_follow(p, c),
        "results": perms.can_see_results(p, c, owners),
        "outcome": perms.can_publish_outcome(p, c, owners),
    }


# ---- citizens ------------------------------------------------------------------------------


async def list_view(request: Request) -> Response:
    q = request.query_params
    bodies = await body_queries.all_bodies()
    by_slug = {b.slug: b for b in bodies}
    body = by_slug.get(q.get("body", ""))
    status = q.get("status", "")
    filters = queries.Filters(
        body_id=body.id if body else None,
        status=Status(status) if status in queries.PUBLIC_STATUSES else None,
        topic=q.get("topic", "")[:80],
        region=q.get("region", "")[:100],
        q=q.get("q", "")[:200],
    )
    items, next_cursor = await queries.list_consultations(
        filters, cursor=parse_int(q.get("cursor"))
    )
    owners = await queries.owners_by_consultation([c.id for c in items])
    topics, regions = await queries.topics_and_regions()
    p = principal(request)
    drafts = await queries.drafts_of(p.body_ids(Role.EDITOR, Role.PUBLISHER))
    next_url = None
    if next_cursor is not None:
        params = {k: v for k, v in q.items() if k not in ("cursor",) and v}
        next_url = request.url_for("consultations:list").include_query_params(
            **params, cursor=next_cursor
        )
    return render(request, "consultations/list.html", {
        "items": items, "owners": owners, "bodies": bodies, "topics": topics,
        "regions": regions, "filters": filters, "body_slug": body.slug if body else "",
        "next_url": next_url, "drafts": drafts, "status_labels": STATUS_LABELS,
        "can_create": p.is_any_official, "statuses": queries.PUBLIC_STATUSES,
    })  # fmt: skip


async def _comments_context(
    request: Request, target_type: str, target: Target, sort: str, cursor: str
) -> dict[str, Any]:
    if sort not in comment_queries.SORTS:
        sort = "newest"
    page = await comment_rendering.thread(
        target_type, target.id, settings=request.app.state.settings, sort=sort,
        cursor=cursor or None, limit=50, target=target,
    )  # fmt: skip
    return {"comments": page, "sort": sort, "sorts": comment_queries.SORTS}


async def _read(
    request: Request, part: str, load: Callable[[], Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    """``load()``, through the read cache for anonymous readers (a page's head, one per page
    and language; its comments are shared with every reader: ``_page``)."""
    return await for_anonymous(request, (part, request.url.path), load)


async def _page(request: Request, head: dict[str, Any], target_type: str) -> dict[str, Any]:
    """The head and the comments of a consultation or section page. The comment thread, its
    data and HTML, is the same for every reader: it is read and rendered once and shared by
    anonymous and signed-in readers through the read cache (one entry per sort and cursor);
    a signed-in reader's own part (their votes, what they may do, the comment form with their
    token) is filled into its slots (participation.comments.rendering), for one query."""

    def loader(sort: str, cursor: str) -> Callable[[], Awaitable[dict[str, Any]]]:
        async def load() -> dict[str, Any]:
            ctx = await _comments_context(request, target_type, head["target"], sort, cursor)
            page = ctx["comments"]
            ctx["shared_html"] = comment_rendering.render_shared(request, page)
            ctx["thread_html"] = comment_rendering.personalise(request, ctx["shared_html"],
                                                               page, None)  # fmt: skip
            return ctx

        return load

    q = request.query_params
    sort, cursor = q.get("sort", ""), q.get("cursor", "")
    key = ("comments", request.url.path)
    shared = await for_everyone(request, (*key, sort, cursor), loader(sort, cursor))
    following = shared["comments"]
    if following.next_cursor:  # "More comments" will find its page ready
        prefetch_for_everyone(request, (*key, following.sort, following.next_cursor),
                              loader(following.sort, following.next_cursor))  # fmt: skip
    ctx = {**head, **shared}
    p = principal(request)
    if not p.authenticated or p.id is None:
        ctx["target_vote"] = 0
        return ctx
    page, ctx["thread_html"], rights = await comment_rendering.for_reader(
        request, shared["comments"], shared["shared_html"], p,
        settings=request.app.state.settings, cursor=request.query_params.get("cursor") or None,
        limit=50, target=head["target"],
    )  # fmt: skip
    ctx["comments"] = page
    # their vote on the section came with their marks, unless the page was read for them alone
    ctx["target_vote"] = rights.target_vote if page is shared["comments"] and rights else None
    return ctx


async def detail(request: Request) -> Response:
    head = await _read(request, "head", lambda: _detail_head(request))
    ctx = await _page(request, head, "consultation")
    ctx.update(await accountability_panel(request, "consultation", head["c"].id))
    return render(request, "consultations/detail.html", ctx)


async def _detail(
    request: Request, answer_form: BoundForm[Any] | None = None, status: int = 200
) -> Response:
    ctx = await _page(request, await _detail_head(request, answer_form), "consultation")
    ctx.update(await accountability_panel(request, "consultation", ctx["c"].id))
    return render(request, "consultations/detail.html", ctx, status_code=status)


async def _detail_head(
    request: Request, answer_form: BoundForm[Any] | None = None
) -> dict[str, Any]:
    c, owner_ids = await _load(request)
    p = principal(request)
    sections = await queries.sections(c.id)
    counts = await queries.comment_counts("section", [s.id for s in sections])
    whole = await queries.comment_counts("consultation", [c.id])
    questions = await queries.questions(c.id)
    f = flags(p, c, owner_ids)
    mine = await queries.answer_set_of(c.id, p.id)
    results = None
    if questions and f["results"]:
        results = await queries.questionnaire_results(c.id)
    return {
        "c": c, "owners": await queries.owner_bodies(c.id), "sections": sections,
        "counts": counts, "whole_counts": whole.get(c.id), "questions": questions,
        "answer_form": answer_form
        or forms.answer_form_for(questions, mine.answers if mine else None),
        "answered": mine is not None, "results": results, "flags": f,
        "attachments": await queries.attachments(c.id),
        "date_changes": await queries.date_changes(c.id),
        "following": await queries.is_following(c.id, p.id),
        "status_labels": STATUS_LABELS, "kinds": QuestionKind,
        "outcomes": await queries.outcomes(c.id), "target": Target(c, owner_ids),
    }  # fmt: skip


async def section_view(request: Request) -> Response:
    """A section with its comments. Its head (consultation, section, counts) is the same for
    every reader and shared through the read cache like the thread; who may see it and what
    they may do are decided per request, and a signed-in reader's vote on the section comes
    with their marks on the comments (one query)."""
    head = await for_everyone(request, ("head", request.url.path), lambda: _section_head(request))
    p = principal(request)
    c, owner_ids, section = head["c"], head["owner_ids"], head["section"]
    if not perms.can_view(p, c, owner_ids):
        raise HTTPException(404)
    ctx = await _page(request, {**head, "flags": flags(p, c, owner_ids)}, "section")
    ctx["my_vote"] = ctx.get("target_vote")
    if ctx["my_vote"] is None:  # a page read for them alone
        votes = await vote_queries.my_votes(p.id, "section", [section.id])
        ctx["my_vote"] = votes.get(section.id, 0)
    ctx.update(await accountability_panel(request, "section", section.id))
    return render(request, "consultations/section.html", ctx)


async def _section_head(request: Request) -> dict[str, Any]:
    """What a section page shows every reader (no viewer check: the caller makes it)."""
    c = await queries.consultation_by_slug(request.path_params["slug"])
    if c is None:
        raise HTTPException(404)
    owner_ids = await queries.owner_ids(c.id)
    section = await _section(c, request)
    counts = await queries.comment_counts("section", [section.id])
    tally = await vote_queries.tallies("section", [section.id])
    return {
        "c": c, "owner_ids": owner_ids, "section": section, "counts": counts.get(section.id),
        "tally": tally.get(section.id), "my_vote": 0, "status_labels": STATUS_LABELS,
        "target": Target(c, owner_ids, section),
    }  # fmt: skip


async def section_version(request: Request) -> Response:
    c, _owners = await _load(request)
    section = await _section(c, request)
    version = await queries.section_version(section.id, request.path_params["version"])
    if version is None:
        raise HTTPException(404)
    versions = await queries.section_versions(section.id)
    return render(request, "consultations/section_version.html", {
        "c": c, "section": section, "version": version, "versions": versions,
    })  # fmt: skip


async def answer(request: Request) -> Response:
    p = require_user(request)
    c, _owners = await _load(request)
    if c.status != Status.OPEN:
        raise services.closed_refusal()
    if not perms.can_answer(p, c):
        raise Refused(403, _("Please confirm your e-mail address to take part."))
    questions = await queries.questions(c.id)
    form = bind(forms.answers_input(forms.AnswersInput, questions), await read_form(request))
    if not form.validate():
        return await _detail(request, form, 400)
    await services.submit_answers(p, c, form.data.answers)
    flash(
        request,
        _("Thank you, your answers are saved. You can change them until the consultation closes."),
        "success",
    )
    return redirect(str(request.url_for("consultations:detail", slug=c.slug)) + "#questionnaire")


async def follow_view(request: Request) -> Response:
    p = require_user(request)
    c, _owners = await _load(request)
    form = await read_form(request)
    if form.get("action") == "unfollow":
        await services.unfollow(p, c)
        flash(request, _("You no longer follow this consultation."), "success")
    else:
        if not perms.can_follow(p, c):
            raise _forbid()
        await services.follow(p, c)
        flash(
            request,
            _(
                "You follow this consultation: we will e-mail you when the report and the response are published."
            ),
            "success",
        )
    return redirect(request.url_for("consultations:detail", slug=c.slug))


async def attachment(request: Request) -> Response:
    c, _owners = await _load(request)
    a = await queries.attachment(c.id, request.path_params["aid"])
    if a is None:
        raise HTTPException(404)
    try:
        data = storage_for(request.app.state.settings).open(a.storage_key)
    except Exception as exc:
        raise HTTPException(404) from exc
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{download_name(a.filename, ".pdf")}"',
    })  # fmt: skip


# ---- officials -----------------------------------------------------------------------------


async def _body_choices(p: Principal) -> dict[int, str]:
    ids = p.body_ids(Role.EDITOR, Role.PUBLISHER)
    return {b.id: str(b) for b in await body_queries.bodies_by_ids(list(ids))}


async def _all_bodies() -> dict[int, str]:
    return {b.id: str(b) for b in await body_queries.all_bodies()}


async def create(request: Request) -> Response:
    p = require_user(request)
    mine = await _body_choices(p)
    if not mine:
        raise _forbid()
    everyone = await _all_bodies()
    form = bind(forms.NewConsultationInput, None, bodies=everyone, mine=mine)
    status = 200
    if request.method == "POST":
        form = bind(forms.NewConsultationInput, await read_form(request), bodies=everyone,
                    mine=mine)  # fmt: skip
        if form.validate():
            data = form.data
            c = await services.create_consultation(
                p, data.body_id, i18n=data.i18n, original_locale=data.original_locale,
                topic=data.topic, region=data.region, co_owner_ids=data.co_owners,
                flag_threshold=data.flag_threshold, premoderated=data.premoderated,
            )  # fmt: skip
            flash(request, _("The consultation was created as a draft."), "success")
            return redirect(request.url_for("consultations:edit", slug=c.slug))
        status = 400
    return render(request, "consultations/create.html", {
        "form": form, "mine": mine, "everyone": everyone, "locales": LOCALES,
    }, status_code=status)  # fmt: skip


async def _edit_page(
    request: Request, c: Consultation, owner_ids: list[int], status: int = 200, **forms_: Any
) -> Response:
    p = principal(request)
    f = flags(p, c, owner_ids)
    if not (f["edit"] or f["publish"] or f["version"] or f["extend"] or f["paper"]):
        raise _forbid()
    everyone = await _all_bodies()
    co_owners = [b for b in owner_ids if b != c.body_id]
    prefill = _i18n_input(c.i18n, c.original_locale, topic=c.topic, region=c.region)
    prefill.values["co_owners"] = [str(b) for b in co_owners]
    prefill.values["flag_threshold"] = [] if c.flag_threshold is None else [str(c.flag_threshold)]
    prefill.values["premoderated"] = ["1"] if c.premoderated else []
    main = forms_.get("form") or bind(forms.ConsultationInput, prefill, bodies=everyone)
    date_actions = []
    if f["extend"]:
        date_actions.append(("extend", _("Extend to a later closing date")))
    if f["close_early"]:
        date_actions.append(("close", _("Close now")))
    ctx = {
        "c": c, "flags": f, "form": main, "everyone": everyone,
        "co_owners": co_owners, "locales": LOCALES, "date_actions": date_actions,
        "sections": await queries.sections(c.id), "questions": await queries.questions(c.id),
        "attachments": await queries.attachments(c.id),
        "section_form": forms_.get("section_form") or bind(
            forms.SectionInput, {"original_locale": c.original_locale}),
        "question_form": forms_.get("question_form") or bind(
            forms.QuestionInput, {"original_locale": c.original_locale}),
        "attachment_form": forms_.get("attachment_form"),
        "publish_form": forms_.get("publish_form") or bind(forms.PublishInput, {
            "opens_at": _local(c.opens_at), "closes_at": _local(c.closes_at)}),
        "dates_form": forms_.get("dates_form") or bind(forms.DatesInput, {
            "closes_at": _local(c.closes_at)}),
        "status_labels": STATUS_LABELS, "kinds": forms.KINDS,
        "date_changes": await queries.date_changes(c.id),
    }  # fmt: skip
    return render(request, "consultations/edit.html", ctx, status_code=status)


async def edit(request: Request) -> Response:
    p = require_user(request)
    c, owner_ids = await _load(request)
    if request.method == "GET":
        return await _edit_page(request, c, owner_ids)
    if not perms.can_edit(p, c, owner_ids):
        raise _forbid()
    everyone = await _all_bodies()
    form = bind(forms.ConsultationInput, await read_form(request), bodies=everyone)
    if not form.validate():
        return await _edit_page(request, c, owner_ids, 400, form=form)
    data = form.data
    await services.update_consultation(
        p, c, i18n=data.i18n, original_locale=data.original_locale, topic=data.topic,
        region=data.region, co_owner_ids=data.co_owners, flag_threshold=data.flag_threshold,
        premoderated=data.premoderated,
    )  # fmt: skip
    flash(request, _("Your changes are saved."), "success")
    return redirect(request.url_for("consultations:edit", slug=c.slug))


async def section_add(request: Request) -> Response:
    p, c, owner_ids = await _editable(request)
    form = bind(forms.SectionInput, await read_form(request))
    if not form.validate():
        return await _edit_page(request, c, owner_ids, 400, section_form=form)
    await services.add_section(p, c, i18n=form.data.i18n, original_locale=form.data.original_locale)
    flash(request, _("The section was added."), "success")
    return _back_to_edit(request, c, "sections")


async def section_edit(request: Request) -> Response:
    p = require_user(request)
    c, owner_ids = await _load(request)
    section = await _section(c, request)
    versioned = c.status == Status.OPEN
    allowed = (perms.can_publish_version if versioned else perms.can_edit)(p, c, owner_ids)
    if not allowed:
        raise _forbid()
    status = 200
    if request.method == "POST":
        form = bind(forms.SectionInput, await read_form(request), versioned=versioned)
        if form.validate():
            data = form.data
            if versioned:
                await services.publish_section_version(
                    p, c, section, i18n=data.i18n, original_locale=data.original_locale,
                    note=data.note,
                )  # fmt: skip
                flash(
                    request,
                    _("The new version is published; earlier versions stay readable."),
                    "success",
                )
                return redirect(request.url_for("consultations:section", slug=c.slug,
                                                number=section.position))  # fmt: skip
            await services.edit_section(
                p, c, section, i18n=data.i18n, original_locale=data.original_locale
            )
            flash(request, _("Your changes are saved."), "success")
            return _back_to_edit(request, c, "sections")
        status = 400
    else:
        form = bind(forms.SectionInput, _i18n_input(section.i18n, section.original_locale),
                    versioned=versioned)  # fmt: skip
    return render(request, "consultations/section_edit.html", {
        "c": c, "section": section, "form": form, "versioned": versioned, "locales": LOCALES,
    }, status_code=status)  # fmt: skip


async def section_delete(request: Request) -> Response:
    p, c, owner_ids = await _editable(request)
    section = await _section(c, request)
    await services.delete_section(p, c, section)
    flash(request, _("The section was removed."), "success")
    return _back_to_edit(request, c, "sections")


async def question_add(request: Request) -> Response:
    p, c, owner_ids = await _editable(request)
    form = bind(forms.QuestionInput, await read_form(request))
    if not form.validate():
        return await _edit_page(request, c, owner_ids, 400, question_form=form)
    data = form.data
    await services.add_question(
        p, c, kind=QuestionKind(data.kind), required=data.required, i18n=data.i18n,
        original_locale=data.original_locale, options=data.options,
    )  # fmt: skip
    flash(request, _("The question was added."), "success")
    return _back_to_edit(request, c, "questions")


async def question_delete(request: Request) -> Response:
    p, c, owner_ids = await _editable(request)
    question = next((q for q in await queries.questions(c.id)
                     if q.id == request.path_params["qid"]), None)  # fmt: skip
    if question is None:
        raise HTTPException(404)
    await services.delete_question(p, c, question)
    flash(request, _("The question was removed."), "success")
    return _back_to_edit(request, c, "questions")


async def attachment_add(request: Request) -> Response:
    p, c, owner_ids = await _editable(request)
    form = bind(forms.AttachmentInput, await forms.read_uploads(await read_form(request)))
    if not form.validate():
        return await _edit_page(request, c, owner_ids, 400, attachment_form=form)
    upload = form.data.file
    assert upload is not None
    await services.add_attachment(
        p, c, storage_for(request.app.state.settings), filename=upload.filename,
        data=upload.data, title=form.data.title,
    )  # fmt: skip
    flash(request, _("The document was attached."), "success")
    return _back_to_edit(request, c, "attachments")


async def attachment_delete(request: Request) -> Response:
    p = require_user(request)
    c, owner_ids = await _load(request)
    a = await queries.attachment(c.id, request.path_params["aid"])
    if a is None:
        raise HTTPException(404)
    if not perms.can_edit(p, c, owner_ids):
        raise _forbid()
    await services.delete_attachment(p, c, storage_for(request.app.state.settings), a)
    flash(request, _("The document was removed."), "success")
    return _back_to_edit(request, c, "attachments")


async def publish(request: Request) -> Response:
    p = require_user(request)
    c, owner_ids = await _load(request)
    if not perms.can_publish(p, c, owner_ids):
        raise _forbid()
    form = bind(forms.PublishInput, await read_form(request))
    if not form.validate():
        return await _edit_page(request, c, owner_ids, 400, publish_form=form)
    try:
        await services.publish(p, c, opens_at=form.data.opens_at, closes_at=form.data.closes_at)
    except DomainError as exc:
        _refused(form, exc)
        return await _edit_page(request, c, owner_ids, 400, publish_form=form)
    if c.status == Status.OPEN:
        flash(request, _("The consultation is open."), "success")
    else:
        flash(
            request,
            _("The consultation is scheduled and will open on the date you chose."),
            "success",
        )
    return redirect(request.url_for("consultations:detail", slug=c.slug))


async def dates(request: Request) -> Response:
    p = require_user(request)
    c, owner_ids = await _load(request)
    form = bind(forms.DatesInput, await read_form(request))
    action = form.value("action")
    allowed = (perms.can_close_early if action == "close" else perms.can_extend)(p, c, owner_ids)
    if not allowed:
        raise _forbid()
    if not form.validate():
        return await _edit_page(request, c, owner_ids, 400, dates_form=form)
    data = form.data
    try:
        if data.closes_at is None:  # read only when extending
            await services.close_early(p, c, reason=data.reason)
            flash(request, _("The consultation is closed."), "success")
        else:
            await services.extend(p, c, closes_at=data.closes_at, reason=data.reason)
            flash(request, _("The closing date was extended."), "success")
    except DomainError as exc:
        _refused(form, exc)
        return await _edit_page(request, c, owner_ids, 400, dates_form=form)
    return redirect(request.url_for("consultations:detail", slug=c.slug))


async def outcome(request: Request) -> Response:
    """A publisher of an owning body writes and publishes the report of a closed consultation
    (once: it cannot be changed afterwards). The response is written part by part in the
    accountability form ("we asked, you said, we did"): this address leads there. A response
    published here before stays shown (and this address then says it is published)."""
    p = require_user(request)
    c, owner_ids = await _load(request)
    try:
        kind = OutcomeKind(request.path_params["kind"])
    except ValueError:
        raise HTTPException(404) from None
    if not perms.can_publish_outcome(p, c, owner_ids):
        raise _forbid()
    if await queries.outcome(c.id, kind) is not None:
        raise services.already_published(kind)
    if kind == OutcomeKind.RESPONSE:  # one way to respond: the accountability form, by part
        return redirect(request.url_for("accountability:respond", target_type="consultation",
                                        target_id=c.id))  # fmt: skip
    status = 200
    if request.method == "POST":
        form = bind(forms.OutcomeInput, await read_form(request))
        if form.validate():
            await services.publish_outcome(
                p, c, kind, i18n=form.data.i18n, original_locale=form.data.original_locale
            )
            flash(request, _("It is published, and the followers of the consultation are told."),
                  "success")  # fmt: skip
            return redirect(str(request.url_for("consultations:detail", slug=c.slug)) + "#outcome")
        status = 400
    else:
        form = bind(forms.OutcomeInput, {"original_locale": c.original_locale})
    figures = await services.outcome_figures(c) if kind == OutcomeKind.REPORT else None
    return render(request, "consultations/outcome.html", {
        "c": c, "kind": kind, "form": form, "locales": LOCALES, "figures": figures,
    }, status_code=status)  # fmt: skip


async def paper(request: Request) -> Response:
    p = require_user(request)
    c, owner_ids = await _load(request)
    if not perms.can_enter_paper(p, c, owner_ids):
        raise _forbid()
    bodies = {b.id: str(b) for b in await queries.owner_bodies(c.id) if p.is_official_of(b.id)}
    sections = await queries.sections(c.id)
    questions = await queries.questions(c.id)
    status = 200
    if request.method == "POST":
        model = forms.answers_input(forms.PaperInput, questions, optional=True)
        form = bind(model, await read_form(request), bodies=bodies,
                    sections=[s.position for s in sections])  # fmt: skip
        if form.validate():
            data = form.data
            section = next((s for s in sections if s.position == data.section), None)
            try:
                await services.enter_paper_submission(
                    p, c, settings=request.app.state.settings, body_id=data.body_id, channel=data.channel,
                    received_at=data.received_at, text=data.text, section=section,
                    author_name=data.author_name or None, stance=data.stance,
                    answers=data.answers,
                )  # fmt: skip
            except DomainError as exc:
                _refused(form, exc, "text")
            else:
                flash(request, _("The submission was recorded."), "success")
                return redirect(request.url_for("consultations:paper", slug=c.slug))
        status = 400
    else:
        only = next(iter(bodies)) if len(bodies) == 1 else ""
        form = bind(forms.PaperInput, {"body_id": only, "received_at": _local(datetime.now(UTC))})
    return render(request, "consultations/paper.html", {
        "c": c, "form": form, "bodies": bodies, "sections": sections, "questions": questions,
        "channels": forms.CHANNELS, "stances": forms.STANCES, "answer_form": form,
        "kinds": QuestionKind,
    }, status_code=status)  # fmt: skip


# ---- the feedback report -------------------------------------------------------------------


async def report_view(request: Request) -> Response:
    """The latest feedback report (everyone once closed; the owners' officials while open),
    the official's written summary on top; officials ask for a fresh build and watch it."""
    c, owner_ids = await _load(request)
    p = principal(request)
    if not perms.can_see_results(p, c, owner_ids):
        raise HTTPException(404)
    official = perms.is_owner_official(p, owner_ids)
    if request.method == "POST":
        require_user(request)
        await report.request_by_official(p, c)
        flash(request, _("A new report is being built."), "success")
        return redirect(request.url_for("consultations:report", slug=c.slug))
    done = await report_queries.latest_done(report.TARGET_TYPE, c.id)
    pending = await report_queries.latest(report.TARGET_TYPE, c.id) if official else None
    return render(request, "reports/consultation.html", {
        "c": c, "snapshot": done, "data": done.data if done else {},
        "shown": report.present(done.data) if done else {}, "pending": pending,
        "official": official, "summary": (await queries.outcomes(c.id)).get("report"),
        "chart": bar_chart, "scatter": scatter_chart,
    })  # fmt: skip


async def report_pdf_view(request: Request) -> Response:
    """The latest report as PDF, in the reader's language (404 until one is built)."""
    c, owner_ids = await _load(request)
    p = principal(request)
    if not perms.can_see_results(p, c, owner_ids):
        raise HTTPException(404)
    done = await report_queries.latest_done(report.TARGET_TYPE, c.id)
    if done is None:
        raise HTTPException(404)
    summary = (await queries.outcomes(c.id)).get("report")
    context = {
        "c": c, "snapshot": done, "data": done.data, "shown": report.present(done.data),
        "summary": summary, "chart": bar_boxes, "scatter": scatter_chart,
    }  # fmt: skip
    key = (done.id, get_locale(), summary.id if summary else None)
    pdf = await report_pdf(key, lambda: render_fragment(request, "reports/consultation_pdf.html",
                                                        context))  # fmt: skip
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{c.slug}-report-{done.version}.pdf"'})  # fmt: skip


async def report_csv(request: Request) -> Response:
    return await _report_export(request, "csv")


async def report_json(request: Request) -> Response:
    return await _report_export(request, "json")


async def _report_export(request: Request, fmt: str) -> Response:
    """The consultation's visible comments as CSV or JSON, streamed (no personal data)."""
    c, owner_ids = await _load(request)
    if not perms.can_see_results(principal(request), c, owner_ids):
        raise HTTPException(404)
    return StreamingResponse(
        report.public_comments(c.id, fmt),
        media_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json",
        headers={"Content-Disposition": f'attachment; filename="{c.slug}-comments.{fmt}"'},
    )


# ---- officials' exports with names ------------------------------------------------------------


async def exports_view(request: Request) -> Response:
    """An owning body's officials: the consultation's comments, questionnaire answers and
    paper submissions with names, now (small) or prepared by a job (large); every download
    is in the audit log."""
    p = require_user(request)
    c, _owners = await _load(request)
    status = 200
    form = bind(forms.ExportInput, {"kind": "comments", "fmt": "csv"})
    if request.method == "POST":
        form = bind(forms.ExportInput, await read_form(request))
        if form.validate():
            await report.request_named_export(p, c, form.data.kind, form.data.fmt)
            flash(request, _("The file is being prepared. It will be offered here when it is ready."),
                  "success")  # fmt: skip
            return redirect(request.url_for("consultations:report_exports", slug=c.slug))
        status = 400
    prepared = await report.prepared_exports(p, c)
    sizes = {kind: await report.named_rows(kind, c.id) for kind in report.NAMED_KINDS}
    return render(request, "reports/exports.html", {
        "c": c, "form": form, "prepared": prepared, "sizes": sizes,
        "direct_max": report.DIRECT_MAX, "kinds": EXPORT_KINDS,
    }, status_code=status)  # fmt: skip


EXPORT_KINDS = {
    "comments": _l("Comments and replies"),
    "answers": _l("Questionnaire answers"),
    "paper": _l("Paper submissions"),
}


async def export_csv(request: Request) -> Response:
    return await _named_export(request, "csv")


async def export_json(request: Request) -> Response:
    return await _named_export(request, "json")


async def _named_export(request: Request, fmt: str) -> Response:
    p = require_user(request)
    c, _owners = await _load(request)
    kind = request.path_params["kind"]
    try:
        columns, batches = await report.export_named(p, c, kind, fmt)
    except DomainError as exc:
        if status_of(exc) != 409:
            raise
        flash(request, exc.message, "error")
        return redirect(request.url_for("consultations:report_exports", slug=c.slug))
    body = stream_csv if fmt == "csv" else stream_json
    return StreamingResponse(
        body(columns, batches),
        media_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json",
        headers={"Content-Disposition": f'attachment; filename="{c.slug}-{kind}-names.{fmt}"'},
    )


async def export_file(request: Request) -> Response:
    p = require_user(request)
    c, _owners = await _load(request)
    export_id = parse_int(str(request.path_params["export_id"]), high=2**63 - 1) or 0
    row = await report.prepared_export(p, c, export_id)
    return StreamingResponse(
        read_export(row, storage_for(request.app.state.settings)),
        media_type="text/csv; charset=utf-8" if row.fmt == "csv" else "application/json",
        headers={"Content-Disposition":
                 f'attachment; filename="{c.slug}-{row.kind}-names-{row.id}.{row.fmt}"'},
    )  # fmt: skip


routes = [
    Route("/", list_view, name="list"),
    Route("/new", create, methods=["GET", "POST"], name="create"),
    Route("/{slug}", detail, name="detail"),
    Route("/{slug}/edit", edit, methods=["GET", "POST"], name="edit"),
    Route("/{slug}/answers", answer, methods=["POST"], name="answer"),
    Route("/{slug}/follow", follow_view, methods=["POST"], name="follow"),
    Route("/{slug}/publish", publish, methods=["POST"], name="publish"),
    Route("/{slug}/dates", dates, methods=["POST"], name="dates"),
    Route("/{slug}/paper", paper, methods=["GET", "POST"], name="paper"),
    Route("/{slug}/outcome/{kind}", outcome, methods=["GET", "POST"], name="outcome"),
    Route("/{slug}/sections", section_add, methods=["POST"], name="section_add"),
    Route("/{slug}/sections/{number:int}", section_view, name="section"),
    Route(
        "/{slug}/sections/{number:int}/edit",
        section_edit,
        methods=["GET", "POST"],
        name="section_edit",
    ),  # fmt: skip
    Route(
        "/{slug}/sections/{number:int}/delete",
        section_delete,
        methods=["POST"],
        name="section_delete",
    ),  # fmt: skip
    Route(
        "/{slug}/sections/{number:int}/versions/{version:int}",
        section_version,
        name="section_version",
    ),  # fmt: skip
    Route("/{slug}/questions", question_add, methods=["POST"], name="question_add"),
    Route(
        "/{slug}/questions/{qid:int}/delete",
        question_delete,
        methods=["POST"],
        name="question_delete",
    ),  # fmt: skip
    Route("/{slug}/attachments", attachment_add, methods=["POST"], name="attachment_add"),
    Route("/{slug}/attachments/{aid:int}", attachment, name="attachment"),
    Route(
        "/{slug}/attachments/{aid:int}/delete",
        attachment_delete,
        methods=["POST"],
        name="attachment_delete",
    ),  # fmt: skip
    Route("/{slug}/report", report_view, methods=["GET", "POST"], name="report"),
    Route("/{slug}/report.pdf", report_pdf_view, name="report_pdf"),
    Route("/{slug}/report/exports", exports_view, methods=["GET", "POST"], name="report_exports"),
    Route("/{slug}/report/exports/{kind}.csv", export_csv, name="report_export_csv"),
    Route("/{slug}/report/exports/{kind}.json", export_json, name="report_export_json"),
    Route("/{slug}/report/exports/{export_id:int}", export_file, name="report_export_file"),
    Route("/{slug}/report/comments.csv", report_csv, name="report_csv"),
    Route("/{slug}/report/comments.json", report_json, name="report_json"),
]
