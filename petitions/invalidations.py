"""Moderators' tools against fake signatures: removing matching signatures from a count (and
undoing it), counting suspect signatures they judge genuine, and the block lists of e-mail
domains and networks that apply to every body's petitions. Each is audited; the ones that
change counts hold the counter lock and recount the petition in the same transaction."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from participation.audit.services import record
from participation.db import advisory_xact_lock, transaction
from participation.errors import Invalid
from participation.i18n import gettext as _
from petitions import queries
from petitions.counting import COUNTER_LOCK, recount_locked
from petitions.forms import BlockInput, InvalidationInput
from petitions.models import BlockedDomain, BlockedNetwork, Invalidation, Signature


def _criteria(c: InvalidationInput) -> dict[str, Any]:
    """The criteria as recorded with the invalidation and in the audit log."""
    return {
        "domain": c.domain, "cidr": c.cidr,
        "since": c.since.isoformat() if c.since else None,
        "until": c.until.isoformat() if c.until else None,
        "ids": list(c.ids), "suspects_only": c.suspects_only,
    }  # fmt: skip


def _in_network(ip: str, network: Any) -> bool:
    try:
        return ipaddress.ip_address(ip) in network
    except ValueError:
        return False


async def invalidate(actor_id: int, petition_id: int, c: InvalidationInput) -> Invalidation:
    """Remove matching signatures from the count (audited, reversible with ``undo``)."""
    if not c.chosen:
        raise Invalid(_("Choose at least one criterion."), field="domain")
    network = ipaddress.ip_network(c.cidr, strict=False) if c.cidr else None
    async with transaction() as txn:
        await advisory_xact_lock(txn, COUNTER_LOCK)
        qs = Signature.filter(petition_id=petition_id, invalidation_id=None)
        if c.domain:
            qs = qs.filter(canonical_email__endswith="@" + c.domain)
        if c.since:
            qs = qs.filter(created_at__gte=c.since)
        if c.until:
            qs = qs.filter(created_at__lte=c.until)
        if c.ids:
            qs = qs.filter(id__in=list(c.ids))
        if c.suspects_only:
            qs = qs.filter(suspect=True)
        rows = await qs.values("id", "ip")
        if network is not None:
            rows = [r for r in rows if _in_network(r["ip"], network)]
        inv = await Invalidation.create(
            petition_id=petition_id, moderator_id=actor_id, criteria=_criteria(c),
            reason=c.reason, affected=len(rows),
        )  # fmt: skip
        ids = [r["id"] for r in rows]
        for i in range(0, len(ids), 5000):
            await Signature.filter(id__in=ids[i : i + 5000]).update(invalidation_id=inv.id)
        await recount_locked([petition_id])
        await record(actor_id, "petition.invalidate", "petition", petition_id,
                     {"invalidation": inv.id, "criteria": _criteria(c), "reason": c.reason,
                      "affected": len(ids)})  # fmt: skip
    return inv


async def undo_invalidation(actor_id: int, invalidation_id: int) -> Invalidation:
    async with transaction() as txn:
        await advisory_xact_lock(txn, COUNTER_LOCK)
        inv = await Invalidation.select_for_update().get(id=invalidation_id)
        if inv.undone_at is not None:
            return inv
        restored = await Signature.filter(invalidation_id=inv.id).update(invalidation_id=None)
        inv.undone_at = datetime.now(UTC)
        inv.undone_by_id = actor_id
        await inv.save(update_fields=["undone_at", "undone_by_id"])
        await recount_locked([inv.petition_id])
        await record(actor_id, "petition.invalidation_undo", "petition", inv.petition_id,
                     {"invalidation": inv.id, "restored": restored})  # fmt: skip
    return inv


async def accept_suspects(actor_id: int, petition_id: int, ids: list[int]) -> int:
    """A moderator decides these suspect signatures are genuine: they count."""
    async with transaction() as txn:
        await advisory_xact_lock(txn, COUNTER_LOCK)
        n = await Signature.filter(petition_id=petition_id, id__in=ids, suspect=True).update(
            suspect=False, reviewed=True
        )
        await recount_locked([petition_id])
        await record(actor_id, "petition.accept_suspects", "petition", petition_id,
                     {"ids": ids[:1000], "accepted": n})  # fmt: skip
    return n


async def block(actor_id: int, data: BlockInput) -> BlockedDomain | BlockedNetwork:
    """Refuse signatures from an e-mail domain or a network, on every petition."""
    if data.kind == "domain":
        return await block_domain(actor_id, data.value, data.reason)
    return await block_network(actor_id, data.value, data.reason)


async def block_domain(actor_id: int, domain: str, reason: str) -> BlockedDomain:
    async with transaction():
        row, _created = await BlockedDomain.get_or_create(
            domain=domain.lower(), defaults={"reason": reason, "created_by_id": actor_id}
        )
        await record(actor_id, "petition.block_domain", "blocked_domain", row.id,
                     {"domain": row.domain, "reason": reason})  # fmt: skip
    queries.forget_blocks()
    return row


async def block_network(actor_id: int, cidr: str, reason: str) -> BlockedNetwork:
    net = str(ipaddress.ip_network(cidr, strict=False))
    async with transaction():
        row, _created = await BlockedNetwork.get_or_create(
            cidr=net, defaults={"reason": reason, "created_by_id": actor_id}
        )
        await record(actor_id, "petition.block_network", "blocked_network", row.id,
                     {"cidr": net, "reason": reason})  # fmt: skip
    queries.forget_blocks()
    return row


async def unblock(actor_id: int, kind: str, row_id: int) -> bool:
    model: Any = BlockedDomain if kind == "domain" else BlockedNetwork
    async with transaction():
        row = await model.get_or_none(id=row_id)
        if row is None:
            return False
        await row.delete()
        await record(actor_id, f"petition.unblock_{kind}", f"blocked_{kind}", row_id,
                     {"value": getattr(row, "domain", None) or getattr(row, "cidr", "")})  # fmt: skip
    queries.forget_blocks()
    return True


# ---- review by wave ---------------------------------------------------------------------------

RATE_GROUP = 0  # the "wave" of signatures held by the per-address rule alone (no wave row)
RATE_REASON = "same address within minutes"


class WaveDecision(StrEnum):
    ACCEPT = "accept"  # they are people: they count
    REMOVE = "remove"  # they are not: removed from the count (an invalidation, undoable)


async def decide_wave(
    actor_id: int, petition_id: int, wave_id: int, decision: WaveDecision, upto: int,
    reason: str,
) -> int:  # fmt: skip
    """One act on the signatures a moderator was shown as one wave (``wave_id``, or
    ``RATE_GROUP``; those numbered up to ``upto``, so that signatures joining the wave after
    the page was shown are not decided unseen): count them, or remove them from the count.
    Audited with the wave's rule, reasons and how many; the count is recomputed at once.
    ``reason`` is the wave's reasons in words, kept with a removal. How many were decided."""
    wave = None
    if wave_id != RATE_GROUP:
        wave = await queries.wave(petition_id, wave_id)
        if wave is None:
            raise Invalid(_("This wave is not held for review."), field="wave")
    async with transaction() as txn:
        await advisory_xact_lock(txn, COUNTER_LOCK)
        qs = Signature.filter(
            petition_id=petition_id, wave_id=wave.id if wave else None, suspect=True,
            invalidation_id=None, id__lte=upto,
        )  # fmt: skip
        ids = list(await qs.values_list("id", flat=True))
        about = {
            "wave": wave_id, "rule": wave.rule if wave else "rate",
            "reasons": list(wave.reasons) if wave else [RATE_REASON],
            "count": len(ids),
        }  # fmt: skip
        if decision == WaveDecision.ACCEPT:
            for i in range(0, len(ids), 5000):
                await Signature.filter(id__in=ids[i : i + 5000]).update(
                    suspect=False, reviewed=True
                )
            await recount_locked([petition_id])
            await record(actor_id, "petition.accept_wave", "petition", petition_id, about)
            return len(ids)
        inv = await Invalidation.create(
            petition_id=petition_id, moderator_id=actor_id,
            criteria={"wave": wave_id, "upto": upto, "suspects_only": True},
            reason=reason, affected=len(ids),
        )  # fmt: skip
        for i in range(0, len(ids), 5000):
            await Signature.filter(id__in=ids[i : i + 5000]).update(invalidation_id=inv.id)
        await recount_locked([petition_id])
        await record(actor_id, "petition.remove_wave", "petition", petition_id,
                     {**about, "invalidation": inv.id})  # fmt: skip
    return len(ids)
