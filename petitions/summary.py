"""The daily summary of each open petition, and the per-body petition figures.

The summary is a report snapshot (``participation.reports``, target ``("petition", id)``)
built by a job once a day while the petition is open: signatures per day and by region,
pending, suspect and invalidated counts. It holds no personal data (no name, e-mail or
address), so it is shown to everyone on the petition's page. Signatures are read by id a
batch at a time, so memory stays flat however many there are; every count is made in Python,
the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from participation.i18n import gettext as _
from participation.i18n.formatting import format_date
from participation.reports import queries as report_queries
from participation.reports.models import ReportSnapshot
from participation.reports.services import Progress, request_report, run_report
from petitions.models import Petition, PetitionStatus, ResponseObligation, Signature
from petitions.models import SignatureStatus as Sig
from petitions.regions import region_label

TARGET_TYPE = "petition"
JOB = "build_petition_summary"
BATCH = 5000


def _valid(status: str, suspect: bool, invalidation_id: int | None) -> bool:
    return status == Sig.CONFIRMED and not suspect and invalidation_id is None


async def build(petition_id: int, progress: Progress) -> dict[str, Any]:
    p = await Petition.get(id=petition_id)
    by_day: Counter[str] = Counter()
    by_region: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    after = 0
    while True:
        rows = (
            await Signature.filter(petition_id=p.id, id__gt=after)
            .order_by("id")
            .limit(BATCH)
            .values_list(
                "id", "status", "confirmed_at", "created_at", "region", "suspect",
                "invalidation_id",
            )
        )  # fmt: skip
        if not rows:
            break
        after = rows[-1][0]
        for _id, status, confirmed_at, created_at, region, suspect, invalidation_id in rows:
            if status != Sig.CONFIRMED:
                counts["pending"] += 1
            elif invalidation_id is not None:
                counts["invalidated"] += 1
            elif suspect:
                counts["suspect"] += 1
            if _valid(str(status), bool(suspect), invalidation_id):
                counts["valid"] += 1
                by_day[(confirmed_at or created_at).date().isoformat()] += 1
                by_region[str(region or "")] += 1
    await progress(90)
    return {
        "format": 1,
        "petition": {"id": p.id, "status": str(p.status)},
        "signatures": counts["valid"],
        "pending": counts["pending"],
        "suspect": counts["suspect"],
        "invalidated": counts["invalidated"],
        "by_day": [{"day": d, "count": n} for d, n in sorted(by_day.items())],
        "by_region": [
            {"region": r, "count": n}
            for r, n in sorted(by_region.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    }


async def build_summary(snapshot_id: int) -> str:
    return await run_report(snapshot_id, build)


async def due_for_summary(now: datetime | None = None) -> list[int]:
    """Open petitions without a summary requested today (UTC): run twice a day, the job
    queues nothing the second time."""
    now = now or datetime.now(UTC)
    today = now.date()
    out = []
    ids: list[Any] = await Petition.filter(status=PetitionStatus.OPEN).values_list("id", flat=True)
    for pid in sorted(int(i) for i in ids):
        last = await report_queries.latest(TARGET_TYPE, pid)
        if last is None or last.created_at.astimezone(UTC).date() < today:
            out.append(pid)
    return out


async def request_summary(petition_id: int) -> ReportSnapshot:
    return await request_report(TARGET_TYPE, petition_id, job=JOB, trigger="daily")


async def latest_summary(petition_id: int) -> ReportSnapshot | None:
    """The newest built summary (what the petition's page shows)."""
    return await report_queries.latest_done(TARGET_TYPE, petition_id)


# ---- per-body figures (the accountability scoreboard) -----------------------------------------


@dataclass(frozen=True, slots=True)
class BodyPetitionFigures:
    """What a body received as petitions and how it answered them."""

    body_id: int
    petitions: int  # published: open or closed (not drafts, not rejected)
    open: int
    closed: int
    signatures: int  # valid counted signatures on them (the petitions' public counts)
    owed: int  # petitions past the response threshold: a response is owed
    answered: int  # of those, answered
    answered_late: int  # answered after the deadline
    overdue: int  # unanswered and past the deadline now
    mean_days_to_answer: float | None  # threshold crossed -> answered, over those answered


async def body_figures(
    body_ids: list[int] | None = None, now: datetime | None = None
) -> dict[int, BodyPetitionFigures]:
    """Per body (all bodies with a published petition, or ``body_ids``): petitions received,
    open and closed, signatures, responses owed, answered (late), overdue and the mean days
    taken to answer. Plain reads, counted in Python."""
    now = now or datetime.now(UTC)
    qs = Petition.filter(status__in=(PetitionStatus.OPEN, PetitionStatus.CLOSED))
    if body_ids is not None:
        qs = qs.filter(body_id__in=body_ids)
    rows = await qs.values_list("id", "body_id", "status", "signature_count")
    per: dict[int, Counter[str]] = {}
    for _pid, body_id, status, count in rows:
        c = per.setdefault(int(body_id), Counter())
        c["petitions"] += 1
        c[str(status)] += 1
        c["signatures"] += int(count or 0)
    oq = ResponseObligation.all()
    if body_ids is not None:
        oq = oq.filter(body_id__in=body_ids)
    days: dict[int, list[float]] = {}
    for body_id, created_at, deadline, responded_at in await oq.values_list(
        "body_id", "created_at", "deadline", "responded_at"
    ):
        c = per.setdefault(int(body_id), Counter())
        c["owed"] += 1
        if responded_at is not None:
            c["answered"] += 1
            c["answered_late"] += responded_at > deadline
            days.setdefault(int(body_id), []).append(
                (responded_at - created_at).total_seconds() / 86400
            )
        elif deadline < now:
            c["overdue"] += 1
    out = {}
    for body_id, c in sorted(per.items()):
        taken = days.get(body_id, [])
        out[body_id] = BodyPetitionFigures(
            body_id=body_id, petitions=c["petitions"], open=c["open"], closed=c["closed"],
            signatures=c["signatures"], owed=c["owed"], answered=c["answered"],
            answered_late=c["answered_late"], overdue=c["overdue"],
            mean_days_to_answer=round(sum(taken) / len(taken), 1) if taken else None,
        )  # fmt: skip
    return out


def present(snap: ReportSnapshot) -> dict[str, Any]:
    """A built summary with labels in the reader's language, as ``(label, value, note)`` rows
    for the page's chart and tables (the last ``DAYS_SHOWN`` days)."""
    data = snap.data or {}
    days = [
        (format_date(date.fromisoformat(r["day"])), r["count"], "")
        for r in data.get("by_day", [])[-DAYS_SHOWN:]
    ]
    regions = [
        (region_label(r["region"]) if r["region"] else str(_("Not given")), r["count"], "")
        for r in data.get("by_region", [])
    ]
    return {"snapshot": snap, "data": data, "days": days, "regions": regions}


DAYS_SHOWN = 30
