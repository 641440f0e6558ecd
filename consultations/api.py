"""Read-only JSON API of consultations under /api/v1 (no personal data: display names only).
Models and parameters are in ``consultations.schemas``."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consultations import permissions as perms
from consultations import queries
from consultations.models import Consultation, OutcomeKind, Status
from consultations.schemas import (
    BodyRef,
    CommentOut,
    CommentOutPage,
    CommentsQuery,
    ConsultationItem,
    ConsultationItemPage,
    ConsultationOut,
    ConsultationPath,
    DateChangeOut,
    LangQuery,
    ListQuery,
    OptionResultOut,
    OutcomeOut,
    QuestionResultOut,
    ReportFigures,
    ReportOut,
    ResultsOut,
    SectionOut,
    SectionPath,
)
from participation.comments import queries as comment_queries
from participation.comments.queries import CommentView
from participation.errors import Conflict
from participation.i18n import gettext as _
from participation.organisations import queries as body_queries
from participation.organisations.models import Body
from participation.reports import queries as report_queries
from participation.votes import queries as vote_queries
from participation.web.api import api_response, operation, path_params, query_params
from participation.web.auth import principal

TAGS = ("consultations",)


def _bodies(bodies: list[Body]) -> list[BodyRef]:
    return [BodyRef(slug=b.slug, name=b.tr("name").text) for b in bodies]


def _item(request: Request, c: Consultation, bodies: list[Body]) -> dict[str, Any]:
    """The fields of a list item (a detail has them too)."""
    title = c.tr("title")
    return dict(
        slug=c.slug, title=title.text, summary=c.tr("summary").text, language=title.locale,
        translated=not title.fallback, status=c.status.value, topic=c.topic, region=c.region,
        opens_at=c.opens_at, closes_at=c.closes_at, bodies=_bodies(bodies),
        url=str(request.url_for("consultations:detail", slug=c.slug)),
    )  # fmt: skip


async def _public(slug: str) -> Consultation:
    """Published consultations only: a draft does not exist for the API."""
    c = await queries.consultation_by_slug(slug)
    if c is None or c.status == Status.DRAFT:
        raise HTTPException(404)
    return c


@operation("Consultations of every body, newest first", response=ConsultationItemPage,
           query=ListQuery, tags=TAGS)  # fmt: skip
async def consultation_list(request: Request) -> Response:
    q = query_params(request, ListQuery)
    body = await body_queries.body_by_slug(q.body) if q.body else None
    if q.body and body is None:
        return api_response(ConsultationItemPage(items=[], next_cursor=None))
    filters = queries.Filters(
        body_id=body.id if body else None, status=Status(q.status) if q.status else None,
        topic=q.topic or "", region=q.region or "", q=q.q or "",
    )  # fmt: skip
    items, nxt = await queries.list_consultations(filters, cursor=q.cursor, limit=q.limit)
    owners = await queries.owners_by_consultation([c.id for c in items])
    return api_response(ConsultationItemPage(
        items=[ConsultationItem(**_item(request, c, owners[c.id])) for c in items],
        next_cursor=str(nxt) if nxt is not None else None,
    ))  # fmt: skip


@operation("One consultation with its sections, comment counts and section votes",
           response=ConsultationOut, path=ConsultationPath, query=LangQuery, tags=TAGS)  # fmt: skip
async def consultation_detail(request: Request) -> Response:
    c = await _public(path_params(request, ConsultationPath).slug)
    query_params(request, LangQuery)
    sections = await queries.sections(c.id)
    ids = [s.id for s in sections]
    counts = await queries.comment_counts("section", ids)
    tallies = await vote_queries.tallies("section", ids)
    out_sections = []
    for s in sections:
        title = s.tr("title")
        n = counts.get(s.id)
        t = tallies.get(s.id)
        out_sections.append(SectionOut(
            number=s.position, title=title.text, text=s.tr("text").text, language=title.locale,
            translated=not title.fallback, version=s.version,
            comments=n.total if n else 0, comments_for=n.for_ if n else 0,
            comments_against=n.against if n else 0, comments_neutral=n.neutral if n else 0,
            support=t.up if t else 0, oppose=t.down if t else 0,
            url=str(request.url_for("consultations:section", slug=c.slug, number=s.position)),
            comments_url=str(request.url_for("api:consultations:section_comments", slug=c.slug,
                                             number=s.position)),
        ))  # fmt: skip
    questions = await queries.questions(c.id)
    changes = await queries.date_changes(c.id)
    outcomes = await queries.outcomes(c.id)
    return api_response(ConsultationOut(
        **_item(request, c, await queries.owner_bodies(c.id)), body=c.tr("body").text,
        sections=out_sections,
        date_changes=[DateChangeOut(kind=ch.kind.value, reason=ch.reason, at=ch.created_at,
                                    new_closes_at=ch.new_closes_at) for ch in changes],
        questions=len(questions),
        results_url=str(request.url_for("api:consultations:results", slug=c.slug))
        if questions else None,
        report=_outcome_out(outcomes.get(OutcomeKind.REPORT.value)),
        response=_outcome_out(outcomes.get(OutcomeKind.RESPONSE.value)),
    ))  # fmt: skip


def _outcome_out(o: Any) -> OutcomeOut | None:
    if o is None:
        return None
    text = o.tr("text")
    f = o.figures
    body = o.publishing_body
    return OutcomeOut(
        text=text.text, language=text.locale, translated=not text.fallback,
        published_at=o.published_at,
        published_by=BodyRef(slug=body.slug, name=body.tr("name").text) if body else None,
        figures=ReportFigures(
            comments=f["total"]["comments"], comments_for=f["total"]["for"],
            comments_against=f["total"]["against"], comments_neutral=f["total"]["neutral"],
            paper=f["paper"], answer_sets=f["answer_sets"], sections=f["sections"],
        ) if f else None,
    )  # fmt: skip


def comment_out(item: CommentView) -> CommentOut:
    """A comment of the generic comments package, without personal data."""
    return CommentOut(
        id=item.id, parent_id=item.parent_id, author=item.author_name or "", text=item.text,
        language=item.language or None, stance=str(item.stance) if item.stance else None,
        channel=str(item.channel or "online"), created_at=item.created_at, up=item.up,
        down=item.down, deleted=item.deleted,
        hidden="moderator" if item.hidden == "moderator" else "flags" if item.hidden else None,
        hidden_reason=item.hidden_reason if item.hidden == "moderator" else None,
    )  # fmt: skip


@operation("Comments on one section, 50 a page by cursor", response=CommentOutPage,
           path=SectionPath, query=CommentsQuery, tags=TAGS)  # fmt: skip
async def section_comments(request: Request) -> Response:
    where = path_params(request, SectionPath)
    c = await _public(where.slug)
    q = query_params(request, CommentsQuery)
    section = await queries.section_at(c.id, where.number)
    if section is None:
        raise HTTPException(404)
    page = await comment_queries.comment_page(
        "section", section.id, sort=q.sort, cursor=q.cursor, limit=50
    )
    flat: list[CommentView] = []
    stack = list(reversed(page.items))
    while stack:  # each top-level comment followed by its replies, depth first
        item = stack.pop()
        flat.append(item)
        stack.extend(reversed(item.replies))
    return api_response(CommentOutPage(
        items=[comment_out(i) for i in flat], next_cursor=page.next_cursor,
    ))  # fmt: skip


@operation("Questionnaire results, once the consultation has closed (409 before)",
           response=ResultsOut, path=ConsultationPath, query=LangQuery, tags=TAGS,
           errors={409: "the consultation has not closed yet"})  # fmt: skip
async def results(request: Request) -> Response:
    c = await _public(path_params(request, ConsultationPath).slug)
    query_params(request, LangQuery)
    if not perms.can_see_results(principal(request), c, []) or c.status != Status.CLOSED:
        raise Conflict(_("The questionnaire results are published when the consultation closes."))
    total, items = await queries.questionnaire_results(c.id)
    return api_response(ResultsOut(
        consultation=c.slug, respondents=total,
        questions=[QuestionResultOut(
            position=r.question.position, text=r.question.tr("text").text,
            kind=r.question.kind.value, required=r.question.required, answered=r.answered,
            options=[OptionResultOut(key=o.key, label=o.label.text, count=o.count,
                                     share=round(o.share, 4)) for o in r.options],
            mean=round(r.mean, 3) if r.mean is not None else None, texts=r.texts,
        ) for r in items],
    ))  # fmt: skip


@operation("The latest feedback report of a consultation (404 until one is built; open "
           "consultations' reports are for their officials)", response=ReportOut,
           path=ConsultationPath, tags=TAGS)  # fmt: skip
async def report(request: Request) -> Response:
    c = await _public(path_params(request, ConsultationPath).slug)
    if not perms.can_see_results(principal(request), c, await queries.owner_ids(c.id)):
        raise HTTPException(404)
    snap = await report_queries.latest_done("consultation", c.id)
    if snap is None:
        raise HTTPException(404)
    return api_response(ReportOut(consultation=c.slug, version=snap.version,
                                  built_at=snap.built_at, covers_until=snap.covers_until,
                                  data=snap.data))  # fmt: skip


routes = [
    Route("/consultations", consultation_list, name="list"),
    Route("/consultations/{slug}", consultation_detail, name="detail"),
    Route(
        "/consultations/{slug}/sections/{number:int}/comments",
        section_comments,
        name="section_comments",
    ),  # fmt: skip
    Route("/consultations/{slug}/results", results, name="results"),
    Route("/consultations/{slug}/report", report, name="report"),
]
