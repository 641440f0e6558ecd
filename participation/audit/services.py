"""Writing and verifying the hash-chained audit log.

Each row carries sha256(prev_hash + canonical JSON of the row). On PostgreSQL an advisory
transaction lock serialises writers so the chain never forks; SQLite serialises writers itself.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from participation.audit.models import AuditEvent
from participation.db import advisory_xact_lock, conn, current_unit_of_work

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


async def record(
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: object,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call inside the service's transaction."""
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
    return await AuditEvent.create(**fields, hash=digest(canonical(**fields)))


async def verify_chain() -> tuple[bool, int | None]:
    """Recompute every hash; return (intact, id of the first broken row)."""
    prev = GENESIS
    after = 0
    while True:
        batch = await AuditEvent.filter(id__gt=after).order_by("id").limit(1000)
        if not batch:
            return True, None
        after = batch[-1].id
        for ev in batch:
            expected = digest(
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
            if ev.prev_hash != prev or ev.hash != expected:
                return False, ev.id
            prev = ev.hash
