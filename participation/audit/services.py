"""Writing and verifying the hash-chained audit log, and its signed checkpoints.

Each row carries sha256(prev_hash + canonical JSON of the row). On PostgreSQL an advisory
transaction lock serialises writers so the chain never forks; SQLite serialises writers itself.

A chain alone cannot tell that its newest rows were removed (what is left still verifies), so
a daily job records a *checkpoint*: the number of events, the newest event's id and hash, and
the time, signed with an HMAC of the deployment's secret key, in ``audit_checkpoints``, a table
the application only inserts into (PostgreSQL refuses anything else, see the migration). The
checkpoints are public (the audit page and ``/api/v1/audit/checkpoints``), so outsiders keep
copies; ``verify`` checks the chain against every checkpoint (the table's and any copies given)
and names the first event that does not match.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from participation.audit.models import AuditCheckpoint, AuditEvent, AuditEventBody
from participation.db import advisory_xact_lock, conn, current_unit_of_work, transaction

log = logging.getLogger("participation.audit")

GENESIS = "0" * 64
AUDIT_LOCK = 0x41554449  # "AUDI"


def canonical(
    *, created_at: datetime, actor_id: int | None, action: str, target_type: str,
    target_id: str, data: dict[str, Any], prev_hash: str,
) -> str:  # fmt: skip
    payload = {
        "created_at": created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": actor_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "data": data,
        "prev_hash": prev_hash,
    }
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _ints(value: Any) -> set[int]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, list | tuple | set):
        return {v for v in value if isinstance(v, int) and not isinstance(v, bool)}
    return set()


def bodies_of(target_type: str, target_id: object, data: dict[str, Any]) -> set[int]:
    """The bodies an event concerns, read from what it records: a body as its target, a
    ``body_id``, ``body_ids`` or ``owners`` in its data."""
    found: set[int] = set()
    if target_type == "body" and str(target_id).isdigit():
        found.add(int(str(target_id)))
    for key in ("body_id", "body_ids", "owners"):
        found |= _ints(data.get(key))
    return found


async def record(
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: object,
    data: dict[str, Any] | None = None,
    *,
    bodies: Iterable[int] = (),
) -> AuditEvent:
    """Append one event. Call inside the service's transaction. ``bodies``: the government
    bodies it concerns, besides those its data names (``bodies_of``), for the public filter;
    when neither names one, those of the latest event on the same target that did (a
    consultation's owners, named when it was created or changed)."""
    if current_unit_of_work() is None:
        raise RuntimeError("audit.record() must run inside participation.db.transaction()")
    client = conn()
    await advisory_xact_lock(client, AUDIT_LOCK)
    last = await AuditEvent.all().order_by("-id").only("hash").first()
    prev = last.hash if last else GENESIS
    now = datetime.now(UTC)
    clean = json.loads(json.dumps(data or {}, default=str))
    fields = dict(
        created_at=now, actor_id=actor_id, action=action, target_type=target_type,
        target_id=str(target_id), data=clean, prev_hash=prev,
    )  # fmt: skip
    event = await AuditEvent.create(**fields, hash=digest(canonical(**fields)))
    concerned = bodies_of(target_type, target_id, clean) | set(bodies)
    if not concerned:  # the bodies its target's latest event named (a consultation's owners)
        concerned = await _bodies_of_target(target_type, str(target_id))
    if concerned:
        await AuditEventBody.bulk_create(
            [AuditEventBody(event_id=event.id, body_id=b) for b in sorted(concerned)]
        )
    return event


async def _bodies_of_target(target_type: str, target_id: str) -> set[int]:
    recent = (
        await AuditEvent.filter(target_type=target_type, target_id=target_id)
        .order_by("-id")
        .limit(50)
        .values_list("id", flat=True)
    )
    rows = await AuditEventBody.filter(event_id__in=list(recent)).values_list("event_id", "body_id")
    if not rows:
        return set()
    latest = max(event_id for event_id, _ in rows)
    return {body_id for event_id, body_id in rows if event_id == latest}


def _expected(ev: AuditEvent, prev: str) -> str:
    return digest(
        canonical(
            created_at=ev.created_at,
            actor_id=ev.actor_id,
            action=ev.action,
            target_type=ev.target_type,
            target_id=ev.target_id,
            data=ev.data,
            prev_hash=prev,
        )  # fmt: skip
    )


async def _events() -> AsyncIterator[AuditEvent]:
    """Every event in chain order, read 1,000 at a time."""
    after = 0
    while True:
        batch = await AuditEvent.filter(id__gt=after).order_by("id").limit(1000)
        if not batch:
            return
        after = batch[-1].id
        for ev in batch:
            yield ev


async def verify_chain() -> tuple[bool, int | None]:
    """Recompute every hash; return (intact, id of the first broken row). Checkpoints are not
    read: see ``verify``."""
    prev = GENESIS
    async for ev in _events():
        if ev.prev_hash != prev or ev.hash != _expected(ev, prev):
            return False, ev.id
        prev = ev.hash
    return True, None


# ---- checkpoints ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint as published (the table's row, or a copy an outsider kept)."""

    created_at: datetime
    event_count: int
    head_id: int
    head_hash: str
    signature: str
    id: int | None = None

    def payload(self) -> str:
        return json.dumps(
            {
                "created_at": self.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "event_count": self.event_count,
                "head_id": self.head_id,
                "head_hash": self.head_hash,
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def of(cls, row: AuditCheckpoint) -> Checkpoint:
        return cls(row.created_at, row.event_count, row.head_id, row.head_hash, row.signature,
                   row.id)  # fmt: skip


def sign(secret_key: str, checkpoint: Checkpoint) -> str:
    return hmac.new(secret_key.encode(), checkpoint.payload().encode(), hashlib.sha256).hexdigest()


def signature_ok(secret_key: str, checkpoint: Checkpoint) -> bool:
    return hmac.compare_digest(sign(secret_key, checkpoint), checkpoint.signature)


def start_of_day(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


async def record_checkpoint(secret_key: str, now: datetime | None = None) -> AuditCheckpoint | None:
    """The day's checkpoint of the log's head (None: today's exists already, or the log does
    not verify, which is logged as an error: a checkpoint never vouches for a broken log)."""
    now = now or datetime.now(UTC)
    if await AuditCheckpoint.filter(created_at__gte=start_of_day(now)).exists():
        return None
    verdict = await verify(secret_key)
    if not verdict.intact:
        log.error("audit log does not verify, no checkpoint recorded: %s", verdict.describe())
        return None
    async with transaction():
        await advisory_xact_lock(conn(), AUDIT_LOCK)  # no event is appended meanwhile
        if await AuditCheckpoint.filter(created_at__gte=start_of_day(now)).exists():
            return None
        head = await AuditEvent.all().order_by("-id").only("id", "hash").first()
        count = await AuditEvent.all().count()
        cp = Checkpoint(now, count, head.id if head else 0, head.hash if head else GENESIS, "")
        return await AuditCheckpoint.create(
            created_at=now, event_count=count, head_id=cp.head_id, head_hash=cp.head_hash,
            signature=sign(secret_key, cp),
        )  # fmt: skip


# ---- verification ---------------------------------------------------------------------------


EDITED = "edited"  # the row's content does not give its hash
LINK = "link"  # the row does not follow the one before it: a row removed, added or moved
CHECKPOINT = "checkpoint"  # the row at a checkpoint's position is not the one it recorded
MISSING = "missing"  # the log ends before a checkpoint's last event: its newest rows are gone
SIGNATURE = "signature"  # a checkpoint's signature is false: it was not written by the app


@dataclass(frozen=True)
class Verdict:
    intact: bool
    events: int  # events read
    checkpoints: int  # checkpoints checked
    problem: str | None = None
    broken_at: int | None = None  # id of the first event that does not match
    position: int | None = None  # its place in the chain (1 = the first event)
    last_id: int | None = None  # MISSING: the id of the last event there is
    checkpoint: Checkpoint | None = None  # the checkpoint it contradicts

    def describe(self) -> str:
        """One plain English line (the command line's; pages say it in the reader's language)."""
        if self.intact:
            return (f"Audit log intact: {self.events} events, consistent with "
                    f"{self.checkpoints} checkpoints.")  # fmt: skip
        cp = self.checkpoint
        when = f"checkpoint of {cp.created_at:%Y-%m-%d %H:%M} UTC" if cp else ""
        if self.problem == EDITED:
            return f"Event {self.broken_at} (position {self.position}) was changed: its hash does not match its content."  # noqa: E501
        if self.problem == LINK:
            return f"Event {self.broken_at} (position {self.position}) does not follow the event before it: an event was removed, added or moved before it."  # noqa: E501
        if self.problem == CHECKPOINT and cp:
            return f"Event {self.broken_at} (position {self.position}) does not match the {when}, which recorded event {cp.head_id} with hash {cp.head_hash[:16]}... there: events up to it were rewritten."  # noqa: E501
        if self.problem == MISSING and cp:
            return f"The log ends at event {self.last_id} ({self.events} events) but the {when} recorded {cp.event_count} events up to event {cp.head_id}: the first missing event is position {self.position}, after event {self.last_id}."  # noqa: E501
        if self.problem == SIGNATURE and cp:
            return f"The {when} (head {cp.head_id}) carries a false signature: it was not written by this application."  # noqa: E501
        return "Audit log broken."


async def checkpoints() -> list[Checkpoint]:
    return [Checkpoint.of(r) for r in await AuditCheckpoint.all().order_by("id")]


async def verify(secret_key: str, copies: Sequence[Checkpoint] = ()) -> Verdict:
    """Check the chain, and the chain against every checkpoint of the table and ``copies``
    (checkpoints an outsider kept). The first problem in chain order is reported."""
    known = await checkpoints()
    seen = {(c.event_count, c.head_id, c.head_hash, c.signature) for c in known}
    for c in copies:
        if (c.event_count, c.head_id, c.head_hash, c.signature) not in seen:
            known.append(c)
            seen.add((c.event_count, c.head_id, c.head_hash, c.signature))
    for c in known:
        if not signature_ok(secret_key, c):
            return Verdict(False, 0, len(known), SIGNATURE, checkpoint=c)
    at: dict[int, list[Checkpoint]] = {}
    for c in known:
        at.setdefault(c.event_count, []).append(c)
    prev, n, last_id = GENESIS, 0, None
    async for ev in _events():
        n += 1
        if ev.prev_hash != prev:
            return Verdict(False, n, len(known), LINK, ev.id, n)
        if ev.hash != _expected(ev, prev):
            return Verdict(False, n, len(known), EDITED, ev.id, n)
        for c in at.get(n, ()):
            if c.head_id != ev.id or c.head_hash != ev.hash:
                return Verdict(False, n, len(known), CHECKPOINT, ev.id, n, checkpoint=c)
        prev, last_id = ev.hash, ev.id
    beyond = sorted((c for c in known if c.event_count > n), key=lambda c: c.event_count)
    if beyond:
        return Verdict(False, n, len(known), MISSING, None, n + 1, last_id, beyond[0])
    return Verdict(True, n, len(known))
