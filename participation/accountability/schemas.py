"""The JSON API's models of responses and commitments. No personal data: the official body's
name, never who published or updated (their ids stay in the audit log)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from participation.accountability.models import CommitmentStatus
from participation.db import INT_MAX
from participation.schemas import Page, Params, Query, Schema

Texts = dict[str, dict[str, str]]


class ResponsesQuery(Query):
    cursor: int | None = Field(
        None, ge=1, le=INT_MAX, description="next_cursor of the previous page"
    )
    limit: int = Field(20, ge=1, le=100, description="items per page")
    body: str | None = Field(None, max_length=80, description="slug of the answering body")
    target_type: Literal["consultation", "petition"] | None = None


class CommitmentsQuery(Query):
    cursor: int | None = Field(
        None, ge=1, le=INT_MAX, description="next_cursor of the previous page"
    )
    limit: int = Field(20, ge=1, le=100, description="items per page")
    body: str | None = Field(None, max_length=80, description="slug of the owning body")
    status: Literal["planned", "in_progress", "done", "dropped"] | None = None


class ObligationsQuery(Query):
    cursor: int | None = Field(
        None, ge=1, le=INT_MAX, description="next_cursor of the previous page"
    )
    limit: int = Field(20, ge=1, le=100, description="items per page")
    body: str | None = Field(None, max_length=80, description="slug of the body that owes it")
    target_type: Literal["consultation", "petition"] | None = None
    state: Literal["due", "overdue", "answered"] | None = Field(
        None, description="due or overdue (unanswered, by the deadline), or answered"
    )


class ResponsePath(Params):
    id: int = Field(ge=1, le=INT_MAX)


class CommitmentPath(Params):
    id: int = Field(ge=1, le=INT_MAX)


class BodyRef(Schema):
    slug: str
    name: str


class Deadline(Schema):
    """The obligation the response answers: since and until when, and how it stands now."""

    opened_at: datetime
    due_at: datetime
    answered_at: datetime | None
    state: Literal["due", "on_time", "late", "overdue"]
    days: int = Field(description="days until the deadline (due), before it (on time), past it")


class ReportRef(Schema):
    snapshot_id: int | None
    version: int | None


class PartOut(Schema):
    target_type: str
    target_id: int
    position: int = Field(description="0: the whole; else the section's number")
    decision: Literal["changed", "kept", "dropped", "study"]
    texts: Texts = Field(description="{language: {said, why}}")
    original_language: str
    figures: dict[str, Any]


class ResponseItem(Schema):
    id: int
    target_type: str
    target_id: int
    body: BodyRef | None
    published_at: datetime
    original_language: str
    languages: list[str]
    texts: Texts = Field(description="{language: {summary, debate_outcome}}")
    deadline: Deadline | None
    url: str


class ResponseOut(ResponseItem):
    report: ReportRef
    figures: dict[str, Any]
    debate_at: datetime | None
    debate_link: str
    parts: list[PartOut]
    commitments: list[int]


class MilestoneOut(Schema):
    texts: Texts
    due_on: date
    done_on: date | None


class UpdateOut(Schema):
    kind: Literal["created", "progress", "milestone"]
    status: CommitmentStatus
    progress: int
    texts: Texts
    at: datetime


class LinkOut(Schema):
    target_type: str
    target_id: int


class CommitmentItem(Schema):
    id: int
    response_id: int
    body: BodyRef | None
    texts: Texts = Field(description="{language: {title, description}}")
    original_language: str
    due_on: date | None
    status: CommitmentStatus
    progress: int
    dropped_reason: str
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
    url: str


class CommitmentOut(CommitmentItem):
    answers: list[LinkOut]
    milestones: list[MilestoneOut]
    history: list[UpdateOut]


class ObligationItem(Schema):
    """An answer owed: by which body, on what, since and until when, and how it stands."""

    id: int
    target_type: str
    target_id: int
    body: BodyRef | None
    deadline: Deadline
    response_id: int | None
    url: str | None = Field(description="the page of what is owed an answer, while public")


ObligationPage = Page[ObligationItem]
ResponsePage = Page[ResponseItem]
CommitmentPage = Page[CommitmentItem]
