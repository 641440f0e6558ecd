"""The audit log is append-only and tamper-evident."""

from __future__ import annotations

import asyncio

import pytest

from participation.audit.models import AuditEvent
from participation.audit.services import GENESIS, record, verify_chain
from participation.db import is_postgres, transaction


async def _write(n: int, actor: int | None = None) -> None:
    async with transaction():
        await record(actor, "test.action", "thing", n, {"n": n, "text": "سلام"})


async def test_each_event_links_to_the_previous_one(db: object) -> None:
    for i in range(3):
        await _write(i)
    events = await AuditEvent.all().order_by("id")
    assert events[0].prev_hash == GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert await verify_chain() == (True, None)


async def test_editing_a_past_event_breaks_the_chain(db: object) -> None:
    for i in range(3):
        await _write(i)
    second = (await AuditEvent.all().order_by("id"))[1]
    await AuditEvent.filter(id=second.id).update(data={"n": 99})
    assert await verify_chain() == (False, second.id)


@pytest.mark.postgres
async def test_concurrent_writers_do_not_fork_the_chain(db: object) -> None:
    assert is_postgres()
    await asyncio.gather(*(_write(i, actor=i) for i in range(20)))
    assert await AuditEvent.all().count() == 20
    assert await verify_chain() == (True, None)


async def test_recording_outside_a_transaction_is_refused(db: object) -> None:
    with pytest.raises(RuntimeError):
        await record(None, "x", "y", 1)
