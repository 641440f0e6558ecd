"""Every write of the petitions domain, one function per use case. Each owns its transaction,
records the audit event where an official or moderator acts, and enqueues its jobs."""

from __future__ import annotations

import bisect
import ipaddress
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from disposable_email_domains import blocklist as DISPOSABLE
from itsdangerous import BadSignature, URLSafeTimedSerializer

from participation import jobs
from participation.audit.services import record
from participation.db import (
    advisory_xact_lock,
    is_postgres,
    transaction,
    try_advisory_xact_lock,
)
from participation.organisations.models import Body, Membership, Role
from petitions import queries
from petitions.models import (
    BlockedDomain,
    BlockedNetwork,
    Invalidation,
    Petition,
    RejectReason,
    ResponseObligation,
    Signature,
    SignatureStatus,
    Status,
)
from petitions.signing import NewSignature, canonical_email, insert_signature

log = logging.getLogger("petitions")

# One advisory lock for everything that changes counts: the counter job, the nightly recount,
# invalidations and suspect decisions. Two workers never count the same batch.
COUNTER_LOCK = 0x5E7171045
COUNT_INTERVAL_SECONDS = 5
COUNT_BATCH = 20_000
PENDING_DAYS = 7
CONFIRM_SALT = "petition-signature"
OVERDUE_WORKING_DAYS = 10
WEEKEND = (4,)  # Friday (Python weekday numbers); the deployment's weekly day(s) off
TRENDING_MIN_PER_HOUR = 100
TRENDING_FACTOR = 10
TRENDING_REPEAT = timedelta(hours=6)
NOTIFY_BATCH = 200

# Per-body settings (Body.settings) and their defaults.
DEFAULTS: dict[str, Any] = {
    "petition_open_days": 182,  # about six months
    "petition_response_threshold": 10_000,
    "petition_debate_threshold": 100_000,
    "petition_response_days": 90,
    "petition_officials_moderate": False,
}


def body_setting(body: Body | dict[str, Any], name: str) -> Any:
    values = body.settings if isinstance(body, Body) else body
    value = (values or {}).get(name)
    return DEFAULTS[name] if value is None else value


class PetitionError(ValueError):
    """A refused action; the view shows ``message`` (already translated)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# ---- creating and moderating ------------------------------------------------------------


async def create_petition(
    user_id: int, body_id: int, *, title: str, action: str, background: str, details: str,
    language: str, signer_name: str, signer_email: str, region: str,
) -> Petition:  # fmt: skip
    """A confirmed citizen writes a petition; they are its first (confirmed) signature."""
    async with transaction():
        p = await Petition.create(
            body_id=body_id, creator_id=user_id, title=title, action=action,
            background=background, details=details, language=language,
            status=Status.SPONSORING, sponsor_token=secrets.token_urlsafe(16),
        )  # fmt: skip
        now = datetime.now(UTC)
        await Signature.create(
            petition=p, name=signer_name, email=signer_email,
            canonical_email=canonical_email(signer_email), region=region, opt_in=True,
            user_id=user_id, locale=language, status=SignatureStatus.CONFIRMED,
            created_at=now, confirmed_at=now,
        )  # fmt: skip
    return p


async def check_sponsors(petition_id: int, needed: int) -> bool:
    """Move a petition to the moderation queue once it has enough confirmed sponsors."""
    if await queries.confirmed_sponsors(petition_id) < needed:
        return False
    async with transaction():
        moved = await Petition.filter(id=petition_id, status=Status.SPONSORING).update(
            status=Status.MODERATION, submitted_at=datetime.now(UTC)
        )
    queries.forget_petition(petition_id)
    return bool(moved)


async def publish_petition(actor_id: int, petition_id: int) -> Petition:
    async with transaction():
        p = await Petition.select_for_update().get(id=petition_id)
        if p.status != Status.MODERATION:
            raise PetitionError("not in moderation")
        body = await Body.get(id=p.body_id)
        now = datetime.now(UTC)
        p.status = Status.OPEN
        p.moderated_at = p.opened_at = now
        p.moderator_id = actor_id
        p.closes_at = now + timedelta(days=int(body_setting(body, "petition_open_days")))
        await p.save(update_fields=["status", "moderated_at", "opened_at", "moderator_id",
                                    "closes_at"])  # fmt: skip
        await record(
            actor_id, "petition.publish", "petition", p.id, {"closes_at": p.closes_at.isoformat()}
        )
    queries.forget_petition(petition_id)
    return p


async def reject_petition(
    actor_id: int, petition_id: int, reason: RejectReason, text: str
) -> Petition:
    async with transaction():
        p = await Petition.select_for_update().get(id=petition_id)
        if p.status != Status.MODERATION:
            raise PetitionError("not in moderation")
        p.status = Status.REJECTED
        p.moderated_at = datetime.now(UTC)
        p.moderator_id = actor_id
        p.reject_reason = reason
        p.reject_text = text
        await p.save(update_fields=["status", "moderated_at", "moderator_id", "reject_reason",
                                    "reject_text"])  # fmt: skip
        await record(actor_id, "petition.reject", "petition", p.id,
                     {"reason": reason.value, "text": text})  # fmt: skip
    queries.forget_petition(petition_id)
    return p


def working_days_between(start: date, end: date) -> int:
    days = 0
    d = start
    while d < end:
        d += timedelta(days=1)
        if d.weekday() not in WEEKEND:
            days += 1
    return days


def is_overdue(p: Petition, now: datetime | None = None) -> bool:
    if p.status != Status.MODERATION or p.submitted_at is None:
        return False
    now = now or datetime.now(UTC)
    return working_days_between(p.submitted_at.date(), now.date()) > OVERDUE_WORKING_DAYS


async def close_due_petitions(now: datetime | None = None) -> list[int]:
    now = now or datetime.now(UTC)
    ids = await Petition.filter(status=Status.OPEN, closes_at__lte=now).values_list("id", flat=True)
    if ids:
        async with transaction():
            await Petition.filter(id__in=ids, status=Status.OPEN).update(
                status=Status.CLOSED, closed_at=now
            )
        for i in ids:
            queries.forget_petition(int(i))  # type: ignore[call-overload]
    return [int(i) for i in ids]  # type: ignore[call-overload]


async def schedule_debate(actor_id: int, petition_id: int, at: datetime, link: str) -> None:
    async with transaction():
        p = await Petition.select_for_update().get(id=petition_id)
        if p.debate_threshold_at is None:
            raise PetitionError("debate threshold not reached")
        p.debate_at = at
        p.debate_link = link
        await p.save(update_fields=["debate_at", "debate_link"])
        await record(actor_id, "petition.schedule_debate", "petition", p.id,
                     {"at": at.isoformat(), "link": link})  # fmt: skip
        jobs.enqueue("notify_petition_signers", key=f"petition-notify:{p.id}:debate-scheduled:0",
                     petition_id=p.id, event="debate_scheduled", after_id=0)  # fmt: skip


# ---- signing ------------------------------------------------------------------------------


class SignResult(StrEnum):
    SIGNED = "signed"  # counted soon (signed-in user with a confirmed address)
    PENDING = "pending"  # a confirmation link was mailed
    REPEAT = "repeat"  # already signed: the confirmation is sent again if still pending


async def email_refusal(email: str, ip: str) -> str | None:
    """Why this address or network may not sign (a code), or None."""
    domain = email.rpartition("@")[2].lower()
    if domain in DISPOSABLE:
        return "disposable"
    domains, networks = await queries.blocks()
    if domain in domains:
        return "blocked_domain"
    if networks and ip:
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return None
        if any(addr in n for n in networks):
            return "blocked_network"
    return None


async def sign_petition(
    petition: Petition, *, name: str, email: str, region: str, opt_in: bool, ip: str,
    locale: str, user_id: int | None = None, user_confirmed_email: str | None = None,
    sponsor: bool = False,
) -> SignResult:  # fmt: skip
    """Validate, one insert, the mail through the outbox. Signed-in users whose confirmed
    address is the one given sign in one step."""
    confirmed = user_confirmed_email is not None and (
        canonical_email(user_confirmed_email) == canonical_email(email)
    )
    sig = NewSignature(
        petition_id=petition.id, name=name, email=email, region=region, opt_in=opt_in, ip=ip,
        locale=locale, user_id=user_id, confirmed=confirmed, sponsor=sponsor,
    )  # fmt: skip
    inserted = await insert_signature(sig)
    if not inserted:
        return SignResult.REPEAT
    return SignResult.SIGNED if confirmed else SignResult.PENDING


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=CONFIRM_SALT)


def confirmation_token(secret_key: str, signature_id: int) -> str:
    return _serializer(secret_key).dumps(signature_id)


async def confirm_signature(secret_key: str, token: str) -> Signature | None:
    """Follow the mailed link: the pending signature becomes confirmed (idempotent)."""
    try:
        sid = _serializer(secret_key).loads(token, max_age=PENDING_DAYS * 24 * 3600)
    except BadSignature:
        return None
    if not isinstance(sid, int):
        return None
    sig = await Signature.get_or_none(id=sid)
    if sig is None:
        return None
    if sig.status == SignatureStatus.PENDING:
        async with transaction():
            await Signature.filter(id=sid, status=SignatureStatus.PENDING).update(
                status=SignatureStatus.CONFIRMED, confirmed_at=datetime.now(UTC)
            )
        sig.status = SignatureStatus.CONFIRMED
    return sig


async def expire_pending(now: datetime | None = None) -> int:
    """Pending signatures older than seven days are removed (their links expire too)."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=PENDING_DAYS)
    async with transaction():
        return await Signature.filter(
            status=SignatureStatus.PENDING, created_at__lt=cutoff
        ).delete()


# ---- counting -----------------------------------------------------------------------------


def rate_suspects(batch: list[dict[str, Any]], history: list[dict[str, Any]]) -> set[int]:
    """Ids in ``batch`` signed from an IP that signed the same petition more than once in
    60 s, or more than five times in 300 s: the later ones are suspect. (A minute is
    exclusive, five minutes inclusive, so six signatures exactly a minute apart trip the
    second rule.)"""
    by_pair: dict[tuple[int, str], list[tuple[datetime, int]]] = {}
    for r in history:
        by_pair.setdefault((r["petition_id"], r["ip"]), []).append((r["created_at"], r["id"]))
    out: set[int] = set()
    for seq in by_pair.values():
        seq.sort()
    for r in batch:
        seq = by_pair.get((r["petition_id"], r["ip"]), [])
        me = (r["created_at"], r["id"])
        pos = bisect.bisect_left(seq, me)
        earlier_60 = pos - bisect.bisect_right(seq, (me[0] - timedelta(seconds=60), 1 << 62))
        earlier_300 = pos - bisect.bisect_left(seq, (me[0] - timedelta(seconds=300), -1))
        if earlier_60 >= 1 or earlier_300 >= 5:
            out.add(r["id"])
    return out


@dataclass
class CountResult:
    locked: bool = True
    rows: int = 0
    added: int = 0
    suspects: int = 0


async def count_signatures(limit: int = COUNT_BATCH) -> CountResult:
    """The counter job: add newly confirmed signatures to their petitions' counts, once.

    Under a PostgreSQL advisory lock (a second worker finds it taken and skips); each row is
    flagged ``counted`` in the same transaction as the count it went into.
    """
    async with transaction() as txn:
        if not await try_advisory_xact_lock(txn, COUNTER_LOCK):
            return CountResult(locked=False)
        rows = await (
            Signature.filter(status=SignatureStatus.CONFIRMED, counted=False)
            .order_by("id")
            .limit(limit)
            .values("id", "petition_id", "ip", "created_at", "region", "invalidation_id", "suspect")
        )
        if not rows:
            return CountResult()
        with_ip = [r for r in rows if r["ip"]]
        suspects: set[int] = set()
        if with_ip and is_postgres():
            # Index probes per row (petition, ip, created_at), stopping at the first hits.
            suspects = await queries.rate_suspect_ids([r["id"] for r in with_ip])
        elif with_ip:
            times = [r["created_at"] for r in with_ip]
            history = await queries.signature_times(
                {(r["petition_id"], r["ip"]) for r in with_ip},
                min(times) - timedelta(seconds=300), max(times),
            )  # fmt: skip
            suspects = rate_suspects(with_ip, history)
        ids = [r["id"] for r in rows]
        await Signature.filter(id__in=ids).update(counted=True)
        if suspects:
            await Signature.filter(id__in=list(suspects)).update(suspect=True)
        add: dict[int, dict[str, int]] = {}
        for r in rows:
            if r["id"] in suspects or r["suspect"] or r["invalidation_id"] is not None:
                continue
            per = add.setdefault(r["petition_id"], {})
            per[r["region"]] = per.get(r["region"], 0) + 1
        added = 0
        petitions = {p.id: p for p in await Petition.filter(id__in=list(add))}
        for pid, regions in sorted(add.items()):
            p = petitions[pid]
            counts = dict(p.region_counts or {})
            for region, n in regions.items():
                counts[region] = counts.get(region, 0) + n
                added += n
            await _store_count(p, counts)
        return CountResult(rows=len(rows), added=added, suspects=len(suspects))


async def _store_count(p: Petition, region_counts: dict[str, int]) -> None:
    """Write a petition's count and fire the thresholds it crossed (under the counter lock)."""
    p.region_counts = {k: v for k, v in region_counts.items() if v}
    p.signature_count = sum(p.region_counts.values())
    p.counted_at = datetime.now(UTC)
    await p.save(update_fields=["region_counts", "signature_count", "counted_at"])
    await _fire_thresholds(p)


async def _fire_thresholds(p: Petition) -> None:
    """Each threshold fires once: its timestamp is set under the counter lock, and the
    obligation is unique per petition."""
    if p.status not in (Status.OPEN, Status.CLOSED):
        return
    body = await Body.get(id=p.body_id)
    now = datetime.now(UTC)
    if p.response_threshold_at is None and p.signature_count >= int(
        body_setting(body, "petition_response_threshold")
    ):
        p.response_threshold_at = now
        await p.save(update_fields=["response_threshold_at"])
        days = int(body_setting(body, "petition_response_days"))
        await ResponseObligation.create(
            petition=p, body_id=p.body_id, deadline=now + timedelta(days=days)
        )
        jobs.enqueue("notify_petition_signers", key=f"petition-notify:{p.id}:response:0",
                     petition_id=p.id, event="response", after_id=0)  # fmt: skip
    if p.debate_threshold_at is None and p.signature_count >= int(
        body_setting(body, "petition_debate_threshold")
    ):
        p.debate_threshold_at = now
        await p.save(update_fields=["debate_threshold_at"])
        jobs.enqueue("notify_petition_signers", key=f"petition-notify:{p.id}:debate:0",
                     petition_id=p.id, event="debate", after_id=0)  # fmt: skip


async def _recount_locked(petition_ids: list[int] | None) -> dict[int, int]:
    """Recompute counts from the rows (inside a transaction holding the counter lock);
    returns petition id -> drift corrected (stored minus true)."""
    truth = await queries.valid_counts(petition_ids)
    qs = Petition.all() if petition_ids is None else Petition.filter(id__in=petition_ids)
    drift: dict[int, int] = {}
    for p in await qs.filter(status__in=(Status.OPEN, Status.CLOSED, Status.SPONSORING,
                                         Status.MODERATION, Status.REJECTED)):  # fmt: skip
        regions = truth.get(p.id, {})
        if regions != {k: v for k, v in (p.region_counts or {}).items() if v} or (
            p.signature_count != sum(regions.values())
        ):
            drift[p.id] = p.signature_count - sum(regions.values())
            await _store_count(p, regions)
    return drift


async def recount_all() -> dict[int, int]:
    """The nightly full recount: corrects any drift and logs it."""
    async with transaction() as txn:
        await advisory_xact_lock(txn, COUNTER_LOCK)
        drift = await _recount_locked(None)
    for pid, d in drift.items():
        log.warning("petition %s count drifted by %+d; corrected", pid, d)
    return drift


# ---- fraud controls -------------------------------------------------------------------------


@dataclass
class Criteria:
    domain: str = ""
    cidr: str = ""
    since: datetime | None = None
    until: datetime | None = None
    ids: tuple[int, ...] = ()
    suspects_only: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain, "cidr": self.cidr,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "ids": list(self.ids), "suspects_only": self.suspects_only,
        }  # fmt: skip

    @property
    def empty(self) -> bool:
        return not (self.domain or self.cidr or self.since or self.until or self.ids
                    or self.suspects_only)  # fmt: skip


async def invalidate(
    actor_id: int, petition_id: int, criteria: Criteria, reason: str
) -> Invalidation:
    """Remove matching signatures from the count (audited, reversible with ``undo``)."""
    if criteria.empty:
        raise PetitionError("no criteria")
    network = ipaddress.ip_network(criteria.cidr, strict=False) if criteria.cidr else None
    async with transaction() as txn:
        await advisory_xact_lock(txn, COUNTER_LOCK)
        qs = Signature.filter(petition_id=petition_id, invalidation_id=None)
        if criteria.domain:
            qs = qs.filter(canonical_email__endswith="@" + criteria.domain.lower())
        if criteria.since:
            qs = qs.filter(created_at__gte=criteria.since)
        if criteria.until:
            qs = qs.filter(created_at__lte=criteria.until)
        if criteria.ids:
            qs = qs.filter(id__in=list(criteria.ids))
        if criteria.suspects_only:
            qs = qs.filter(suspect=True)
        rows = await qs.values("id", "ip")
        if network is not None:
            rows = [r for r in rows if _in_network(r["ip"], network)]
        inv = await Invalidation.create(
            petition_id=petition_id, moderator_id=actor_id, criteria=criteria.as_json(),
            reason=reason, affected=len(rows),
        )  # fmt: skip
        ids = [r["id"] for r in rows]
        for i in range(0, len(ids), 5000):
            await Signature.filter(id__in=ids[i : i + 5000]).update(invalidation_id=inv.id)
        await _recount_locked([petition_id])
        await record(actor_id, "petition.invalidate", "petition", petition_id,
                     {"invalidation": inv.id, "criteria": criteria.as_json(), "reason": reason,
                      "affected": len(ids)})  # fmt: skip
    return inv


def _in_network(ip: str, network: Any) -> bool:
    try:
        return ipaddress.ip_address(ip) in network
    except ValueError:
        return False


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
        await _recount_locked([inv.petition_id])
        await record(actor_id, "petition.invalidation_undo", "petition", inv.petition_id,
                     {"invalidation": inv.id, "restored": restored})  # fmt: skip
    return inv


async def accept_suspects(actor_id: int, petition_id: int, ids: list[int]) -> int:
    """A moderator decides these suspect signatures are genuine: they count."""
    async with transaction() as txn:
        await advisory_xact_lock(txn, COUNTER_LOCK)
        n = await Signature.filter(petition_id=petition_id, id__in=ids, suspect=True).update(
            suspect=False
        )
        await _recount_locked([petition_id])
        await record(actor_id, "petition.accept_suspects", "petition", petition_id,
                     {"ids": ids[:1000], "accepted": n})  # fmt: skip
    return n


async def block_domain(actor_id: int, domain: str, reason: str) -> BlockedDomain:
    async with transaction():
        row, _ = await BlockedDomain.get_or_create(
            domain=domain.lower(), defaults={"reason": reason, "created_by_id": actor_id}
        )
        await record(actor_id, "petition.block_domain", "blocked_domain", row.id,
                     {"domain": row.domain, "reason": reason})  # fmt: skip
    queries.forget_blocks()
    return row


async def block_network(actor_id: int, cidr: str, reason: str) -> BlockedNetwork:
    net = str(ipaddress.ip_network(cidr, strict=False))
    async with transaction():
        row, _ = await BlockedNetwork.get_or_create(
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


async def detect_trending(now: datetime | None = None) -> list[int]:
    """Signatures in the last hour far above the petition's own rate over the previous day
    flag the petition in the moderation queue and mail its moderators."""
    from tortoise.functions import Count

    now = now or datetime.now(UTC)
    hour_ago = now - timedelta(hours=1)
    recent = {
        r["petition_id"]: r["n"]
        for r in await Signature.filter(created_at__gte=hour_ago, petition__status=Status.OPEN)
        .group_by("petition_id").annotate(n=Count("id")).values("petition_id", "n")
    }  # fmt: skip
    hot = [pid for pid, n in recent.items() if n >= TRENDING_MIN_PER_HOUR]
    if not hot:
        return []
    before = {
        r["petition_id"]: r["n"]
        for r in await Signature.filter(
            petition_id__in=hot, created_at__gte=now - timedelta(hours=25), created_at__lt=hour_ago
        ).group_by("petition_id").annotate(n=Count("id")).values("petition_id", "n")
    }  # fmt: skip
    alerted = []
    for pid in hot:
        baseline = max(before.get(pid, 0) / 24, 1.0)
        if recent[pid] < TRENDING_FACTOR * baseline:
            continue
        async with transaction():
            p = await Petition.select_for_update().get(id=pid)
            if p.trending_alert_at is not None and now - p.trending_alert_at < TRENDING_REPEAT:
                continue
            p.trending_alert_at = now
            p.trending_rate = recent[pid]
            await p.save(update_fields=["trending_alert_at", "trending_rate"])
            from participation.mail.services import queue_email

            for uid in await _moderator_ids(p.body_id):
                queue_email("petition_trending", to_user_id=uid, petition_id=p.id,
                            title=p.title, per_hour=recent[pid], baseline=round(baseline))  # fmt: skip
        alerted.append(pid)
    return alerted


async def _moderator_ids(body_id: int) -> list[int]:
    from tortoise.expressions import Q

    rows = await Membership.filter(
        Q(body_id=body_id) | Q(body_id=None), role=Role.MODERATOR
    ).values_list("user_id", flat=True)
    return sorted({int(r) for r in rows})  # type: ignore[call-overload]
