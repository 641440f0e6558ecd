"""The moderation queue: flagged items by flag count, recently hidden items, and possible
campaigns (the same normalised text posted three times or more)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count, Max, Min

from participation.comments.models import Comment
from participation.moderation.models import Flag, ModerationState


@dataclass(slots=True)
class QueueItem:
    target_type: str
    target_id: int
    flag_count: int
    reasons: dict[str, int]
    hidden_at: datetime | None
    hidden_reason: str | None
    # for comments: what it says, who wrote it, where it is
    excerpt: str = ""
    author_name: str = ""
    comment_target: tuple[str, int] | None = None


@dataclass(slots=True)
class Campaign:
    text_hash: str
    copies: int
    authors: int
    excerpt: str
    last_at: datetime | None


def _excerpt(text: str, n: int = 280) -> str:
    from participation.sanitize import plain_text

    words = " ".join(plain_text(text).split())
    return words if len(words) <= n else words[: n - 1] + "…"


async def _fill(items: list[QueueItem]) -> list[QueueItem]:
    comment_ids = [i.target_id for i in items if i.target_type == "comment"]
    if comment_ids:
        rows = await Comment.filter(id__in=comment_ids).values(
            "id", "body_raw", "author_name", "author__display_name", "target_type", "target_id"
        )
        by_id = {r["id"]: r for r in rows}
        for i in items:
            r = by_id.get(i.target_id) if i.target_type == "comment" else None
            if r:
                i.excerpt = _excerpt(r["body_raw"])
                i.author_name = r["author__display_name"] or r["author_name"] or ""
                i.comment_target = (r["target_type"], r["target_id"])
    keys = [(i.target_type, i.target_id) for i in items]
    if keys:
        flags = (
            await Flag.filter(target_id__in=[k[1] for k in keys])
            .annotate(n=Count("id"))
            .group_by("target_type", "target_id", "reason")
            .values("target_type", "target_id", "reason", "n")
        )
        index = {k: i for k, i in zip(keys, items, strict=True)}
        for f in flags:
            item = index.get((f["target_type"], f["target_id"]))
            if item is not None:
                reason = f["reason"]
                item.reasons[str(getattr(reason, "value", reason))] = f["n"]
    return items


def _item(row: dict) -> QueueItem:  # type: ignore[type-arg]
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
    return await _fill([_item(r) for r in rows])


async def recently_hidden(limit: int = 50) -> list[QueueItem]:
    rows = (
        await ModerationState.filter(hidden_at__isnull=False)
        .order_by("-hidden_at", "-id")
        .limit(limit)
        .values(*_STATE_FIELDS)
    )
    return await _fill([_item(r) for r in rows])


async def campaigns(min_copies: int = 3, limit: int = 20) -> list[Campaign]:
    """Groups of visible comments sharing one normalised text, largest first."""
    from participation.comments.queries import hidden_ids

    rows = (
        await Comment.filter(deleted_at__isnull=True)
        .exclude(id__in=hidden_ids())
        .annotate(
            copies=Count("id"), authors=Count("author_id", distinct=True), last_at=Max("created_at")
        )  # fmt: skip
        .group_by("text_hash")
        .filter(copies__gte=min_copies)
        .order_by("-copies", "text_hash")
        .limit(limit)
        .values("text_hash", "copies", "authors", "last_at")
    )
    # the earliest copy of each text, for the excerpt: one query for all groups
    first_ids = (
        await Comment.filter(text_hash__in=[r["text_hash"] for r in rows])
        .annotate(first_id=Min("id"))
        .group_by("text_hash")
        .values_list("first_id", flat=True)
    )
    samples = {
        c["text_hash"]: c["body_raw"]
        for c in await Comment.filter(id__in=list(first_ids)).values("text_hash", "body_raw")
    }
    return [
        Campaign(r["text_hash"], r["copies"], r["authors"],
                 _excerpt(samples[r["text_hash"]]) if r["text_hash"] in samples else "",
                 r["last_at"])
        for r in rows
    ]  # fmt: skip
