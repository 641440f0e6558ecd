"""The JSON API of the public audit log: its events (the public ones, as on the page: no
personal data) and its signed checkpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from participation.db import BIGINT_MAX
from participation.schemas import Day, Page, Params, Schema

Lang = Literal["en", "fa", "ar", "fr"]


class AuditQuery(Params):
    body: str | None = Field(None, max_length=80, description="slug of a government body")
    kind: str | None = Field(
        None, max_length=80, description="an action code (``action`` of an event)"
    )
    since: Day | None = Field(None, description="events from this day on (UTC)")
    until: Day | None = Field(None, description="events up to this day, included (UTC)")
    cursor: int | None = Field(
        None, ge=1, le=BIGINT_MAX, description="next_cursor of the previous page"
    )
    limit: int = Field(50, ge=1, le=200, description="events per page")
    lang: Lang | None = Field(None, description="language of the labels (else the reader's)")


class BodyRef(Schema):
    slug: str
    name: str


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    action: str = Field(description="the action's code")
    label: str = Field(description="the action in words, in the requested language")
    by: str = Field(description="the role in which it was done (no person is named)")
    target_type: str
    target_id: str | None = Field(description="null when the target is a person's account")
    bodies: list[BodyRef]
    reasons: list[str] = Field(description="the reasons given, as recorded or in words")
    hash: str
    prev_hash: str


class AuditEventPage(Page[AuditEventOut]):
    pass


class CheckpointOut(Schema):
    id: int
    created_at: datetime
    event_count: int = Field(description="events in the log when it was recorded")
    head_id: int = Field(description="id of the newest event then (0: none)")
    head_hash: str = Field(description="hash of that event")
    signature: str = Field(description="HMAC-SHA256 of the payload, with the platform's key")


class CheckpointList(Schema):
    payload: str = Field(
        description="what is signed: the JSON object of created_at (UTC, "
        "%Y-%m-%dT%H:%M:%S.%fZ), event_count, head_id and head_hash, keys sorted, no spaces"
    )
    items: list[CheckpointOut]
