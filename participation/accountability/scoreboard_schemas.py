"""The scoreboard's JSON: each body's figures as the job last computed them, and the ranking."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from participation.schemas import Params, Schema


class ScoreboardPath(Params):
    slug: str = Field(min_length=1, max_length=80)


class QuarterOut(Schema):
    quarter: str = Field(description="YYYY-Qn")
    starts_on: date
    ends_on: date
    answered_on_time: int
    answered_late: int
    overdue: int = Field(description="obligations whose deadline passed in it, still unanswered")
    commitments_done: int


class FiguresOut(Schema):
    consultations_held: int = Field(description="consultations closed, so owed a response")
    petitions_owed: int
    petitions_answered: int
    owed: int = Field(description="every answer owed (consultations and petitions)")
    answered_on_time: int
    answered_late: int
    overdue_now: int
    due_now: int = Field(description="owed, deadline not passed yet")
    median_days_to_respond: float | None
    on_time_share: float | None = Field(
        description="answered on time / (on time + late + overdue now); null: none owed yet"
    )
    commitments: int
    commitments_done: int
    commitments_done_late: int = Field(description="done, but after their date")
    commitments_late: int = Field(description="still open past their date")
    commitments_dropped: int
    commitments_open: int


class BodyScoreOut(Schema):
    rank: int | None = Field(description="place in the ranking; null: nothing owed yet")
    body: str = Field(description="the body's slug")
    name: str
    computed_at: datetime
    figures: FiguresOut
    history: list[QuarterOut]
    url: str


class ScoreboardOut(Schema):
    items: list[BodyScoreOut]
