"""Every read of the consultations domain. Raw SQL (PostgreSQL full text) lives only here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.expressions import Subquery

from consultations.models import (
    AnswerSet,
    Attachment,
    Consultation,
    ConsultationBody,
    DateChange,
    Follow,
    Outcome,
    OutcomeKind,
    Question,
    QuestionKind,
    Section,
    SectionVersion,
    Status,
)
from participation.caching import memo
from participation.comments import queries as comment_queries
from participation.comments.models import Comment
from participation.db import INT_MAX, conn, is_postgres
from participation.i18n.content import Translated, pick
from participation.organisations.models import Body

PUBLIC_STATUSES = (Status.SCHEDULED, Status.OPEN, Status.CLOSED)
SLUG_MAX = 120  # Consultation.slug's column
PAGE_SIZE = 20
_WORD = re.compile(r"\w+", re.UNICODE)


async def _column(qs: Any, name: str) -> list[Any]:
    """One column of a query as a plain list."""
    return list(await qs.values_list(name, flat=True))


async def consultation_by_slug(slug: str) -> Consultation | None:
    if len(slug) > SLUG_MAX:  # no such row; a database may refuse the comparison
        return None
    return await Consultation.get_or_none(slug=slug)


async def consultation_by_id(consultation_id: int) -> Consultation | None:
    if not 0 < consultation_id <= INT_MAX:  # no such row; the database would refuse the query
        return None
    return await Consultation.get_or_none(id=consultation_id)


async def owner_ids(consultation_id: int) -> list[int]:
    return await _column(
        ConsultationBody.filter(consultation_id=consultation_id).order_by("id"), "body_id"
    )


async def owners_by_consultation(ids: Sequence[int]) -> dict[int, list[Body]]:
    """Owning bodies of many consultations in two queries."""
    if not ids:
        return {}
    links = (
        await ConsultationBody.filter(consultation_id__in=list(ids))
        .order_by("id")
        .values("consultation_id", "body_id")
    )
    bodies = {b.id: b for b in await Body.filter(id__in={x["body_id"] for x in links})}
    out: dict[int, list[Body]] = {i: [] for i in ids}
    for x in links:
        out[x["consultation_id"]].append(bodies[x["body_id"]])
    return out


async def owner_bodies(consultation_id: int) -> list[Body]:
    return (await owners_by_consultation([consultation_id]))[consultation_id]


async def sections(consultation_id: int) -> list[Section]:
    return await Section.filter(consultation_id=consultation_id).order_by("position", "id")


async def section_at(consultation_id: int, position: int) -> Section | None:
    return await Section.get_or_none(consultation_id=consultation_id, position=position)


async def section_by_id(section_id: int) -> Section | None:
    return await Section.get_or_none(id=section_id)


async def section_with_consultation(section_id: int) -> Section | None:
    """A section and its consultation in one query."""
    if not 0 < section_id <= INT_MAX:
        return None
    return await Section.filter(id=section_id).select_related("consultation").first()


async def section_versions(section_id: int) -> list[SectionVersion]:
    return await SectionVersion.filter(section_id=section_id).order_by("number")


async def section_version(section_id: int, number: int) -> SectionVersion | None:
    return await SectionVersion.get_or_none(section_id=section_id, number=number)


async def questions(consultation_id: int) -> list[Question]:
    return await Question.filter(consultation_id=consultation_id).order_by("position", "id")


async def answer_set_of(consultation_id: int, user_id: int | None) -> AnswerSet | None:
    if user_id is None:
        return None
    return await AnswerSet.get_or_none(consultation_id=consultation_id, user_id=user_id)


async def attachments(consultation_id: int) -> list[Attachment]:
    return await Attachment.filter(consultation_id=consultation_id).order_by("id")


async def attachment(consultation_id: int, attachment_id: int) -> Attachment | None:
    return await Attachment.get_or_none(id=attachment_id, consultation_id=consultation_id)


async def date_changes(consultation_id: int) -> list[DateChange]:
    return await DateChange.filter(consultation_id=consultation_id).order_by("created_at", "id")


async def is_following(consultation_id: int, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return await Follow.exists(consultation_id=consultation_id, user_id=user_id)


async def outcome(consultation_id: int, kind: OutcomeKind) -> Outcome | None:
    return await Outcome.get_or_none(consultation_id=consultation_id, kind=kind)


async def outcomes(consultation_id: int) -> dict[str, Outcome]:
    """kind -> the published report and response, each with ``publishing_body`` (a Body)."""
    rows = await Outcome.filter(consultation_id=consultation_id)
    bodies = {b.id: b for b in await Body.filter(id__in={o.body_id for o in rows})} if rows else {}
    out = {}
    for o in rows:
        o.publishing_body = bodies.get(o.body_id)  # type: ignore[attr-defined]
        out[o.kind.value] = o
    return out


async def follower_ids(consultation_id: int) -> list[int]:
    return await _column(Follow.filter(consultation_id=consultation_id).order_by("id"), "user_id")


async def received_on_paper(consultation_id: int, section_ids: Sequence[int]) -> int:
    """Submissions entered by officials (post, e-mail, meeting, phone) on the consultation and
    its sections, deleted ones not counted."""
    offline = Comment.filter(deleted_at__isnull=True).exclude(channel="online")
    on_sections = (
        await offline.filter(target_type="section", target_id__in=list(section_ids)).count()
        if section_ids
        else 0
    )
    on_whole = await offline.filter(target_type="consultation", target_id=consultation_id).count()
    return on_sections + on_whole


async def answer_set_count(consultation_id: int) -> int:
    return await AnswerSet.filter(consultation_id=consultation_id).count()


# ---- comment counts for stance bars ---------------------------------------------------------

# Counting a target's comments reads every one of them; for a big target the counts are kept
# in this process for a few seconds, so that page time does not grow with the number of
# comments. Small targets are always counted fresh (exact right after posting). Kept across
# commits: a big target under a stream of comments would otherwise never be served from it.
BIG_TARGET = 1000
COUNTS_MAX_AGE = 10.0
big_counts = memo("consultations.comment_counts", COUNTS_MAX_AGE, clear_on_commit=False)


async def comment_counts(target_type: str, ids: Sequence[int]) -> dict[int, Any]:
    """target id -> Counts(total, for_, against, neutral), one query for the uncached ones."""
    out: dict[int, Any] = {}
    missing: list[int] = []
    for i in ids:
        hit = big_counts.peek((target_type, i))
        if hit is not None:
            out[i] = hit
        else:
            missing.append(i)
    if missing:
        fresh = await comment_queries.counts_by_target(target_type, missing)
        for i, counts in fresh.items():
            out[i] = counts
            if counts.total >= BIG_TARGET:
                big_counts.put((target_type, i), counts)
    return out


# ---- the portal list ------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    body_id: int | None = None
    status: Status | None = None
    topic: str = ""
    region: str = ""
    q: str = ""


def _tsquery(text: str) -> str:
    """'word1:* & word2:*' from free text; only word characters reach PostgreSQL."""
    return " & ".join(f"{w}:*" for w in _WORD.findall(text.lower())[:8])


async def search_ids(q: str) -> list[int]:
    """Consultations whose titles or summaries (any language) match ``q``."""
    if is_postgres():
        query = _tsquery(q)
        if not query:
            return []
        _, rows = await conn().execute_query(
            "SELECT id FROM consultations "
            "WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', $1)",
            [query],
        )
        return [r["id"] for r in rows]
    words = _WORD.findall(q.lower())[:8]
    qs = Consultation.all()
    for w in words:
        qs = qs.filter(search_text__contains=w)
    return await _column(qs, "id") if words else []


async def list_consultations(
    filters: Filters, *, cursor: int | None = None, limit: int = PAGE_SIZE
) -> tuple[list[Consultation], int | None]:
    """Public consultations (never drafts), newest first, keyset by id."""
    qs = Consultation.filter(status__in=list(PUBLIC_STATUSES))
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.body_id is not None:
        qs = qs.filter(
            id__in=Subquery(
                ConsultationBody.filter(body_id=filters.body_id).values("consultation_id")
            )
        )
    if filters.topic:
        qs = qs.filter(topic=filters.topic)
    if filters.region:
        qs = qs.filter(region=filters.region)
    if filters.q.strip():
        qs = qs.filter(id__in=await search_ids(filters.q))
    if cursor is not None:
        qs = qs.filter(id__lt=cursor)
    rows = await qs.order_by("-id").limit(limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more and rows else None)


async def drafts_of(body_ids: Iterable[int]) -> list[Consultation]:
    ids = list(body_ids)
    if not ids:
        return []
    return (
        await Consultation.filter(
            status=Status.DRAFT,
            id__in=Subquery(ConsultationBody.filter(body_id__in=ids).values("consultation_id")),
        )
        .order_by("-id")
        .limit(50)
    )


async def open_now(limit: int = 6) -> list[Consultation]:
    return await Consultation.filter(status=Status.OPEN).order_by("closes_at", "id").limit(limit)


async def topics_and_regions() -> tuple[list[str], list[str]]:
    base = Consultation.filter(status__in=list(PUBLIC_STATUSES))
    topics = await _column(base.filter(topic__not="").distinct(), "topic")
    regions = await _column(base.filter(region__not="").distinct(), "region")
    return sorted(set(topics)), sorted(set(regions))


async def due_to_open(now: datetime) -> list[int]:
    return await _column(Consultation.filter(status=Status.SCHEDULED, opens_at__lte=now), "id")


async def due_to_close(now: datetime) -> list[int]:
    return await _column(Consultation.filter(status=Status.OPEN, closes_at__lte=now), "id")


# ---- questionnaire results -----------------------------------------------------------------


@dataclass
class OptionResult:
    key: str
    label: Translated
    count: int
    share: float


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list[OptionResult] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


def option_label(option: dict, original_locale: str) -> Translated:
    return pick({loc: {"label": text} for loc, text in option.get("i18n", {}).items()},
                original_locale, "label")  # fmt: skip


MAX_TEXTS = 200


async def questionnaire_results(consultation_id: int) -> tuple[int, list[QuestionResult]]:
    """(number of answer sets, one result per question): counts per option, mean of scales,
    free-text answers (without names)."""
    qs = await questions(consultation_id)
    results = {q.id: QuestionResult(q) for q in qs}
    counts: dict[int, dict[str, int]] = {q.id: {} for q in qs}
    total = 0
    rows: list[dict[str, Any]] = await _column(
        AnswerSet.filter(consultation_id=consultation_id).order_by("id"), "answers"
    )
    for answers in rows:
        total += 1
        for q in qs:
            value = (answers or {}).get(str(q.id))
            if value in (None, "", []):
                continue
            r = results[q.id]
            r.answered += 1
            if q.kind == QuestionKind.TEXT:
                if len(r.texts) < MAX_TEXTS:
                    r.texts.append(str(value))
                continue
            values = value if isinstance(value, list) else [value]
            for v in values:
                counts[q.id][str(v)] = counts[q.id].get(str(v), 0) + 1
    for q in qs:
        r = results[q.id]
        c = counts[q.id]
        if q.kind == QuestionKind.SCALE:
            keys = [str(i) for i in range(1, 6)]
            labels = {k: Translated(k, "en", False) for k in keys}
            n = sum(c.get(k, 0) for k in keys)
            r.mean = (sum(int(k) * c.get(k, 0) for k in keys) / n) if n else None
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            keys = [str(o["key"]) for o in q.options]
            labels = {str(o["key"]): option_label(o, q.original_locale) for o in q.options}
        else:
            continue
        for k in keys:
            count = c.get(k, 0)
            r.options.append(
                OptionResult(k, labels[k], count, (count / r.answered) if r.answered else 0.0)
            )
    return total, [results[q.id] for q in qs]
