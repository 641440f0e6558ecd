"""The feedback report of a consultation: what it received, read once by a job and kept as a
snapshot (participation.reports). Every number is computed here in Python from plain rows, so
the tallies are the same on SQLite and PostgreSQL.

Counts of comments, stances and top comments cover what readers can see (neither deleted nor
hidden); what moderation hides or holds is counted apart, by reason, never dropped."""

from __future__ import annotations

import asyncio
import json
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
from tortoise.expressions import Q

from consultations import permissions as perms
from consultations.models import (
    AnswerSet,
    Consultation,
    ConsultationStatus,
    Question,
    QuestionKind,
    Section,
)
from consultations.queries import owner_ids
from participation.accounts.models import User
from participation.comments.models import Comment
from participation.db import conn as db_conn
from participation.db import is_postgres
from participation.errors import Conflict, Forbidden, NotFound
from participation.i18n import LANGUAGE_NAMES, get_locale
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from participation.i18n.content import pick
from participation.i18n.formatting import format_date, format_number, format_percent
from participation.integrity.neardup import group_texts
from participation.integrity.queries import campaign_groups
from participation.moderation.models import HELD, ModerationState
from participation.reports import queries as report_queries
from participation.reports import stats
from participation.reports.exports import (
    PG_MOMENT,
    copy_csv,
    copy_integers,
    copy_json,
    moment,
    stream_csv,
    stream_json,
)
from participation.reports.models import ReportExport, ReportSnapshot, ReportStatus
from participation.reports.opinions import opinion_groups
from participation.reports.queries import latest
from participation.reports.rendering import PeopleText
from participation.reports.services import (
    Progress,
    record_export,
    request_export,
    request_report,
    run_export,
)
from participation.storage import Storage
from participation.votes.models import VoteTally

TARGET_TYPE = "consultation"
CHUNK = 1000
TOP = 10


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _day(when: datetime | None) -> str:
    return when.date().isoformat() if when else ""


def _stance_row(counter: Counter[str]) -> dict[str, Any]:
    total = counter["for"] + counter["against"] + counter["neutral"] + counter[""]
    return {
        "comments": total,
        "for": counter["for"],
        "against": counter["against"],
        "neutral": counter["neutral"],
        "for_pct": stats.percent(counter["for"], total),
        "against_pct": stats.percent(counter["against"], total),
        "neutral_pct": stats.percent(counter["neutral"], total),
    }


async def build(consultation_id: int, progress: Progress) -> dict[str, Any]:
    c = await Consultation.get(id=consultation_id)
    sections = await Section.filter(consultation_id=c.id).order_by("position")
    section_pos = {s.id: s.position for s in sections}

    conn = db_conn()
    pg = is_postgres()
    by_type = [("consultation", [c.id]), ("section", [s.id for s in sections])]

    def statements(select: str, where: str) -> list[tuple[str, list[Any]]]:
        """``select ... where`` for the comments of each target type (plain SQL: a report
        reads a million votes; the ORM would take seconds to build their objects)."""
        out: list[tuple[str, list[Any]]] = []
        for ttype, tids in by_type:
            if not tids:
                continue
            marks = [f"${i + 1}" if pg else "?" for i in range(len(tids) + 1)]
            sql = (f"{select} WHERE c.target_type = {marks[0]} AND c.target_id IN"
                   f" ({', '.join(marks[1:])}) AND c.deleted_at IS NULL{where}")  # fmt: skip
            out.append((sql, [ttype, *tids]))
        return out

    async def read(select: str, where: str) -> list[Any]:
        out: list[Any] = []
        for sql, args in statements(select, where):
            out.extend((await conn.execute_query(sql, args))[1])
        return out

    # (user, comment, value) as one array: a million votes take 24 MB, not 150. PostgreSQL
    # hands them over in its binary COPY format, read straight into the array, on a
    # connection of their own while the comments are read (the database works on both at
    # once); the comments are found first by their target (a CTE: else the planner walks
    # every comment of every consultation in id order to merge them with the votes)
    votes_read: asyncio.Future[np.ndarray] | None = None
    if pg:
        cte = statements("SELECT c.id FROM comments c", "")
        votes_read = asyncio.ensure_future(copy_integers([
            (f"WITH c AS MATERIALIZED ({sql}) SELECT v.user_id::int8, v.target_id::int8,"
             " v.value::int8 FROM votes v JOIN c ON c.id = v.target_id"
             " WHERE v.target_type = 'comment'", args)
            for sql, args in cte
        ], 3))  # fmt: skip
    try:
        rows: list[tuple[Any, ...]] = [
            (r[0], r[1], r[2], r[3], r[4], r[5] or None, r[6], r[7], _moment(r[8]),
             _moment(r[9]) if r[9] else None, r[10], r[11])
            for r in await read(
                "SELECT c.id, c.target_type, c.target_id, c.depth, c.author_id, c.stance,"
                " c.language, c.channel, c.created_at, c.received_at, c.up_count, c.down_count"
                " FROM comments c", " ORDER BY c.id")
        ]  # fmt: skip
        rows.sort(key=lambda r: r[0])
        await progress(20)

        hidden: dict[int, tuple[str, str]] = {
            int(r[0]): (str(r[1] or ""), str(r[2] or ""))
            for r in await read(
                "SELECT m.target_id, m.hidden_kind, m.hidden_reason FROM moderation_states m"
                " JOIN comments c ON c.id = m.target_id AND m.target_type = 'comment'",
                " AND m.hidden_at IS NOT NULL")
        }  # fmt: skip
        await progress(35)
    except BaseException:
        if votes_read is not None:
            votes_read.cancel()
        raise
    if votes_read is not None:
        votes = await votes_read
    else:
        join = " FROM votes v JOIN comments c ON c.id = v.target_id AND v.target_type = 'comment'"
        vote_rows = await read("SELECT v.user_id, v.target_id, v.value" + join, "")
        votes = np.array([tuple(v) for v in vote_rows], dtype=np.int64).reshape(-1, 3)
        del vote_rows
    section_votes = {
        int(t): (up, down)
        for t, up, down in await VoteTally.filter(
            target_type="section", target_id__in=list(section_pos) or [0]
        ).values_list("target_id", "up", "down")
    }
    answer_sets = (
        await AnswerSet.filter(consultation_id=c.id)
        .order_by("id")
        .values_list("user_id", "channel", "answers", "created_at")
    )
    questions = await Question.filter(consultation_id=c.id).order_by("position")
    await progress(60)

    visible = [r for r in rows if r[0] not in hidden]
    people = {r[4] for r in rows if r[4] is not None}
    people |= set(np.unique(votes[:, 0]).tolist())
    people |= {a[0] for a in answer_sets if a[0] is not None}
    paper_comments = sum(1 for r in rows if str(r[7]) != "online")
    paper_answers = sum(1 for a in answer_sets if str(a[1]) != "online")

    by_channel: Counter[str] = Counter(str(r[7]) for r in rows)
    by_channel.update(str(a[1]) for a in answer_sets)
    by_language: Counter[str] = Counter(str(r[6] or "") for r in rows)
    by_day: Counter[str] = Counter(_day(r[9] or r[8]) for r in rows)
    by_day.update(_day(a[3]) for a in answer_sets)
    regions = await _regions(people)
    by_region = _by_region(
        [regions.get(r[4], "") if r[4] is not None else "" for r in rows]
        + [regions.get(a[0], "") if a[0] is not None else "" for a in answer_sets]
    )

    participation = {
        "people": len(people),
        "comments": sum(1 for r in rows if r[3] == 0),
        "replies": sum(1 for r in rows if r[3] > 0),
        "votes": len(votes),
        "responses": len(answer_sets),
        "paper": paper_comments + paper_answers,
        "by_channel": [
            {"channel": ch, "count": n, "paper": ch != "online"}
            for ch, n in sorted(by_channel.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "by_language": [
            {"language": lang, "count": n}
            for lang, n in sorted(by_language.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "by_day": [{"day": d, "count": n} for d, n in sorted(by_day.items()) if d],
        "by_region": by_region,
    }

    per_target: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    for r in visible:
        per_target[(str(r[1]), int(r[2]))][str(r[5] or "")] += 1
    total: Counter[str] = Counter()
    for cnt in per_target.values():
        total.update(cnt)
    section_rows = []
    for s in sections:
        up, down = section_votes.get(s.id, (0, 0))
        section_rows.append(
            {
                "position": s.position,
                "title": s.i18n,
                "original_locale": s.original_locale,
                **_stance_row(per_target[("section", s.id)]),
                "support": up,
                "opposition": down,
                "support_pct": stats.percent(up, up + down),
            }
        )
    stances = {
        "total": _stance_row(total),
        "whole": _stance_row(per_target[("consultation", c.id)]),
        "sections": section_rows,
    }

    questionnaire = _questionnaire(questions, [a[2] for a in answer_sets])
    await progress(75)

    def comment_item(r: tuple[Any, ...]) -> dict[str, Any]:
        up, down = int(r[10]), int(r[11])
        return {
            "id": r[0],
            "section": section_pos.get(int(r[2])) if r[1] == "section" else None,
            "text": "",  # filled below for the comments the report names
            "up": up,
            "down": down,
            "wilson": round(stats.wilson_lower_bound(up, down), 4),
            "controversy": round(stats.controversy(up, down), 4),
        }

    # the ranks computed for every comment at once (NumPy); the few that can reach the top
    # are then ranked exactly as one by one (rounded scores, ties by votes and id)
    ups = np.fromiter((r[10] for r in visible), dtype=np.int64, count=len(visible))
    downs = np.fromiter((r[11] for r in visible), dtype=np.int64, count=len(visible))
    by_id = {r[0]: r for r in visible}

    def top(score: np.ndarray, keep: np.ndarray, key: Any) -> list[dict[str, Any]]:
        near = [visible[int(j)] for j in stats.near_top(score, keep, TOP)]
        return sorted((comment_item(r) for r in near), key=key)[:TOP]

    supported = top(stats.wilson_lower_bounds(ups, downs), ups > 0,
                    lambda i: (-i["wilson"], -i["up"], i["id"]))  # fmt: skip
    contested = top(stats.controversies(ups, downs), (ups > 0) & (downs > 0),
                    lambda i: (-i["controversy"], -(i["up"] + i["down"]), i["id"]))  # fmt: skip

    by_kind: Counter[str] = Counter(k for k, _r in hidden.values())
    by_reason: Counter[str] = Counter(r for _k, r in hidden.values() if r)
    held = {str(k) for k in HELD}
    moderation = {
        "hidden": sum(n for k, n in by_kind.items() if k not in held),
        "pending": sum(n for k, n in by_kind.items() if k in held),
        "by_kind": dict(sorted(by_kind.items())),
        "by_reason": dict(sorted(by_reason.items())),
    }
    groups = opinion_groups(votes, [r[0] for r in visible if r[3] == 0])
    texts = {i["id"]: i for i in supported + contested}
    named = set(texts)
    if groups is not None:
        named |= {i["id"] for g in groups["groups"] for i in g["comments"]}
        named |= {i["id"] for i in groups["consensus"]}
    for cid in named - set(texts):
        texts[cid] = comment_item(by_id[cid])
    for chunk in _chunks(sorted(named)):
        for cid, body in await Comment.filter(id__in=list(chunk)).values_list("id", "body_raw"):
            texts[int(cid)]["text"] = str(body)[:500]
    for item in supported + contested:  # a comment may be in both lists
        item["text"] = texts[item["id"]]["text"]
    if groups is not None:  # the comments named with their text, for the page
        for g in groups["groups"]:
            for item in g["comments"]:
                item.update(text=texts[item["id"]]["text"], section=texts[item["id"]]["section"])
        for item in groups["consensus"]:
            item.update(text=texts[item["id"]]["text"], section=texts[item["id"]]["section"])
    await progress(90)

    return {
        "opinion_groups": groups,
        "format": 2,
        "consultation": {"id": c.id, "slug": c.slug, "status": str(c.status)},
        "participation": participation,
        "stances": stances,
        "questionnaire": questionnaire,
        "supported": supported,
        "contested": contested,
        "moderation": moderation,
        "campaigns": await _campaigns(c.id, len(rows)),
    }


REGIONS_SHOWN = 20
GROUPS_SHOWN = 10
EXCERPT = 300


async def _regions(people: Iterable[int]) -> dict[int, str]:
    """The region each person gave in their profile (as they wrote it)."""
    ids = sorted(int(u) for u in people)
    conn = db_conn()
    if is_postgres():  # one query, the ids as one array
        sql = "SELECT id, region FROM users WHERE id = ANY($1::bigint[])"
        return {int(r[0]): r[1] for r in (await conn.execute_query(sql, [ids]))[1]}
    out: dict[int, str] = {}
    for chunk in _chunks(ids):
        out.update(await User.filter(id__in=list(chunk)).values_list("id", "region"))
    return out


def _by_region(regions: Iterable[str]) -> list[dict[str, Any]]:
    """Submissions by region as people wrote it (spaces and case folded together, the first
    spelling kept), the ``REGIONS_SHOWN`` largest, then the rest together ("*"), then those
    who gave none (""); every submission is counted once."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for region in regions:
        text = " ".join(str(region or "").split())
        key = text.casefold()
        spelling.setdefault(key, text)
        counts[key] += 1
    unknown = counts.pop("", 0)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    out = [{"region": spelling[k], "count": n} for k, n in ranked[:REGIONS_SHOWN]]
    rest = sum(n for _k, n in ranked[REGIONS_SHOWN:])
    if rest:
        out.append({"region": "*", "count": rest})
    if unknown:
        out.append({"region": "", "count": unknown})
    return out


async def _campaigns(consultation_id: int, submissions: int) -> dict[str, Any]:
    """Near-duplicate groups of the consultation's comments (participation.integrity's index):
    size, copies readers see, a representative text, share of all comments. Copies are not
    taken out of any figure above."""
    groups = await campaign_groups(TARGET_TYPE, consultation_id, min_size=CAMPAIGN_MIN)
    in_groups = sum(g.size for g in groups)
    return {
        "min_size": CAMPAIGN_MIN,
        "groups": [
            {
                "size": g.size,
                "visible": g.visible,
                "authors": g.authors,
                "text": g.representative_text[:EXCERPT],
                "share_pct": stats.percent(g.size, submissions),
                "first_at": g.first_at.isoformat(),
                "last_at": g.last_at.isoformat(),
            }
            for g in groups[:GROUPS_SHOWN]
        ],  # fmt: skip
        "count": len(groups),
        "in_groups": in_groups,
        "submissions": submissions,
        "share_pct": stats.percent(in_groups, submissions),
    }


CAMPAIGN_MIN = 3


def _text_groups(texts: Sequence[str]) -> dict[str, Any]:
    """Free-text answers in near-duplicate groups (participation.integrity.neardup): each
    group's size and a representative answer; every answer is still counted."""
    if len(texts) < 2:
        return {"groups": [], "count": 0, "in_groups": 0, "share_pct": 0.0}
    grouping = group_texts(texts)
    groups = grouping.groups()
    in_groups = sum(len(m) for m in groups)
    return {
        "groups": [
            {
                "size": len(m),
                "share_pct": stats.percent(len(m), len(texts)),
                "text": texts[grouping.representative[int(grouping.group_of[m[0]])]][:EXCERPT],
            }
            for m in groups[:GROUPS_SHOWN]
        ],  # fmt: skip
        "count": len(groups),
        "in_groups": in_groups,
        "share_pct": stats.percent(in_groups, len(texts)),
    }


def _questionnaire(questions: Sequence[Question], answers: Sequence[dict]) -> list[dict]:
    out = []
    for q in questions:
        key = str(q.id)
        given = [
            a[key] for a in answers if isinstance(a, dict) and a.get(key) not in (None, "", [])
        ]
        item: dict[str, Any] = {
            "id": q.id,
            "position": q.position,
            "kind": str(q.kind),
            "text": q.i18n,
            "original_locale": q.original_locale,
            "answered": len(given),
        }
        if q.kind == QuestionKind.TEXT:
            item["texts"] = len(given)
            item["text_groups"] = _text_groups([str(v) for v in given])
        elif q.kind == QuestionKind.SCALE:
            values = [int(v) for v in given if isinstance(v, int | str) and str(v).isdigit()]
            counts = Counter(values)
            item["options"] = [
                {"key": str(k), "label": {}, "count": counts[k],
                 "pct": stats.percent(counts[k], len(values))}
                for k in range(1, 6)
            ]  # fmt: skip
            item["mean"] = stats.mean(values)
            item["median"] = stats.median(values)
        else:
            chosen: Counter[str] = Counter()
            for v in given:
                for k in v if isinstance(v, list) else [v]:
                    chosen[str(k)] += 1
            item["options"] = [
                {"key": str(o.get("key")), "label": o.get("i18n", {}),
                 "count": chosen[str(o.get("key"))],
                 "pct": stats.percent(chosen[str(o.get("key"))], len(given))}
                for o in q.options
            ]  # fmt: skip
        out.append(item)
    return out


# ---- build requests ---------------------------------------------------------------------------

JOB = "build_consultation_report"


async def request(
    consultation_id: int, trigger: str, actor_id: int | None = None
) -> ReportSnapshot:
    """Queue a build of the consultation's report (returns the queued or running snapshot)."""
    return await request_report(
        TARGET_TYPE, consultation_id, job=JOB, trigger=trigger, actor_id=actor_id
    )


async def request_by_official(principal: Any, c: Consultation) -> ReportSnapshot:
    """An owning body's official asks for a fresh report now (audited)."""
    if not perms.is_owner_official(principal, await owner_ids(c.id)):
        raise Forbidden(_("Only the officials of this consultation's bodies may do this."))
    return await request(c.id, "official", principal.id)


async def due_for_refresh() -> list[int]:
    """Open consultations (nightly), and closed ones whose report does not cover their close."""
    open_ids = await Consultation.filter(status=ConsultationStatus.OPEN).values_list("id", "id")
    out: list[int] = sorted(int(cid) for cid, _same in open_ids)
    for cid, closed_at in await Consultation.filter(status=ConsultationStatus.CLOSED).values_list(
        "id", "closed_at"
    ):
        last = await latest(TARGET_TYPE, cid)
        if last is None or (closed_at and last.created_at < closed_at):
            out.append(cid)
    return out


# ---- reading a snapshot in the reader's language ---------------------------------------------

CHANNEL_LABELS = {
    "online": _l("Online"),
    "post": _l("By post"),
    "email": _l("By e-mail"),
    "meeting": _l("At a meeting"),
    "phone": _l("By telephone"),
}


def _label(i18n: dict[str, Any], original: str, field: str) -> str:
    return pick(i18n or {}, original, field).text


def present(data: dict[str, Any]) -> dict[str, Any]:
    """The snapshot's rows with labels in the current language, as ``(label, value, note)``
    rows for the page's charts and tables; the template formats numbers in the reader's
    digits."""
    part = data.get("participation", {})
    paper = str(_("on paper or in person"))
    channels = [
        (
            str(CHANNEL_LABELS.get(r["channel"], r["channel"])),
            r["count"],
            paper if r["paper"] else "",
        )
        for r in part.get("by_channel", [])
    ]
    languages = [
        (LANGUAGE_NAMES.get(r["language"], r["language"]) if r["language"] else str(_("Not known")),
         r["count"], "")
        for r in part.get("by_language", [])
    ]  # fmt: skip
    days = [
        (format_date(date.fromisoformat(r["day"])), r["count"], "") for r in part.get("by_day", [])
    ]
    regions = [
        (str(_("Other regions")) if r["region"] == "*"
         else PeopleText(r["region"]) if r["region"] else str(_("Not given")),
         r["count"], "")
        for r in part.get("by_region", [])
    ]  # fmt: skip
    sections = [
        {**s, "label": str(_("Section %(n)s", n=format_number(s["position"]))),
         "name": _label(s.get("title", {}), s.get("original_locale", "en"), "title")}
        for s in data.get("stances", {}).get("sections", [])
    ]  # fmt: skip
    questions = []
    for q in data.get("questionnaire", []):
        rows = []
        for o in q.get("options", []):
            label = format_number(int(o["key"])) if q["kind"] == "scale" else (
                o.get("label", {}).get(get_locale())
                or next(iter(o.get("label", {}).values()), o["key"])
            )  # fmt: skip
            rows.append((label, o["count"], format_percent(o["pct"] / 100)))
        name = _label(q.get("text", {}), q.get("original_locale", "en"), "text")
        questions.append({"mean": None, "median": None, **q, "name": name, "rows": rows})
    moderation = data.get("moderation", {})
    reasons = [
        (str(REASON_LABELS.get(k, k)), n, "") for k, n in moderation.get("by_reason", {}).items()
    ]
    return {
        "channels": channels,
        "languages": languages,
        "days": days,
        "regions": regions,
        "sections": sections,
        "section_for": [(s["label"], s["for_pct"], "") for s in sections],
        "section_support": [(s["label"], s["support_pct"], "") for s in sections],
        "questions": questions,
        "reasons": reasons,
    }


REASON_LABELS = {
    "spam": _l("Spam or advertising"),
    "offensive": _l("Offensive or abusive"),
    "personal_data": _l("Personal data"),
    "off_topic": _l("Off topic"),
    "other": _l("Other"),
}


# ---- public exports ----------------------------------------------------------------------------

EXPORT_BATCH = 5000
EXPORT_COLUMNS = (
    "id", "section", "parent_id", "stance", "language", "channel", "created_at", "up", "down",
    "text",
)  # fmt: skip


def _public_select(ttype: str, ids: Sequence[int], *, pg: bool, fmt: str = "") -> str:
    """The public export's rows of one target type, in ``EXPORT_COLUMNS`` order, by id.
    ``fmt`` "csv" or "json": the statement PostgreSQL's COPY writes (each value written as the
    Python path writes it, see participation.reports.exports); "": the batch query of the
    Python path (keyset on id after the last parameter)."""

    def ph(n: int) -> str:
        return f"${n}" if pg else "?"

    targets = ", ".join(ph(i + 2) for i in range(len(ids)))
    blank = (lambda col: f"NULLIF({col}, '')") if fmt == "csv" else (lambda col: col)
    if fmt:
        section = "s.position" if ttype == "section" else "NULL::integer"
        cols = (
            f"c.id, {section} AS section, c.parent_id, NULLIF(c.stance, '') AS stance,"
            f" {blank('c.language')} AS language, {blank('c.channel')} AS channel,"
            f" {PG_MOMENT('COALESCE(c.received_at, c.created_at)')} AS created_at,"
            f" c.up_count AS up, c.down_count AS down, {blank('c.body_raw')} AS text"
        )
    else:
        cols = ("c.id, c.target_id, c.parent_id, c.stance, c.language, c.channel,"
                " c.created_at, c.received_at, c.up_count, c.down_count, c.body_raw")  # fmt: skip
    join = (
        " JOIN consultation_sections s ON s.id = c.target_id" if fmt and ttype == "section" else ""
    )
    return (
        f"SELECT {cols} FROM comments c{join}"
        f" WHERE c.target_type = {ph(1)} AND c.target_id IN ({targets})"
        " AND c.deleted_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM moderation_states m WHERE m.target_type = 'comment'"
        " AND m.target_id = c.id AND m.hidden_at IS NOT NULL)"
        + ("" if fmt else f" AND c.id > {ph(len(ids) + 2)}")
        + " ORDER BY c.id"
        + ("" if fmt else f" LIMIT {EXPORT_BATCH}")
    )


async def _public_targets(
    consultation_id: int,
) -> tuple[dict[int, int], list[tuple[str, list[int]]]]:
    sections = dict(
        await Section.filter(consultation_id=consultation_id).values_list("id", "position")
    )
    targets = [("consultation", [consultation_id]), ("section", sorted(sections))]
    return sections, [(t, ids) for t, ids in targets if ids]


async def export_comments(consultation_id: int) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The consultation's visible comments in batches of rows in ``EXPORT_COLUMNS`` order, by
    id (keyset: memory stays flat however many there are). Public: no names, no e-mail, no
    account ids. One plain query per batch (hidden ones left out in the query), rows read
    as they come: the export runs at the database's pace, not the ORM's. (The Python path:
    SQLite's, and PostgreSQL's reference in the tests of ``public_comments``.)"""
    sections, targets = await _public_targets(consultation_id)
    conn = db_conn()
    pg = is_postgres()
    for ttype, ids in targets:
        sql = _public_select(ttype, ids, pg=pg)
        fetch = asyncio.ensure_future(conn.execute_query(sql, [ttype, *ids, 0]))
        try:
            while True:
                _n, rows = await fetch
                if not rows:
                    break
                # the next batch is read while this one is written out
                fetch = asyncio.ensure_future(conn.execute_query(sql, [ttype, *ids, rows[-1][0]]))
                yield [
                    (r[0], sections.get(r[1]) if ttype == "section" else None, r[2],
                     r[3] or None, r[4], r[5], moment(r[7] or r[6]), r[8], r[9], r[10])
                    for r in rows
                ]  # fmt: skip
        finally:
            if not fetch.done():
                fetch.cancel()


async def public_comments(consultation_id: int, fmt: str) -> AsyncIterator[bytes]:
    """The public export of the consultation's visible comments as a CSV or JSON file,
    streamed: written by PostgreSQL's COPY there (hundreds of thousands of rows a second),
    by Python from ``export_comments`` on SQLite; the same bytes either way."""
    if not is_postgres():
        body = stream_csv if fmt == "csv" else stream_json
        async for chunk in body(EXPORT_COLUMNS, export_comments(consultation_id)):
            yield chunk
        return
    _sections, targets = await _public_targets(consultation_id)
    statements = [(_public_select(t, ids, pg=True, fmt=fmt), [t, *ids]) for t, ids in targets]
    body_pg = copy_csv(EXPORT_COLUMNS, statements) if fmt == "csv" else copy_json(statements)
    async for chunk in body_pg:
        yield chunk


def _moment(value: Any) -> datetime:
    """A stored moment as a datetime (PostgreSQL gives datetimes, SQLite text)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


# ---- officials' exports, with names --------------------------------------------------------

NAMED_KINDS = ("comments", "answers", "paper")
FORMATS = ("csv", "json")
DIRECT_MAX = 20_000  # more rows than this: the file is built by a job and offered when ready
NAMED_COLUMNS = {
    "comments": (
        "id", "section", "parent_id", "author", "author_id", "stance", "language", "channel",
        "created_at", "up", "down", "moderation", "text",
    ),
    "answers": ("id", "author", "author_id", "channel", "created_at"),
    "paper": (
        "kind", "id", "channel", "received_at", "author", "entered_by", "section", "stance",
        "text",
    ),
}  # fmt: skip


async def _names(user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = sorted({int(u) for u in user_ids if u is not None})
    if not ids:
        return {}
    return dict(await User.filter(id__in=ids).values_list("id", "display_name"))


async def _held(ids: Sequence[int]) -> dict[int, str]:
    held = {str(k) for k in HELD}
    return {
        int(tid): ("pending" if str(kind) in held else "hidden")
        for tid, kind in await ModerationState.filter(
            target_type="comment", target_id__in=list(ids) or [0], hidden_at__isnull=False
        ).values_list("target_id", "hidden_kind")
    }


async def _comment_batches(
    consultation_id: int, *, paper_only: bool = False
) -> AsyncIterator[tuple[dict[int, int], list[dict[str, Any]]]]:
    """The consultation's comments (deleted ones left out), by id, a batch at a time."""
    sections = dict(
        await Section.filter(consultation_id=consultation_id).values_list("id", "position")
    )
    for ttype, ids in (("consultation", [consultation_id]), ("section", list(sections))):
        if not ids:
            continue
        after = 0
        while True:
            q = Comment.filter(
                target_type=ttype, target_id__in=ids, deleted_at__isnull=True, id__gt=after
            )
            if paper_only:
                q = q.filter(channel__not="online")
            rows = await q.order_by("id").limit(EXPORT_BATCH).values(
                "id", "target_id", "parent_id", "author_id", "author_name", "entered_by_id",
                "stance", "language", "channel", "created_at", "received_at", "up_count",
                "down_count", "body_raw",
            )  # fmt: skip
            if not rows:
                break
            after = rows[-1]["id"]
            for r in rows:
                r["section"] = sections.get(r["target_id"]) if ttype == "section" else None
            yield sections, rows


async def _named_comments(consultation_id: int) -> AsyncIterator[list[dict[str, Any]]]:
    async for _sections, rows in _comment_batches(consultation_id):
        names = await _names(r["author_id"] for r in rows)
        held = await _held([r["id"] for r in rows])
        yield [
            {
                "id": r["id"], "section": r["section"], "parent_id": r["parent_id"],
                "author": names.get(r["author_id"], "") if r["author_id"] else r["author_name"],
                "author_id": r["author_id"],
                "stance": str(r["stance"]) if r["stance"] else None, "language": r["language"],
                "channel": str(r["channel"]),
                "created_at": (r["received_at"] or r["created_at"]).isoformat(),
                "up": r["up_count"], "down": r["down_count"],
                "moderation": held.get(r["id"], ""), "text": r["body_raw"],
            }
            for r in rows
        ]  # fmt: skip


def _answer_text(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


async def _answer_batches(
    consultation_id: int, *, paper_only: bool = False
) -> AsyncIterator[list[dict[str, Any]]]:
    after = 0
    while True:
        q = AnswerSet.filter(consultation_id=consultation_id, id__gt=after)
        if paper_only:
            q = q.filter(channel__not="online")
        rows = (
            await q.order_by("id")
            .limit(EXPORT_BATCH)
            .values("id", "user_id", "channel", "answers", "created_at")
        )
        if not rows:
            return
        after = rows[-1]["id"]
        yield rows


async def _question_keys(consultation_id: int) -> list[tuple[str, str]]:
    """(answer key, column) of each question, in order: ``q1``, ``q2``..."""
    return [
        (str(qid), f"q{pos}")
        for qid, pos in await Question.filter(consultation_id=consultation_id)
        .order_by("position")
        .values_list("id", "position")
    ]


async def _named_answers(
    consultation_id: int, questions: list[tuple[str, str]]
) -> AsyncIterator[list[dict[str, Any]]]:
    async for rows in _answer_batches(consultation_id):
        names = await _names(r["user_id"] for r in rows)
        yield [
            {
                "id": r["id"], "author": names.get(r["user_id"], ""), "author_id": r["user_id"],
                "channel": r["channel"], "created_at": r["created_at"].isoformat(),
                **{col: _answer_text((r["answers"] or {}).get(key)) for key, col in questions},
            }
            for r in rows
        ]  # fmt: skip


async def _named_paper(consultation_id: int) -> AsyncIterator[list[dict[str, Any]]]:
    """Paper (post, e-mail, meeting...) comments, then paper answers, with who sent them and
    which official entered them."""
    async for _sections, rows in _comment_batches(consultation_id, paper_only=True):
        names = await _names(r["entered_by_id"] for r in rows)
        yield [
            {
                "kind": "comment", "id": r["id"], "channel": str(r["channel"]),
                "received_at": (r["received_at"] or r["created_at"]).isoformat(),
                "author": r["author_name"], "entered_by": names.get(r["entered_by_id"], ""),
                "section": r["section"], "stance": str(r["stance"]) if r["stance"] else None,
                "text": r["body_raw"],
            }
            for r in rows
        ]  # fmt: skip
    async for answer_rows in _answer_batches(consultation_id, paper_only=True):
        yield [
            {
                "kind": "answers", "id": r["id"], "channel": r["channel"],
                "received_at": r["created_at"].isoformat(), "author": "", "entered_by": "",
                "section": None, "stance": None,
                "text": json.dumps(r["answers"], ensure_ascii=False, sort_keys=True),
            }
            for r in answer_rows
        ]  # fmt: skip


async def named_source(
    kind: str, consultation_id: int
) -> tuple[Sequence[str], AsyncIterator[list[dict[str, Any]]]]:
    """The columns and the batches of one kind of export with names."""
    if kind == "comments":
        return NAMED_COLUMNS["comments"], _named_comments(consultation_id)
    if kind == "answers":
        questions = await _question_keys(consultation_id)
        columns = NAMED_COLUMNS["answers"] + tuple(col for _key, col in questions)
        return columns, _named_answers(consultation_id, questions)
    if kind == "paper":
        return NAMED_COLUMNS["paper"], _named_paper(consultation_id)
    raise NotFound(_("We could not find this item."))


async def named_rows(kind: str, consultation_id: int) -> int:
    """How many rows the export will have (to choose: now, or built by a job)."""
    sections = await Section.filter(consultation_id=consultation_id).values_list("id", flat=True)
    comments = Comment.filter(deleted_at__isnull=True).filter(
        Q(target_type="consultation", target_id=consultation_id)
        | Q(target_type="section", target_id__in=list(sections) or [0])
    )
    answers = AnswerSet.filter(consultation_id=consultation_id)
    if kind == "comments":
        return await comments.count()
    if kind == "answers":
        return await answers.count()
    return (
        await comments.filter(channel__not="online").count()
        + await answers.filter(channel__not="online").count()
    )


async def _require_official(principal: Any, c: Consultation) -> None:
    if not perms.is_owner_official(principal, await owner_ids(c.id)):
        raise Forbidden(_("Only the officials of this consultation's bodies may do this."))


async def export_named(
    principal: Any, c: Consultation, kind: str, fmt: str
) -> tuple[Sequence[str], AsyncIterator[list[dict[str, Any]]]]:
    """An owning body's official downloads the consultation's data with names now (audited);
    a large one must be built by a job (``request_named_export``)."""
    await _require_official(principal, c)
    if kind not in NAMED_KINDS or fmt not in FORMATS:
        raise NotFound(_("We could not find this item."))
    rows = await named_rows(kind, c.id)
    if rows > DIRECT_MAX:
        raise Conflict(_("This file is large: ask for it to be prepared, it will be offered here when it is ready."))  # fmt: skip
    await record_export(principal.id, TARGET_TYPE, c.id, kind, fmt, rows=rows)
    return await named_source(kind, c.id)


EXPORT_JOB = "build_consultation_export"


async def request_named_export(
    principal: Any, c: Consultation, kind: str, fmt: str
) -> ReportExport:
    """An owning body's official asks for a file with names to be built (audited)."""
    await _require_official(principal, c)
    return await request_export(TARGET_TYPE, c.id, kind=kind, fmt=fmt, actor_id=principal.id,
                                job=EXPORT_JOB)  # fmt: skip


async def build_export(export_id: int, storage: Storage) -> str:
    async def source(row: ReportExport) -> Any:
        return await named_source(row.kind, int(row.target_id))

    return await run_export(export_id, source, storage)


async def prepared_export(principal: Any, c: Consultation, export_id: int) -> ReportExport:
    """A built file of this consultation, for its officials (audited when downloaded)."""
    await _require_official(principal, c)
    row = await report_queries.export(export_id)
    if row is None or row.target_type != TARGET_TYPE or row.target_id != c.id:
        raise NotFound(_("We could not find this item."))
    if row.status != ReportStatus.DONE:
        raise Conflict(_("This file is not ready yet."))
    await record_export(principal.id, TARGET_TYPE, c.id, row.kind, row.fmt, export=row.id)
    return row


async def prepared_exports(principal: Any, c: Consultation) -> list[ReportExport]:
    await _require_official(principal, c)
    return await report_queries.exports(TARGET_TYPE, c.id)
