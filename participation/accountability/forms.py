"""Typed input of the accountability forms. Officials write in one language at a time (the
``locale`` field); other languages are added with the same forms afterwards."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, ValidationInfo, model_validator

from participation.accountability.models import CommitmentStatus, Decision
from participation.forms import (
    Choice,
    DateTime,
    FieldError,
    FormModel,
    Integer,
    Text,
    field_error,
    parse_int,
)
from participation.i18n import LOCALES
from participation.i18n import gettext as _
from participation.i18n.formatting import ascii_digits

DECISIONS = tuple(d.value for d in Decision)
STATUSES = tuple(s.value for s in CommitmentStatus)


def _date(required: bool) -> Any:
    """A date (<input type=date>: YYYY-MM-DD, any of our digits); None when left empty."""

    def parse(value: Any) -> Any:
        text = ascii_digits(str(value or "").strip())
        if not text:
            if required:
                raise field_error(_("This field is required."))
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise field_error(_("Please enter a date like 2026-03-21.")) from None

    return Annotated[date if required else date | None, BeforeValidator(parse)]


def _comment_ids(value: Any) -> list[int]:
    """Comment numbers separated by commas or spaces."""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    out = []
    for raw in ascii_digits(str(value or "")).replace(",", " ").replace("#", " ").split():
        n = parse_int(raw, low=1, high=2**63 - 1)
        if n is None:
            raise field_error(_("Please enter comment numbers separated by commas."))
        out.append(n)
    return out


if TYPE_CHECKING:
    Locale = str
    Summary = str
    LongText = str
    Title = str
    Link = str
    Moment = Any
    Day = date
    OptionalDay = date | None
    Status = str
    Percent = int
    CommentIds = list[int]
else:
    Locale = Choice(LOCALES)
    Summary = Text(20000, required=False, multiline=True)
    LongText = Text(20000, required=False, multiline=True)
    Title = Text(200)
    Link = Text(500, required=False)
    Moment = DateTime()
    Day = _date(True)
    OptionalDay = _date(False)
    Status = Choice(STATUSES)
    Percent = Integer(0, 100)
    CommentIds = Annotated[list[int], BeforeValidator(_comment_ids)]


def field_name(kind: str, key: str) -> str:
    """The form field of one part: ``decision_section_12`` for the part ``section:12``."""
    return f"{kind}_{key.replace(':', '_')}"


class ResponseInput(FormModel):
    """The response in one language: the summary, and per part (context ``keys``: the part
    keys) a decision (not when ``translating``), what people said and why."""

    locale: Locale
    summary: Summary = ""
    parts: dict[str, dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def collect_parts(cls, raw: Any, info: ValidationInfo) -> Any:
        context = info.context or {}
        keys = context.get("keys", ())
        translating = context.get("translating", False)
        parts: dict[str, dict[str, str]] = {}
        for key in keys:
            decision = str(raw.get(field_name("decision", key), "")).strip()
            if not translating and decision not in DECISIONS:
                raise FieldError(
                    field_name("decision", key), _("Please choose one of the options.")
                )
            parts[key] = {
                "decision": decision,
                "said": str(raw.get(field_name("said", key), "")).strip()[:20000],
                "why": str(raw.get(field_name("why", key), "")).strip()[:20000],
            }  # fmt: skip
        if not translating and not str(raw.get("summary", "")).strip():
            raise FieldError("summary", _("This field is required."))
        return {**raw, "parts": parts}


class DebateInput(FormModel):
    locale: Locale
    debate_at: Moment
    link: Link = ""
    outcome: LongText = ""


class CommitmentInput(FormModel):
    """A new commitment; ``parts`` are keys among context ``keys``."""

    locale: Locale
    title: Title
    description: LongText = ""
    due_on: OptionalDay = None
    parts: list[str] = []
    comments: CommentIds = []

    @model_validator(mode="after")
    def known_parts(self, info: ValidationInfo) -> CommitmentInput:
        keys = set((info.context or {}).get("keys", ()))
        if any(p not in keys for p in self.parts):
            raise FieldError("parts", _("Please choose one of the options."))
        return self


class CommitmentTextInput(FormModel):
    """(Field names are prefixed: the commitment page holds several forms.)"""

    text_locale: Locale
    text_title: Title
    text_description: LongText = ""


class UpdateInput(FormModel):
    locale: Locale
    status: Status
    progress: Percent
    text: LongText = ""
    reason: LongText = ""


class MilestoneInput(FormModel):
    milestone_locale: Locale
    milestone_title: Title
    milestone_due_on: Day


class MilestoneDoneInput(FormModel):
    done_on: Day
