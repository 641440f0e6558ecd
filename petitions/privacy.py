"""What petitions hold about a person: the petitions they started and their signatures.

Erasing keeps the petitions (their creator becomes an anonymous account) and every signature
(counted as before), with the signer's name, addresses (e-mail and network) and link to the
account removed. ``apply_retention``: the same for every signer of a petition closed (or
rejected) longer ago than ``SIGNER_RETENTION_DAYS``, one petition per transaction; the counts,
statuses and regions stay.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q

from participation.accounts.queries import user_by_id
from participation.db import conn, is_postgres, transaction
from participation.privacy import scrub_jobs
from participation.settings import Settings
from petitions.models import Petition, Signature, Status
from petitions.signing import canonical_email

log = logging.getLogger("participation.petitions.privacy")

# One statement per petition or person: the canonical address must stay unique per petition,
# so each anonymised signature gets its own placeholder.
_ANONYMISE = (
    "UPDATE petition_signatures SET name = '', email = '', ip = '', user_id = NULL,"
    " canonical_email = 'erased:' || CAST(id AS TEXT) WHERE {where} AND email <> ''"
)


async def _anonymise(where: str, params: list[Any]) -> int:
    sql = _ANONYMISE.format(where=where)
    if is_postgres():
        for n in range(1, len(params) + 1):
            sql = sql.replace("?", f"${n}", 1)
    count, _ = await conn().execute_query(sql, params)
    return int(count)


async def _signatures_of(user_id: int) -> Q | None:
    user = await user_by_id(user_id)
    if user is None:
        return None
    return Q(user_id=user_id) | Q(canonical_email=canonical_email(user.email))


async def export_person(user_id: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    created = await Petition.filter(creator_id=user_id).order_by("id")
    if created:
        out["petitions_started"] = [
            {"id": p.id, "title": p.title, "action": p.action, "background": p.background,
             "details": p.details, "status": p.status.value, "created_at": p.created_at}
            for p in created
        ]  # fmt: skip
    mine = await _signatures_of(user_id)
    signatures = (
        await Signature.filter(mine).select_related("petition").order_by("id") if mine else []
    )
    if signatures:
        out["signatures"] = [
            {"petition_id": s.petition_id, "petition": s.petition.title, "name": s.name,
             "email": s.email, "region": s.region, "network": s.ip, "sponsor": s.sponsor,
             "status": s.status.value, "signed_at": s.created_at,
             "confirmed_at": s.confirmed_at, "news_by_mail": s.opt_in}
            for s in signatures
        ]  # fmt: skip
    return out


async def erase_person(user_id: int, *, keep_comments: bool) -> None:
    mine = await _signatures_of(user_id)
    if mine is None:
        return
    user = await user_by_id(user_id)
    if user is not None:  # the confirmation jobs name the canonical address
        await scrub_jobs(canonical_email(user.email))
    ids = list(await Signature.filter(mine).values_list("id", flat=True))
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        await _anonymise(f"id IN ({', '.join('?' * len(part))})", part)


async def apply_retention(*, now: datetime, settings: Settings) -> int:
    """Anonymise the signers of each petition closed or rejected before the retention period
    (each in its own transaction: one that fails is logged and the others go on). Returns
    how many signatures were anonymised."""
    cutoff = now - timedelta(days=settings.signer_retention_days)
    due = await Petition.filter(
        Q(status=Status.CLOSED, closed_at__lt=cutoff)
        | Q(status=Status.REJECTED, moderated_at__lt=cutoff)
    ).values_list("id", flat=True)
    done = 0
    for pid in due:
        if not await Signature.filter(petition_id=pid).exclude(email="").exists():
            continue
        try:
            async with transaction():
                done += await _anonymise("petition_id = ?", [pid])
        except Exception:
            log.exception("petition %s: signers not anonymised; next run tries again", pid)
    return done
