"""Where an obligation stands at a moment: due, answered on time, answered late, overdue.

Nothing here reads a clock: every function takes ``now``, so tests (and the daily job) drive
the transitions. Days are whole days, rounded up: an answer one hour late is one day late.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from participation.i18n import gettext as _
from participation.i18n import ngettext

DAY = timedelta(days=1)


class State(StrEnum):
    DUE = "due"
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Standing:
    state: State
    days: int  # until the deadline (due), before it (on time), past it (late, overdue)

    @property
    def sentence(self) -> str:
        """The sentence shown ("due in 3 days", "answered 2 days late", "overdue by 5
        days"), in the reader's language and digits."""
        return describe(self)


def _days(span: timedelta) -> int:
    return max(0, math.ceil(span / DAY))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def standing(due_at: datetime, answered_at: datetime | None, now: datetime) -> Standing:
    due_at, now = _utc(due_at), _utc(now)
    if answered_at is not None:
        answered_at = _utc(answered_at)
        if answered_at <= due_at:
            return Standing(State.ON_TIME, _days(due_at - answered_at))
        return Standing(State.LATE, _days(answered_at - due_at))
    if now <= due_at:
        return Standing(State.DUE, _days(due_at - now))
    return Standing(State.OVERDUE, _days(now - due_at))


def describe(s: Standing) -> str:
    if s.state == State.DUE:
        if s.days == 0:
            return _("due today")
        return ngettext("due in %(num)s day", "due in %(num)s days", s.days)
    if s.state == State.ON_TIME:
        return _("answered on time")
    if s.state == State.LATE:
        return ngettext("answered %(num)s day late", "answered %(num)s days late", s.days)
    return ngettext("overdue by %(num)s day", "overdue by %(num)s days", s.days)
