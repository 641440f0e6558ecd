"""The core's part of a person's data (``participation/domains.py``, privacy.py): jobs.

Nothing to export (the outbox is machinery). Erasing scrubs the outbox of the person's name
and address: finished jobs that mention either are deleted, waiting ones keep running with
those values blanked. Runs before the accounts package removes the name and address.
"""

from __future__ import annotations

import json
from typing import Any

from participation.accounts.queries import user_by_id
from participation.db import conn, is_postgres
from participation.models import OutboxJob

MIN_NAME = 4  # a shorter name would match the text of unrelated jobs

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
    words = tuple(w for w in (user.email, user.display_name) if w and len(w) >= MIN_NAME)
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
