"""Jobs of moderation: the moderators' alert digest.

Every quarter of an hour, each moderator who has something new to know gets one mail: the
items of their scope that passed ``MODERATION_ALERT_FLAGS`` flags since they were last told,
and, at most once a day, that their queue holds ``MODERATION_ALERT_QUEUE`` items or more.
Each item is looked at on its own (one that fails is logged and left for the next run); an
item is marked as told in the transaction that queues the mails, and each mail carries a
delivery key, so a second run sends nothing twice.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from participation import jobs
from participation.db import transaction
from participation.mail.services import queue_email
from participation.moderation import queries
from participation.moderation.models import ModerationState, ModeratorAlert
from participation.settings import Settings

log = logging.getLogger("participation.moderation")

QUEUE_ALERT_EVERY = timedelta(days=1)


async def send_moderation_alerts(ctx: dict[str, Any], now: datetime | None = None) -> int:
    """Mail each moderator their digest; returns the number of mails queued."""
    settings: Settings = ctx["settings"]
    now = now or datetime.now(UTC)
    mods = await queries.moderators(admins=False)
    states = await queries.to_alert(settings.moderation_alert_flags)
    scopes = await queries.scope_bodies([s.id for s in states])
    items: dict[int, list[ModerationState]] = {}
    ready: list[ModerationState] = []
    for state in states:  # each item on its own: one that fails does not stop the others
        try:
            recipients_of = mods.of(scopes.get(state.id, []))
        except Exception:
            log.exception("moderation alert for %s %s failed", state.target_type, state.target_id)
            continue
        ready.append(state)
        for user_id in recipients_of:
            items.setdefault(user_id, []).append(state)
    sizes: dict[int, int] = {}
    recipients = set(mods.everywhere) | {u for us in mods.by_body.values() for u in us}
    told = {
        a.user_id: a.queue_alerted_at
        for a in await ModeratorAlert.filter(user_id__in=sorted(recipients))
    }
    for user_id in sorted(recipients):
        last = told.get(user_id)
        if last is not None and last > now - QUEUE_ALERT_EVERY:
            continue
        scope = None if user_id in mods.everywhere else {
            b for b, us in mods.by_body.items() if user_id in us
        }  # fmt: skip
        size = await queries.queue_size(scope)
        if size >= settings.moderation_alert_queue:
            sizes[user_id] = size
    sent = 0
    async with transaction():
        claimed = {
            s.id
            for s in ready
            if await ModerationState.filter(id=s.id, alerted_at__isnull=True).update(alerted_at=now)
        }
        for user_id in sizes:
            await _queue_told(user_id, now)
        for user_id in sorted(set(items) | set(sizes)):
            mine = [s for s in items.get(user_id, []) if s.id in claimed]
            if not mine and user_id not in sizes:
                continue
            queue_email(
                "moderation-alert", to_user_id=user_id, queue_size=sizes.get(user_id),
                flagged=len(mine), most_flags=max((s.flag_count for s in mine), default=0),
                link=f"{settings.base_url}/moderation/",
                delivery_key=f"moderation-alert:{user_id}:{now.isoformat()}",
            )  # fmt: skip
            sent += 1
    return sent


async def _queue_told(user_id: int, now: datetime) -> None:
    if await ModeratorAlert.filter(user_id=user_id).update(queue_alerted_at=now):
        return
    try:
        async with transaction():
            await ModeratorAlert.create(user_id=user_id, queue_alerted_at=now)
    except IntegrityError:  # a concurrent run told them
        pass


periodic = [jobs.Periodic(send_moderation_alerts, seconds=900)]
