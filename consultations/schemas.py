"""The JSON API's models of consultations: what it returns (no personal data: display names
only) and the parameters it reads, from which the OpenAPI document is generated."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from participation.db import INT_MAX
from participation.schemas import Page, Params, Query, Schema

SLUG_MAX = 120  # Consultation.slug's column: a longer one cannot exist

# ---- parameters ---------------------------------------------------------------------------------

Lang = Literal["en", "fa", "ar", "fr"]
LangField = Field(None, description="language of the texts (else the reader's)")


class LangQuery(Query):
    lang: Lang | None = LangField


class ListQuery(Query):
    body: str | None = Field(None, max_length=80, description="slug of an owning body")
    status: Literal["scheduled", "open", "closed"] | None = None
    topic: str | None = Field(None, max_length=80)
    region: str | None = Field(None, max_length=100)
    q: str | None = Field(
        None, max_length=200, description="search in titles and summaries, every language"
    )
    cursor: int | None = Field(
        None, ge=1, le=INT_MAX, description="next_cursor of the previous page"
    )
    limit: int = Field(20, ge=1, le=100, description="items per page")
    lang: Lang | None = LangField


class CommentsQuery(Query):
    sort: Literal["newest", "oldest", "supported", "contested"] = "newest"
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page")


Slug = Annotated[str, Field(min_length=1, max_length=SLUG_MAX)]


class ConsultationPath(Params):
    slug: Slug


class SectionPath(Params):
    slug: Slug
    number: int = Field(ge=1, le=INT_MAX, description="the section's number, from 1")


# ---- responses ----------------------------------------------------------------------------------


class BodyRef(Schema):
    slug: str
    name: str


class ConsultationItem(Schema):
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


class ConsultationItemPage(Page[ConsultationItem]):
    """Consultations, newest first."""


class SectionOut(Schema):
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


class DateChangeOut(Schema):
    kind: str
    reason: str
    at: datetime
    new_closes_at: datetime | None


class ReportFigures(Schema):
    """What the consultation received, as the report keeps it (replies included, hidden and
    deleted comments not); ``sections``: position, comments, for, against, neutral."""

    comments: int
    comments_for: int
    comments_against: int
    comments_neutral: int
    paper: int
    answer_sets: int
    sections: list[dict[str, int]]


class OutcomeOut(Schema):
    """The report or the response of a closed consultation, as published (never changed)."""

    text: str
    language: str
    translated: bool
    published_at: datetime
    published_by: BodyRef | None
    figures: ReportFigures | None


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


class CommentOut(Schema):
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
    hidden: Literal["moderator", "flags"] | None = Field(
        None,
        description="hidden by a moderator, or by readers' reports pending review: its author,"
        " text and stance are left out, its replies stay",
    )
    hidden_reason: str | None = Field(None, description="the moderator's reason when hidden")


class CommentOutPage(Page[CommentOut]):
    """Comments, each top-level one followed by its replies."""


class OptionResultOut(Schema):
    key: str
    label: str
    count: int
    share: float


class QuestionResultOut(Schema):
    position: int
    text: str
    kind: str
    required: bool
    answered: int
    options: list[OptionResultOut]
    mean: float | None
    texts: list[str]


class ResultsOut(Schema):
    consultation: str
    respondents: int
    questions: list[QuestionResultOut]


class ReportOut(Schema):
    """The latest feedback report of a consultation, as its job built it (no personal data)."""

    consultation: str
    version: int
    built_at: datetime | None
    covers_until: datetime | None = Field(description="everything received before is counted")
    data: dict[str, Any] = Field(
        description="participation, stances, questionnaire, supported, contested, moderation"
    )
