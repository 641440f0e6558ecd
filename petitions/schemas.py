"""The JSON API's models of petitions: what it returns (counts only, never signers' personal
data) and the parameters it reads, from which the OpenAPI document is generated."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from participation.db import INT_MAX
from participation.schemas import Page, Params, Query, Schema

BODY_SLUG_MAX = 80


class PetitionListQuery(Query):
    status: Literal["open", "closed", "rejected"] = Field("open", description="open by default")
    body: str | None = Field(
        None, max_length=BODY_SLUG_MAX, description="slug of the government body"
    )
    sort: Literal["count", "newest"] = Field("count", description="most signed first by default")
    q: str | None = Field(
        None, max_length=200,
        description="words that the title or texts contain, in any language (part of a word "
        "is enough)",
    )  # fmt: skip
    cursor: str | None = Field(
        None, pattern=r"^[0-9]{1,10}-[0-9]{1,10}$", description="next_cursor of the previous page"
    )

    @property
    def position(self) -> tuple[int, int] | None:
        """The cursor as (count or id, id) of the last petition of the previous page; a number
        beyond any column's range reads as the largest (nothing lies beyond it either)."""
        if self.cursor is None:
            return None
        count, _sep, last_id = self.cursor.partition("-")
        return min(int(count), INT_MAX), min(int(last_id), INT_MAX)


class PetitionPath(Params):
    id: int = Field(ge=0, le=INT_MAX)


class PetitionItem(Schema):
    id: int
    title: str
    language: str
    status: str
    body: str = Field(description="slug of the government body")
    signature_count: int
    opened_at: datetime | None
    closes_at: datetime | None
    url: str


class RegionCount(Schema):
    region: str
    count: int


class PetitionOut(Schema):
    id: int
    title: str
    action: str
    background: str
    details: str
    language: str
    status: str
    body: str = Field(description="slug of the government body")
    signature_count: int
    counts_by_region: list[RegionCount]
    counted_at: datetime | None
    opened_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None
    reject_reason: str | None
    response_threshold_reached_at: datetime | None
    debate_threshold_reached_at: datetime | None
    response_deadline: datetime | None
    debate_at: datetime | None
    url: str


PetitionPage = Page[PetitionItem]
