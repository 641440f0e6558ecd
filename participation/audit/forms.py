"""The public audit log's filters (a GET form): body, kind of action, dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo

from participation.audit.queries import PUBLIC_ACTIONS
from participation.forms import Choice, FormModel, field_error
from participation.i18n import gettext as _
from participation.i18n.context import get_time_zone
from participation.i18n.formatting import ascii_digits


def _day(value: Any) -> date | None:
    text = ascii_digits(str(value or "").strip())
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise field_error(_("Please enter a date like 2026-03-21.")) from None


def _body(value: Any, info: ValidationInfo) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if text not in (info.context or {}).get("bodies", ()):
        raise field_error(_("Please choose one of the options."))
    return text


Day = Annotated[date | None, BeforeValidator(_day)]


class AuditFilterInput(FormModel):
    body: Annotated[str | None, BeforeValidator(_body)] = None  # a body's slug
    kind: Choice(sorted(PUBLIC_ACTIONS), required=False) = None  # type: ignore[valid-type]
    since: Day = None
    until: Day = None  # inclusive

    def moments(self) -> tuple[datetime | None, datetime | None]:
        """[since, until) as moments: the days are read in the deployment's time zone."""
        zone = get_time_zone()

        def start(d: date | None) -> datetime | None:
            return datetime.combine(d, time(0), zone).astimezone(UTC) if d else None

        return start(self.since), start(self.until + timedelta(days=1) if self.until else None)
