"""The core's part of a person's data (``participation/domains.py``, privacy.py): jobs.

Nothing to export (the outbox is machinery). Erasing scrubs the outbox of the person's name
and address: finished jobs that mention either are deleted, waiting ones keep running with
those values blanked. Runs before the accounts package removes the name and address. Finished
jobs older than the retention period are deleted (``apply_retention``).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from participation.accounts.queries import user_by_id
from participation.db import conn, is_postgres, transaction
from participation.models import OutboxJob
from participation.settings import Settings

MIN_NAME = 4  # a shorter name would match the text of unrelated jobs
RETENTION_BATCH = 5000

_MENTIONS = {
    True: "SELECT id FROM outbox_jobs WHERE CAST(kwargs AS TEXT) LIKE $1 ESCAPE '\\'"
    " OR last_error LIKE $1 ESCAPE '\\'",
    False: "SELECT id FROM outbox_jobs WHERE kwargs LIKE ? ESCAPE '\\' OR last_error LIKE ? ESCAPE '\\'",
}


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _forms(value: str) -> set[str]:
    """How ``value`` appears inside stored JSON (escaped or not, by the database)."""
    return {json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1], value}


def _blank(value: Any, words: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        for w in words:
            value = value.replace(w, "")
        return value
    if isinstance(value, list):
        return [_blank(v, words) for v in value]
    if isinstance(value, dict):
        return {k: _blank(v, words) for k, v in value.items()}
    return value


async def export_person(user_id: int) -> dict[str, Any]:
    return {}


async def erase_person(user_id: int, *, keep_comments: bool) -> None:
    user = await user_by_id(user_id)
    if user is None:
        return
    await scrub_jobs(user.email, user.display_name)


async def apply_retention(*, now: datetime, settings: Settings) -> int:
    """Finished jobs older than the retention period are deleted (their arguments may name
    people, e.g. the addresses a signature confirmation was sent to), a batch at a time."""
    cutoff = now - timedelta(days=settings.signer_retention_days)
    deleted = 0
    while True:
        ids = list(
            await OutboxJob.filter(done_at__lt=cutoff)
            .limit(RETENTION_BATCH)
            .values_list("id", flat=True)
        )
        if not ids:
            return deleted
        async with transaction():
            deleted += await OutboxJob.filter(id__in=ids).delete()


async def scrub_jobs(*values: str) -> None:
    """Delete the finished jobs whose arguments mention one of ``values``; blank them in the
    jobs still to run."""
    words = tuple(w for w in values if w and len(w) >= MIN_NAME)
    ids: set[int] = set()
    pg = is_postgres()
    for word in words:
        for form in _forms(word):
            pattern = _like(form)
            params = [pattern] if pg else [pattern, pattern]
            for row in await conn().execute_query_dict(_MENTIONS[pg], params):
                ids.add(int(row["id"]))
    if not ids:
        return
    for job in await OutboxJob.filter(id__in=sorted(ids)):
        if job.done_at is not None:
            await OutboxJob.filter(id=job.id).delete()
        else:
            await OutboxJob.filter(id=job.id).update(
                kwargs=_blank(job.kwargs, words), last_error=_blank(job.last_error, words)
            )
