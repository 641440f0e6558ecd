"""Read-only JSON API of consultations under /api/v1 (no personal data: display names only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consultations import permissions as perms
from consultations import queries
from consultations.models import Consultation, OutcomeKind, Status
from participation.comments import queries as comment_queries
from participation.forms import parse_int
from participation.i18n import gettext as _
from participation.organisations.models import Body
from participation.votes import queries as vote_queries
from participation.web.auth import principal
from participation.web.errors import Refused
from participation.web.legacy_api import Param, api_response, operation, page_of

TAGS = ("consultations",)


@dataclass
class BodyRef:
    slug: str
    name: str


@dataclass
class ConsultationItem:
    slug: str
    title: str
    summary: str
    language: str
    translated: bool
    status: str
    topic: str
    region: str
    opens_at: datetime | None
    closes_at: datetime | None
    bodies: list[BodyRef]
    url: str


@dataclass
class SectionOut:
    number: int
    title: str
    text: str
    language: str
    translated: bool
    version: int
    comments: int
    comments_for: int
    comments_against: int
    comments_neutral: int
    support: int
    oppose: int
    url: str
    comments_url: str


@dataclass
class DateChangeOut:
    kind: str
    reason: str
    at: datetime
    new_closes_at: datetime | None


@dataclass
class ReportFigures:
    """What the consultation received, as the report keeps it (replies included, hidden and
    deleted comments not); ``sections``: position, comments, for, against, neutral."""

    comments: int
    comments_for: int
    comments_against: int
    comments_neutral: int
    paper: int
    answer_sets: int
    sections: list[dict[str, int]]


@dataclass
class OutcomeOut:
    """The report or the response of a closed consultation, as published (never changed)."""

    text: str
    language: str
    translated: bool
    published_at: datetime
    published_by: BodyRef | None
    figures: ReportFigures | None


@dataclass
class ConsultationOut(ConsultationItem):
    """One consultation: the list item's fields, its text, sections and date changes, and once
    closed its report and response (null until published)."""

    body: str
    sections: list[SectionOut]
    date_changes: list[DateChangeOut]
    questions: int
    results_url: str | None
    report: OutcomeOut | None
    response: OutcomeOut | None


@dataclass
class CommentOut:
    id: int
    parent_id: int | None
    author: str
    text: str
    language: str | None
    stance: str | None
    channel: str
    created_at: datetime
    up: int
    down: int
    deleted: bool


@dataclass
class OptionResultOut:
    key: str
    label: str
    count: int
    share: float


@dataclass
class QuestionResultOut:
    position: int
    text: str
    kind: str
    required: bool
    answered: int
    options: list[OptionResultOut]
    mean: float | None
    texts: list[str]


@dataclass
class ResultsOut:
    consultation: str
    respondents: int
    questions: list[QuestionResultOut]


ConsultationPage = page_of(ConsultationItem)
CommentPageOut = page_of(CommentOut)


def _bodies(bodies: list[Body]) -> list[BodyRef]:
    return [BodyRef(b.slug, b.tr("name").text) for b in bodies]


def _item(request: Request, c: Consultation, bodies: list[Body]) -> ConsultationItem:
    title = c.tr("title")
    return ConsultationItem(
        slug=c.slug, title=title.text, summary=c.tr("summary").text, language=title.locale,
        translated=not title.fallback, status=c.status.value, topic=c.topic, region=c.region,
        opens_at=c.opens_at, closes_at=c.closes_at, bodies=_bodies(bodies),
        url=str(request.url_for("consultations:detail", slug=c.slug)),
    )  # fmt: skip


async def _public(request: Request) -> Consultation:
    """Published consultations only: a draft does not exist for the API."""
    c = await queries.consultation_by_slug(request.path_params["slug"])
    if c is None or c.status == Status.DRAFT:
        raise HTTPException(404)
    return c


@operation(
    "Consultations of every body, newest first",
    ConsultationPage,
    params=[
        Param("body", "query", str, "slug of an owning body"),
        Param("status", "query", str, "", enum=[s.value for s in queries.PUBLIC_STATUSES]),
        Param("topic", "query", str),
        Param("region", "query", str),
        Param("q", "query", str, "search in titles and summaries, every language"),
        Param("cursor", "query", str, "next_cursor of the previous page"),
        Param("limit", "query", int, "1 to 100, default 20"),
        Param("lang", "query", str, "language of the texts", enum=["en", "fa", "ar", "fr"]),
    ],
    tags=TAGS,
)
async def consultation_list(request: Request) -> Response:
    q = request.query_params
    body = await Body.get_or_none(slug=q["body"]) if q.get("body") else None
    if q.get("body") and body is None:
        return api_response(ConsultationPage(items=[], next_cursor=None))
    status = q.get("status", "")
    filters = queries.Filters(
        body_id=body.id if body else None,
        status=Status(status) if status in queries.PUBLIC_STATUSES else None,
        topic=q.get("topic", "")[:80], region=q.get("region", "")[:100], q=q.get("q", "")[:200],
    )  # fmt: skip
    limit = min(max(parse_int(q.get("limit")) or 20, 1), 100)
    items, nxt = await queries.list_consultations(
        filters, cursor=parse_int(q.get("cursor")), limit=limit
    )
    owners = await queries.owners_by_consultation([c.id for c in items])
    return api_response(
        ConsultationPage(
            items=[_item(request, c, owners[c.id]) for c in items],
            next_cursor=str(nxt) if nxt is not None else None,
        )
    )


@operation(
    "One consultation with its sections, comment counts and section votes",
    ConsultationOut,
    params=[Param("slug", "path", str), Param("lang", "query", str)],
    tags=TAGS,
)
async def consultation_detail(request: Request) -> Response:
    c = await _public(request)
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
    item = _item(request, c, await queries.owner_bodies(c.id))
    questions = await queries.questions(c.id)
    changes = await queries.date_changes(c.id)
    outcomes = await queries.outcomes(c.id)
    return api_response(ConsultationOut(
        **vars(item), body=c.tr("body").text, sections=out_sections,
        date_changes=[DateChangeOut(ch.kind.value, ch.reason, ch.created_at, ch.new_closes_at)
                      for ch in changes],
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
        published_by=BodyRef(body.slug, body.tr("name").text) if body else None,
        figures=ReportFigures(
            comments=f["total"]["comments"], comments_for=f["total"]["for"],
            comments_against=f["total"]["against"], comments_neutral=f["total"]["neutral"],
            paper=f["paper"], answer_sets=f["answer_sets"], sections=f["sections"],
        ) if f else None,
    )  # fmt: skip


def comment_out(item: Any) -> CommentOut:
    """A comment of the generic comments package, without personal data."""
    stance = getattr(item, "stance", None)
    return CommentOut(
        id=int(item.id),
        parent_id=getattr(item, "parent_id", None),
        author=str(getattr(item, "author_name", "") or ""),
        text=str(getattr(item, "text", "") or ""),
        language=getattr(item, "language", None) or None,
        stance=str(stance) if stance else None,
        channel=str(getattr(item, "channel", "") or "online"),
        created_at=item.created_at,
        up=int(getattr(item, "up", 0) or 0),
        down=int(getattr(item, "down", 0) or 0),
        deleted=bool(getattr(item, "deleted", False)),
    )


@operation(
    "Comments on one section, 50 a page by cursor",
    CommentPageOut,
    params=[
        Param("slug", "path", str), Param("number", "path", int),
        Param("sort", "query", str, enum=["newest", "oldest", "supported", "contested"]),
        Param("cursor", "query", str),
    ],
    tags=TAGS,
)  # fmt: skip
async def section_comments(request: Request) -> Response:
    c = await _public(request)
    section = await queries.section_at(c.id, request.path_params["number"])
    if section is None:
        raise HTTPException(404)
    sort = request.query_params.get("sort", "newest")
    if sort not in comment_queries.SORTS:
        sort = "newest"
    page = await comment_queries.comment_page(
        "section", section.id, sort=sort, cursor=request.query_params.get("cursor") or None,
        limit=50, viewer=None,
    )  # fmt: skip
    flat: list[Any] = []
    stack = list(reversed(page.items))
    while stack:  # each top-level comment followed by its replies, depth first
        item = stack.pop()
        flat.append(item)
        stack.extend(reversed(getattr(item, "replies", [])))
    return api_response(CommentPageOut(
        items=[comment_out(i) for i in flat], next_cursor=page.next_cursor,
    ))  # fmt: skip


@operation(
    "Questionnaire results, once the consultation has closed (409 before)",
    ResultsOut,
    params=[Param("slug", "path", str), Param("lang", "query", str)],
    tags=TAGS,
)
async def results(request: Request) -> Response:
    c = await _public(request)
    if not perms.can_see_results(principal(request), c, []) or c.status != Status.CLOSED:
        raise Refused(
            409, _("The questionnaire results are published when the consultation closes.")
        )
    total, items = await queries.questionnaire_results(c.id)
    return api_response(ResultsOut(
        consultation=c.slug, respondents=total,
        questions=[QuestionResultOut(
            position=r.question.position, text=r.question.tr("text").text,
            kind=r.question.kind.value, required=r.question.required, answered=r.answered,
            options=[OptionResultOut(o.key, o.label.text, o.count, round(o.share, 4))
                     for o in r.options],
            mean=round(r.mean, 3) if r.mean is not None else None, texts=r.texts,
        ) for r in items],
    ))  # fmt: skip


routes = [
    Route("/consultations", consultation_list, name="list"),
    Route("/consultations/{slug}", consultation_detail, name="detail"),
    Route(
        "/consultations/{slug}/sections/{number:int}/comments",
        section_comments,
        name="section_comments",
    ),  # fmt: skip
    Route("/consultations/{slug}/results", results, name="results"),
]
