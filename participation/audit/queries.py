"""Reads of the audit log: keyset pages, newest first."""

from __future__ import annotations

from participation.audit.models import AuditEvent


async def page(
    *, before: int | None = None, after: int | None = None, size: int = 50
) -> tuple[list[AuditEvent], bool, bool]:
    """One page of events, newest first: (events, has_older, has_newer).

    ``before``: events older than this id; ``after``: the page just newer than this id.
    """
    if after is not None:
        rows = await AuditEvent.filter(id__gt=after).order_by("id").limit(size + 1)
        has_newer = len(rows) > size
        events = list(reversed(rows[:size]))
        has_older = True
    else:
        qs = AuditEvent.all()
        if before is not None:
            qs = qs.filter(id__lt=before)
        rows = await qs.order_by("-id").limit(size + 1)
        has_older = len(rows) > size
        events = rows[:size]
        has_newer = before is not None
    return events, has_older, has_newer and bool(events)


async def count() -> int:
    return await AuditEvent.all().count()
