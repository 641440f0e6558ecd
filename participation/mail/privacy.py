"""The mails sent (or queued) to a person: exported by name and time (their text is rendered
from templates when sent and not kept). Erasing forgets them: the queued jobs addressed to the
person and the delivery records naming them are deleted."""

from __future__ import annotations

from typing import Any

from participation.accounts.queries import user_by_id
from participation.db import conn, is_postgres
from participation.mail.models import MailDelivery
from participation.models import OutboxJob

_TO_PERSON = {
    True: "SELECT id FROM outbox_jobs WHERE name = 'send_email'"
    " AND (kwargs->>'to_user_id' = $1 OR lower(kwargs->>'to_email') = $2)",
    False: "SELECT id FROM outbox_jobs WHERE name = 'send_email'"
    " AND (CAST(json_extract(kwargs, '$.to_user_id') AS TEXT) = ?"
    " OR lower(json_extract(kwargs, '$.to_email')) = ?)",
}


async def _mail_job_ids(user_id: int) -> tuple[list[int], str]:
    user = await user_by_id(user_id)
    email = user.email.lower() if user is not None else ""
    rows = await conn().execute_query_dict(_TO_PERSON[is_postgres()], [str(user_id), email])
    return [int(r["id"]) for r in rows], email


async def export_person(user_id: int) -> dict[str, Any]:
    ids, _ = await _mail_job_ids(user_id)
    if not ids:
        return {}
    rows = await OutboxJob.filter(id__in=ids).order_by("id")
    return {
        "mails": [
            {"mail": r.kwargs.get("template", ""), "queued_at": r.created_at, "sent_at": r.done_at}
            for r in rows
        ]
    }


async def erase_person(user_id: int, *, keep_comments: bool) -> None:
    ids, email = await _mail_job_ids(user_id)
    for start in range(0, len(ids), 500):
        await OutboxJob.filter(id__in=ids[start : start + 500]).delete()
    await MailDelivery.filter(key__endswith=f":user:{user_id}").delete()
    if email:
        await MailDelivery.filter(key__contains=f"to:{email}").delete()
