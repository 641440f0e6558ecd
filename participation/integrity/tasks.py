"""Jobs of integrity: the near-duplicate index of comments.

``index_comments`` (every minute) places the comments written since the watermark, each in its
own transaction with the watermark (``services.place_comment``): incremental, safe to run twice
or after a crash, one comment that fails is logged and passed. ``rebuild_comment_groups``
(outbox job, ``space_type``/``space_id``) is the full rebuild of one space;
``rebuild_grown_comment_groups`` (hourly) places the comments the watermark passed before
they were committed (a comment's id is taken before its transaction commits, so a later id
can be read first), then rebuilds the spaces that grew by a quarter since.
"""

from __future__ import annotations

import logging
from typing import Any

from participation import jobs
from participation.integrity import services

log = logging.getLogger("participation.integrity")

INDEX_EVERY = 60  # seconds


async def index_comments(ctx: dict[str, Any]) -> int:
    run = await services.index_new_comments()
    if run.failed:
        log.warning("integrity: %s comments placed, %s could not be", run.placed, run.failed)
    return run.placed


async def rebuild_comment_groups(ctx: dict[str, Any], space_type: str, space_id: int) -> int:
    return await services.rebuild_space(space_type, int(space_id))


async def rebuild_grown_comment_groups(ctx: dict[str, Any]) -> int:
    """Hourly: first the comments the watermark passed before they were committed, then the
    spaces that grew."""
    late = await services.index_late_comments()
    if late.placed or late.failed:
        log.warning("integrity: %s late comments placed, %s could not be", late.placed,
                    late.failed)  # fmt: skip
    return len(await services.rebuild_grown_spaces())


functions = [rebuild_comment_groups]
periodic = [
    jobs.Periodic(index_comments, seconds=INDEX_EVERY),
    jobs.Periodic(rebuild_grown_comment_groups, seconds=3600),
]
