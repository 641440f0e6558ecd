"""Jobs of the comments package: the hourly digest to the followers of a target.

Replies are mailed to the parent's author at once (``services.post_comment``); followers of a
target (``host.followers_to_notify``) get at most one mail an hour saying how many new comments
arrived, instead of one mail per comment, which would flood them on a busy consultation.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.functions import Max

from participation import domains, jobs
from participation.comments.models import Comment, CommentDigest
from participation.comments.queries import hidden_ids
from participation.db import transaction
from participation.mail.services import queue_email
from participation.settings import Settings

log = logging.getLogger("participation.comments")

LOOKBACK = timedelta(days=1)


async def send_comment_digests(ctx: dict[str, Any], now: datetime | None = None) -> int:
    """For each target with comments newer than its watermark, mail its followers once.
    Returns the number of mails queued."""
    settings: Settings = ctx["settings"]
    now = now or datetime.now(UTC)
    active = (
        await Comment.filter(created_at__gte=now - LOOKBACK, deleted_at__isnull=True)
        .exclude(id__in=hidden_ids())
        .annotate(last=Max("id"))
        .group_by("target_type", "target_id")
        .values("target_type", "target_id", "last")
    )
    queued = 0
    for row in active:  # each target on its own: one that fails does not stop the others
        try:
            queued += await _digest(
                settings, row["target_type"], row["target_id"], row["last"], now
            )
        except Exception:
            log.exception("comment digest of %s %s failed", row["target_type"], row["target_id"])
    return queued


async def _digest(
    settings: Settings, target_type: str, target_id: int, last: int, now: datetime
) -> int:
    host = domains.comment_hosts().get(target_type)
    if host is None:
        return 0
    mark = await CommentDigest.get_or_none(target_type=target_type, target_id=target_id)
    after = mark.last_comment_id if mark else 0
    if after >= last:
        return 0
    new = (
        await Comment.filter(
            target_type=target_type,
            target_id=target_id,
            id__gt=after,
            id__lte=last,
            deleted_at__isnull=True,
            created_at__gte=now - LOOKBACK,
        )  # fmt: skip
        .exclude(id__in=hidden_ids())
        .order_by("id")
        .values_list("id", "author_id")
    )
    target = await host.load(target_id)
    followers = await host.followers_to_notify(target) if target is not None and new else []
    authors = {a for _, a in new}
    async with transaction():
        if mark is None:
            try:
                async with transaction():
                    mark = await CommentDigest.create(target_type=target_type, target_id=target_id)
            except IntegrityError:
                return 0  # another worker is on it
        # move the watermark first: a second run of this job finds nothing to send
        moved = await CommentDigest.filter(id=mark.id, last_comment_id=after).update(
            last_comment_id=last, sent_at=now
        )
        if not moved or not new:
            return 0
        count = 0
        for user_id in followers:
            if authors == {user_id}:
                continue  # only their own comments are new
            queue_email(
                "comment-digest", to_user_id=user_id, count=len(new),
                delivery_key=f"comment-digest:{target_type}:{target_id}:{last}:user:{user_id}",
                link=f"{settings.base_url}/comments/{new[0][0]}",
            )  # fmt: skip
            count += 1
    return count


periodic = [jobs.Periodic(send_comment_digests, seconds=3600)]
