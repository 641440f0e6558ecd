"""Jobs of the consultations domain."""

from __future__ import annotations

from typing import Any

from consultations import services
from participation import jobs


async def advance_consultations(ctx: dict[str, Any]) -> dict[str, list[int]]:
    """Every minute: open scheduled consultations that are due, close open ones that are due."""
    done = await services.advance_consultations()
    return {"opened": done.opened, "closed": done.closed}


async def notify_consultation_followers(
    ctx: dict[str, Any], outcome_id: int, after_id: int = 0
) -> int:
    """After a report or a response is published: mail the consultation's followers. Each
    mail is named after this job's outbox row and the follower (``queue_email``'s delivery
    key), so a batch run again after a crash sends none of its mails twice."""
    return await services.notify_followers(outcome_id, ctx["settings"].base_url, after_id)


functions: list[jobs.JobFunc] = [notify_consultation_followers]
periodic = [jobs.Periodic(advance_consultations, seconds=60)]
