"""Jobs of accountability: thin, each calls one service."""

from __future__ import annotations

from typing import Any

from participation import jobs
from participation.accountability import services
from participation.accountability.scoreboard import compute_scoreboard


async def record_obligations(ctx: dict[str, Any]) -> int:
    """Hourly: record an obligation for each newly closed consultation, each petition newly
    past its response threshold (each on its own)."""
    return await services.record_obligations()


async def mark_overdue_obligations(ctx: dict[str, Any]) -> list[int]:
    """Daily: record what is owed, then mark the obligations whose deadline passed overdue,
    audited, and mail the officials of the bodies that owe them (each on its own)."""
    await services.record_obligations()
    return await services.mark_overdue(ctx["settings"].base_url)


async def notify_accountability_response(
    ctx: dict[str, Any], response_id: int, after: int = 0
) -> int:
    """After a response is published: mail who asked to be told, a batch at a time."""
    return await services.notify_response(response_id, ctx["settings"].base_url, after)


async def notify_commitment_followers(ctx: dict[str, Any], update_id: int, after: int = 0) -> int:
    """After a commitment's update: mail its followers, a batch at a time."""
    return await services.notify_commitment_update(update_id, ctx["settings"].base_url, after)


functions: list[jobs.JobFunc] = [notify_accountability_response, notify_commitment_followers]
periodic = [
    jobs.Periodic(compute_scoreboard, seconds=3600),
    jobs.Periodic(record_obligations, seconds=3600),
    jobs.Periodic(mark_overdue_obligations, daily_at_hour=5),
]
