"""The moderation queue: flagged items by flag count and recently hidden items, with the count
of reports per reason. (What each item says comes from its host: ``targets.ModerationHost``.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.functions import Count

from participation.moderation.models import Flag, ModerationState


@dataclass(slots=True)
class QueueItem:
    target_type: str
    target_id: int
    flag_count: int
    reasons: dict[str, int]
    hidden_at: datetime | None
    hidden_reason: str | None
    # what it says and who wrote it (filled from its host)
    excerpt: str = ""
    author_name: str = ""


async def _reasons(items: list[QueueItem]) -> list[QueueItem]:
    if items:
        flags = (
            await Flag.filter(target_id__in=[i.target_id for i in items])
            .annotate(n=Count("id"))
            .group_by("target_type", "target_id", "reason")
            .values("target_type", "target_id", "reason", "n")
        )
        index = {(i.target_type, i.target_id): i for i in items}
        for f in flags:
            item = index.get((f["target_type"], f["target_id"]))
            if item is not None:
                reason = f["reason"]
                item.reasons[str(getattr(reason, "value", reason))] = f["n"]
    return items


def _item(row: dict[str, Any]) -> QueueItem:
    reason = row["hidden_reason"]
    return QueueItem(
        row["target_type"], row["target_id"], row["flag_count"], {}, row["hidden_at"],
        str(getattr(reason, "value", reason)) if reason else None,
    )  # fmt: skip


_STATE_FIELDS = ("target_type", "target_id", "flag_count", "hidden_at", "hidden_reason")


async def flagged(limit: int = 50) -> list[QueueItem]:
    """Visible items with unreviewed flags, most flagged first."""
    rows = (
        await ModerationState.filter(
            flag_count__gt=0, hidden_at__isnull=True, reviewed_at__isnull=True
        )
        .order_by("-flag_count", "id")
        .limit(limit)
        .values(*_STATE_FIELDS)
    )
    return await _reasons([_item(r) for r in rows])


async def recently_hidden(limit: int = 50) -> list[QueueItem]:
    rows = (
        await ModerationState.filter(hidden_at__isnull=False)
        .order_by("-hidden_at", "-id")
        .limit(limit)
        .values(*_STATE_FIELDS)
    )
    return await _reasons([_item(r) for r in rows])
