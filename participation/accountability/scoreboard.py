"""The scoreboard: how each government body answers and keeps its word.

Per body: consultations held (closed, and so owed a response), answers given on time, given
late, and overdue now, the median number of days it took to answer, petitions answered,
commitments done (and of those, done after their date), late (still open past their date) and
dropped, and the same by quarter. A
periodic job computes every body's figures into ``accountability_scores`` (``BodyScore``),
each body on its own (one that fails is logged and keeps its last figures); pages and the API
read that table, never the obligations. Everything takes ``now``: tests drive the clock.

The ranking (``ranked``) orders the bodies that owed at least one answer by their share of
answers given on time (overdue ones count against it), then by fewer overdue now, then by the
median days to answer.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from participation.accountability.deadlines import State, standing
from participation.accountability.models import Commitment, CommitmentStatus, Obligation
from participation.accountability.scoreboard_models import BodyScore
from participation.db import transaction
from participation.organisations import queries as body_queries
from participation.organisations.models import Body

log = logging.getLogger("participation.accountability.scoreboard")

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Owed:
    target_type: str
    opened_at: datetime
    due_at: datetime
    answered_at: datetime | None


@dataclass(frozen=True)
class Promise:
    status: str
    due_on: date | None
    done_at: datetime | None


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def quarter_of(moment: datetime | date) -> tuple[int, int]:
    return moment.year, (moment.month - 1) // 3 + 1


def _quarter(year: int, q: int) -> dict[str, Any]:
    start = date(year, 3 * q - 2, 1)
    end = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - DAY
    return {"quarter": f"{year}-Q{q}", "starts_on": start.isoformat(), "ends_on": end.isoformat(),
            "answered_on_time": 0, "answered_late": 0, "overdue": 0, "commitments_done": 0}  # fmt: skip


def compute(owed: Iterable[Owed], promises: Iterable[Promise], now: datetime) -> dict[str, Any]:
    """A body's figures at ``now`` (JSON-ready).

    History by quarter: an answer counts in the quarter it was given, an overdue obligation in
    the quarter its deadline passed, a commitment done in the quarter it was done."""
    now = _utc(now)
    today = now.date()
    f: dict[str, Any] = dict(
        consultations_held=0, petitions_owed=0, petitions_answered=0, owed=0,
        answered_on_time=0, answered_late=0, overdue_now=0, due_now=0,
        median_days_to_respond=None, on_time_share=None,
        commitments=0, commitments_done=0, commitments_done_late=0, commitments_late=0,
        commitments_dropped=0, commitments_open=0,
    )  # fmt: skip
    quarters: dict[tuple[int, int], dict[str, Any]] = {}

    def q(moment: datetime | date) -> dict[str, Any]:
        key = quarter_of(moment)
        return quarters.setdefault(key, _quarter(*key))

    days: list[float] = []
    for o in owed:
        f["owed"] += 1
        if o.target_type == "consultation":
            f["consultations_held"] += 1
        elif o.target_type == "petition":
            f["petitions_owed"] += 1
            f["petitions_answered"] += o.answered_at is not None
        s = standing(_utc(o.due_at), _utc(o.answered_at) if o.answered_at else None, now)
        if s.state == State.ON_TIME:
            f["answered_on_time"] += 1
        elif s.state == State.LATE:
            f["answered_late"] += 1
        elif s.state == State.OVERDUE:
            f["overdue_now"] += 1
            q(_utc(o.due_at))["overdue"] += 1
        else:
            f["due_now"] += 1
        if o.answered_at is not None:
            answered = _utc(o.answered_at)
            q(answered)["answered_on_time" if s.state == State.ON_TIME else "answered_late"] += 1
            days.append(max(0.0, (answered - _utc(o.opened_at)) / DAY))
    if days:
        f["median_days_to_respond"] = round(statistics.median(days), 1)
    judged = f["answered_on_time"] + f["answered_late"] + f["overdue_now"]
    if judged:
        f["on_time_share"] = round(f["answered_on_time"] / judged, 4)
    for p in promises:
        f["commitments"] += 1
        if p.status == CommitmentStatus.DONE:
            f["commitments_done"] += 1
            if p.done_at is not None:
                q(_utc(p.done_at))["commitments_done"] += 1
                if p.due_on is not None and _utc(p.done_at).date() > p.due_on:
                    f["commitments_done_late"] += 1
        elif p.status == CommitmentStatus.DROPPED:
            f["commitments_dropped"] += 1
        elif p.due_on is not None and p.due_on < today:
            f["commitments_late"] += 1
        else:
            f["commitments_open"] += 1
    f["history"] = [quarters[k] for k in sorted(quarters)]
    return f


# ---- the job's writes -----------------------------------------------------------------------


async def refresh_body(body_id: int, now: datetime) -> BodyScore:
    """Compute one body's figures at ``now`` and store them (its own transaction)."""
    obligations = await Obligation.filter(body_id=body_id).values(
        "target_type", "opened_at", "due_at", "answered_at"
    )
    commitments = await Commitment.filter(body_id=body_id).values("status", "due_on", "done_at")
    figures = compute(
        [Owed(**o) for o in obligations],
        [Promise(str(c["status"]), c["due_on"], c["done_at"]) for c in commitments],
        now,
    )
    async with transaction():
        row = await BodyScore.select_for_update().get_or_none(body_id=body_id)
        if row is None:
            return await BodyScore.create(body_id=body_id, computed_at=now, figures=figures)
        row.computed_at, row.figures = now, figures
        await row.save(update_fields=["computed_at", "figures"])
        return row


async def refresh_scoreboard(now: datetime | None = None) -> int:
    """Every body's figures, each on its own: one that fails is logged and keeps its last
    figures, the others are computed. Returns how many were computed."""
    now = now or datetime.now(UTC)
    done = 0
    for body in await body_queries.all_bodies():
        try:
            await refresh_body(body.id, now)
            done += 1
        except Exception:
            log.exception("scoreboard of body %s not computed", body.id)
    return done


# ---- reads --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    rank: int | None  # None: nothing was owed yet, so nothing to rank
    body: Body
    score: BodyScore


def _order(line: tuple[Body, BodyScore]) -> tuple[Any, ...]:
    body, score = line
    f = score.figures
    median = f.get("median_days_to_respond")
    return (-(f.get("on_time_share") or 0.0), f.get("overdue_now", 0),
            median if median is not None else float("inf"), body.slug)  # fmt: skip


async def board() -> list[Line]:
    """Every body with figures, ranked; those owed nothing yet after, unranked, by slug."""
    scores = {s.body_id: s for s in await BodyScore.all()}
    bodies = await body_queries.bodies_by_ids(sorted(scores))
    judged = [
        (b, scores[b.id]) for b in bodies if scores[b.id].figures.get("on_time_share") is not None
    ]
    rest = [(b, scores[b.id]) for b in bodies if scores[b.id].figures.get("on_time_share") is None]
    lines = [Line(i + 1, b, s) for i, (b, s) in enumerate(sorted(judged, key=_order))]
    return lines + [Line(None, b, s) for b, s in sorted(rest, key=lambda bs: bs[0].slug)]


async def score_of(body_id: int) -> BodyScore | None:
    return await BodyScore.get_or_none(body_id=body_id)


# ---- the job ----------------------------------------------------------------------------------


async def compute_scoreboard(ctx: dict[str, Any]) -> int:
    """Hourly: every body's scoreboard (listed in ``tasks.periodic``)."""
    return await refresh_scoreboard()
