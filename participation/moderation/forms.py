"""Moderation forms: typed input (``participation.forms``), bound in the views with ``bind``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator

from participation.forms import BIGINT_MAX, Choice, FormModel, Integer, Text, field_error
from participation.i18n import gettext as _
from participation.moderation.models import FlagReason

SUSPENSION_DAYS = (1, 3650)
TEXT_MAX = 2000


def _reason(value: Any) -> FlagReason:
    try:
        return FlagReason(str(value or "").strip())
    except ValueError:
        raise field_error(_("Please choose a reason.")) from None


if TYPE_CHECKING:  # mypy reads the Python types, pydantic the validating ones below
    TargetType = str
    Id = int
    Reason = str  # a FlagReason (a StrEnum)
    Note = str
    Next = str
    AppealText = str
    Decision = str
    Days = int
    Why = str
else:
    TargetType = Text(40)
    Id = Integer(0, BIGINT_MAX)  # the host checks its own range
    Reason = Annotated[FlagReason, BeforeValidator(_reason)]
    Note = Text(required=False)  # cut to 500 characters by the service
    Next = Text(2000, required=False)
    AppealText = Text(TEXT_MAX, min_length=10, multiline=True)
    Decision = Choice(("restore", "uphold"))
    Days = Integer(*SUSPENSION_DAYS)
    Why = Text(1000, min_length=5, multiline=True)


class FlagInput(FormModel):
    """A reader reports an item."""

    reason: Reason = ""
    note: Note = ""


class TargetFlagInput(FlagInput):
    """A report of any item (``/moderation/flag``), then back to ``next``."""

    target_type: TargetType
    target_id: Id
    next: Next = ""


class TargetInput(FormModel):
    """The item a moderator acts on."""

    target_type: TargetType
    target_id: Id


class HideInput(TargetInput):
    reason: Reason = ""
    note: Note = ""


class RestoreInput(TargetInput):
    note: Note = ""


class ApproveInput(TargetInput):
    note: Note = ""


class CampaignInput(FormModel):
    """Every copy of one group of near-duplicate comments (a campaign)."""

    group_id: Id
    reason: Reason = ""
    note: Note = ""


class AppealInput(FormModel):
    """The author of a hidden item asks for another look."""

    text: AppealText


class DecisionInput(FormModel):
    """A moderator decides an appeal: show the item again, or keep it hidden."""

    decision: Decision
    note: Note = ""


class SuspendInput(FormModel):
    """A person suspended from taking part for some days, with the reason they are told."""

    days: Days
    reason: Why


class LiftInput(FormModel):
    note: Note = ""
