"""The scoreboard against a hand-computed fixture, with an injected clock: per body figures,
history by quarter, the ranking, each body computed on its own, the pages and the JSON.

The fixture (all at noon UTC), seen at NOW = 15 June 2026:
health owes five answers:
  1 consultation opened 10 Jan, due 4 Apr, answered 1 Mar  -> on time, 50 days  (2026-Q1)
  2 consultation opened 1 Feb, due 26 Apr, answered 6 May  -> late, 94 days     (2026-Q2)
  3 petition opened 1 Mar, due 31 May, unanswered          -> overdue now       (2026-Q2)
  4 petition opened 1 Jun, due 31 Aug, unanswered          -> not yet due
  5 petition opened 1 Nov 2025, due 31 Jan, answered 20 Dec 2025 -> on time, 49 days (2025-Q4)
  median days to respond: median(50, 94, 49) = 50; on time share 2 / (2 + 1 + 1) = 0.5
and six commitments: done before its date (20 Apr, Q2), done after it (10 Mar for 1 Mar, Q1),
in progress past its date (1 Jun), planned for December, planned with no date, dropped.
water owes one: opened 1 Jan, due 26 Mar, answered 20 Mar -> on time, 78 days; share 1.0.
idle owes nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest

from participation import jobs
from participation.accountability import scoreboard
from participation.accountability.models import (
    Commitment,
    CommitmentStatus,
    Obligation,
    Response,
)
from participation.accountability.scoreboard import refresh_scoreboard, score_of
from participation.organisations.models import Body
from tests.factories import make_body

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def noon(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, tzinfo=UTC)


async def _owes(body: Body, kind: str, n: int, opened: datetime, due: datetime,
                answered: datetime | None) -> None:  # fmt: skip
    await Obligation.create(target_type=kind, target_id=n, body_id=body.id, opened_at=opened,
                            due_at=due, answered_at=answered)  # fmt: skip


async def _promises(
    body: Body, *items: tuple[CommitmentStatus, date | None, datetime | None]
) -> None:
    r = await Response.create(target_type="consultation", target_id=1000 + body.id,
                              body_id=body.id, published_at=noon(2026, 3, 1))  # fmt: skip
    for status, due_on, done_at in items:
        await Commitment.create(response=r, body_id=body.id, status=status, due_on=due_on,
                                done_at=done_at, created_at=noon(2026, 3, 1),
                                updated_at=noon(2026, 3, 1))  # fmt: skip


@pytest.fixture
async def bodies(db: object) -> dict[str, Body]:
    health = await make_body("health", name="Ministry of Health")
    water = await make_body("water", name="Water Board")
    idle = await make_body("idle", name="Idle Office")
    await _owes(health, "consultation", 1, noon(2026, 1, 10), noon(2026, 4, 4), noon(2026, 3, 1))
    await _owes(health, "consultation", 2, noon(2026, 2, 1), noon(2026, 4, 26), noon(2026, 5, 6))
    await _owes(health, "petition", 3, noon(2026, 3, 1), noon(2026, 5, 31), None)
    await _owes(health, "petition", 4, noon(2026, 6, 1), noon(2026, 8, 31), None)
    await _owes(health, "petition", 5, noon(2025, 11, 1), noon(2026, 1, 31), noon(2025, 12, 20))
    await _promises(
        health,
        (CommitmentStatus.DONE, date(2026, 5, 1), noon(2026, 4, 20)),
        (CommitmentStatus.DONE, date(2026, 3, 1), noon(2026, 3, 10)),
        (CommitmentStatus.IN_PROGRESS, date(2026, 6, 1), None),
        (CommitmentStatus.PLANNED, date(2026, 12, 1), None),
        (CommitmentStatus.PLANNED, None, None),
        (CommitmentStatus.DROPPED, date(2026, 7, 1), None),
    )
    await _owes(water, "consultation", 9, noon(2026, 1, 1), noon(2026, 3, 26), noon(2026, 3, 20))
    return {"health": health, "water": water, "idle": idle}


async def test_a_bodys_figures_are_the_hand_computed_ones(bodies: dict[str, Body]) -> None:
    assert await refresh_scoreboard(NOW) == 3
    score = await score_of(bodies["health"].id)
    assert score is not None and score.computed_at == NOW
    f = dict(score.figures)
    history = f.pop("history")
    assert f == {
        "consultations_held": 2, "petitions_owed": 3, "petitions_answered": 1, "owed": 5,
        "answered_on_time": 2, "answered_late": 1, "overdue_now": 1, "due_now": 1,
        "median_days_to_respond": 50.0, "on_time_share": 0.5,
        "commitments": 6, "commitments_done": 2, "commitments_done_late": 1,
        "commitments_late": 1, "commitments_dropped": 1, "commitments_open": 2,
    }  # fmt: skip
    assert history == [
        {"quarter": "2025-Q4", "starts_on": "2025-10-01", "ends_on": "2025-12-31",
         "answered_on_time": 1, "answered_late": 0, "overdue": 0, "commitments_done": 0},
        {"quarter": "2026-Q1", "starts_on": "2026-01-01", "ends_on": "2026-03-31",
         "answered_on_time": 1, "answered_late": 0, "overdue": 0, "commitments_done": 1},
        {"quarter": "2026-Q2", "starts_on": "2026-04-01", "ends_on": "2026-06-30",
         "answered_on_time": 0, "answered_late": 1, "overdue": 1, "commitments_done": 1},
    ]  # fmt: skip
    idle = await score_of(bodies["idle"].id)
    assert idle is not None and idle.figures["owed"] == 0
    assert idle.figures["on_time_share"] is None and idle.figures["history"] == []


async def test_the_clock_moves_answers_from_due_to_overdue(bodies: dict[str, Body]) -> None:
    await refresh_scoreboard(noon(2026, 8, 31))  # the deadline itself: still due
    health = await score_of(bodies["health"].id)
    assert health is not None
    assert (health.figures["overdue_now"], health.figures["due_now"]) == (1, 1)
    await refresh_scoreboard(noon(2026, 9, 5))
    health = await score_of(bodies["health"].id)
    assert health is not None
    assert (health.figures["overdue_now"], health.figures["due_now"]) == (2, 0)
    assert health.figures["on_time_share"] == 0.4  # 2 / (2 + 1 + 2)
    assert health.figures["commitments_late"] == 1  # the December one is not late yet
    assert health.figures["history"][-1]["quarter"] == "2026-Q3"


async def test_bodies_are_ranked_by_answers_on_time(bodies: dict[str, Body]) -> None:
    await refresh_scoreboard(NOW)
    lines = await scoreboard.board()
    assert [(x.rank, x.body.slug) for x in lines] == [(1, "water"), (2, "health"), (None, "idle")]


async def test_a_body_that_fails_keeps_its_figures_and_the_others_go_on(
    bodies: dict[str, Body], monkeypatch: pytest.MonkeyPatch
) -> None:
    await refresh_scoreboard(NOW)
    real = scoreboard.refresh_body
    later = noon(2026, 9, 5)

    async def failing(body_id: int, now: datetime) -> object:
        if body_id == bodies["health"].id:
            raise RuntimeError("this body's data cannot be read")
        return await real(body_id, now)

    monkeypatch.setattr(scoreboard, "refresh_body", failing)
    assert await refresh_scoreboard(later) == 2
    health, water = await score_of(bodies["health"].id), await score_of(bodies["water"].id)
    assert health is not None and water is not None
    assert health.computed_at == NOW and water.computed_at == later


async def test_the_job_runs_every_hour() -> None:
    periodic = {p.name: p for p in jobs.job_registry().periodic}
    assert periodic["compute_scoreboard"].seconds == 3600


async def test_pages_and_json_show_the_stored_figures(
    bodies: dict[str, Body], client: httpx.AsyncClient
) -> None:
    r = await client.get("/accountability/scoreboard/health")
    assert r.status_code == 200 and "has not been computed yet" in r.text
    assert (await client.get("/api/v1/scoreboard/health")).status_code == 404
    await refresh_scoreboard(NOW)
    r = await client.get("/accountability/scoreboard")
    assert r.status_code == 200
    assert (
        r.text.index("Water Board")
        < r.text.index("Ministry of Health")
        < r.text.index("Idle Office")
    )
    r = await client.get("/accountability/scoreboard/health")
    assert "Rank 2 of 2." in r.text and "50%" in r.text and "1 of them after its date" in r.text
    fa = await client.get("/accountability/scoreboard/health?lang=fa")
    assert (
        "۵۰٪" in fa.text and "رتبهٔ ۲ از ۲." in fa.text and "Water" not in fa.text.split("<main")[-1]
    )
    data = (await client.get("/api/v1/scoreboard")).json()
    assert [(i["rank"], i["body"]) for i in data["items"]] == [
        (1, "water"),
        (2, "health"),
        (None, "idle"),
    ]
    one = (await client.get("/api/v1/scoreboard/health")).json()
    assert one["figures"]["median_days_to_respond"] == 50.0 and one["rank"] == 2
    assert [h["quarter"] for h in one["history"]] == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert one == data["items"][1]
    assert (await client.get("/accountability/scoreboard/nowhere")).status_code == 404
    assert (await client.get("/api/v1/scoreboard/nowhere")).status_code == 404
