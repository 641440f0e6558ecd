"""Jobs of the consultations domain."""

from __future__ import annotations

from typing import Any

from consultations import services
from participation import jobs


async def advance_consultations(ctx: dict[str, Any]) -> dict[str, list[int]]:
    """Every minute: open scheduled consultations that are due, close open ones that are due."""
    done = await services.advance_consultations()
    return {"opened": done.opened, "closed": done.closed}


functions: list[jobs.JobFunc] = []
periodic = [jobs.Periodic(advance_consultations, seconds=60)]
