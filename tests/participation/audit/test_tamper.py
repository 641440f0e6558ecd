"""Tampering with the audit log in the database itself (raw SQL, as someone with database
access would) is detected, and the first event that does not match is named: an edited row, a
deleted middle row, re-ordered rows, a chain recomputed after a deletion, and the newest rows
removed (found through the signed checkpoints, also through copies kept outside)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tortoise import connections

from participation.audit import services
from participation.audit.models import AuditCheckpoint, AuditEvent
from participation.audit.services import (
    CHECKPOINT,
    EDITED,
    LINK,
    MISSING,
    SIGNATURE,
    Checkpoint,
    record,
    record_checkpoint,
    verify,
)
from participation.db import transaction
from participation.settings import Settings
from tests.conftest import TEST_DATABASE_URL

SECRET = "test-secret-key-that-is-long-enough-0123456789"
ROOT = Path(__file__).resolve().parents[3]


async def _log(n: int) -> list[AuditEvent]:
    async with transaction():
        for i in range(n):
            await record(None, "petition.publish", "petition", i, {"n": i, "text": "سلام"})
    return await AuditEvent.all().order_by("id")


async def _sql(query: str, *args: object) -> None:
    c = connections.get("default")
    if c.capabilities.dialect != "postgres":
        for i in range(len(args), 0, -1):
            query = query.replace(f"${i}", "?")
    await c.execute_query(query, list(args))


async def test_an_intact_log_verifies_with_its_checkpoints(db: object) -> None:
    await _log(3)
    await record_checkpoint(SECRET, now=datetime.now(UTC) - timedelta(days=1))
    await _log(2)
    await record_checkpoint(SECRET)
    verdict = await verify(SECRET)
    assert verdict.intact and verdict.events == 5 and verdict.checkpoints == 2


async def test_an_edited_row_is_named(db: object) -> None:
    events = await _log(5)
    await _sql("UPDATE audit_events SET target_id = $1 WHERE id = $2", "99", events[2].id)
    v = await verify(SECRET)
    assert (v.intact, v.problem, v.broken_at, v.position) == (False, EDITED, events[2].id, 3)


async def test_a_deleted_middle_row_is_named_by_the_row_after_it(db: object) -> None:
    events = await _log(5)
    await _sql("DELETE FROM audit_events WHERE id = $1", events[2].id)
    v = await verify(SECRET)
    assert (v.intact, v.problem, v.broken_at, v.position) == (False, LINK, events[3].id, 3)


async def test_reordered_rows_are_named(db: object) -> None:
    events = await _log(5)
    a, b = events[1].id, events[2].id  # swap the places of the 2nd and 3rd events
    await _sql("UPDATE audit_events SET id = $1 WHERE id = $2", -1, a)
    await _sql("UPDATE audit_events SET id = $1 WHERE id = $2", a, b)
    await _sql("UPDATE audit_events SET id = $1 WHERE id = $2", b, -1)
    v = await verify(SECRET)
    assert (v.intact, v.problem, v.broken_at, v.position) == (False, LINK, a, 2)


async def test_the_newest_rows_removed_are_found_through_the_checkpoint(db: object) -> None:
    events = await _log(5)
    cp = await record_checkpoint(SECRET)
    assert cp is not None and (cp.event_count, cp.head_id) == (5, events[-1].id)
    await _sql("DELETE FROM audit_events WHERE id >= $1", events[3].id)
    assert await services.verify_chain() == (True, None)  # the chain alone cannot tell
    v = await verify(SECRET)
    assert (v.intact, v.problem, v.position, v.last_id) == (False, MISSING, 4, events[2].id)
    assert v.checkpoint is not None and v.checkpoint.head_id == events[-1].id
    assert f"after event {events[2].id}" in v.describe()
    # and no new checkpoint vouches for the shortened log
    assert await record_checkpoint(SECRET, now=datetime.now(UTC) + timedelta(days=1)) is None
    assert await AuditCheckpoint.all().count() == 1


async def test_a_chain_recomputed_after_a_deletion_contradicts_the_checkpoint(db: object) -> None:
    events = await _log(4)
    await record_checkpoint(SECRET)
    await _sql("DELETE FROM audit_events WHERE id = $1", events[1].id)
    prev = events[0].hash  # the forger re-hashes every row after the hole, and adds one
    for ev in events[2:]:
        fields = dict(created_at=ev.created_at, actor_id=ev.actor_id, action=ev.action,
                      target_type=ev.target_type, target_id=ev.target_id, data=ev.data)  # fmt: skip
        new = services.digest(services.canonical(**fields, prev_hash=prev))
        await AuditEvent.filter(id=ev.id).update(prev_hash=prev, hash=new)
        prev = new
    async with transaction():
        await record(None, "petition.publish", "petition", 99)
    assert await services.verify_chain() == (True, None)
    v = await verify(SECRET)
    newest = await AuditEvent.all().order_by("-id").first()
    assert newest is not None
    assert (v.intact, v.problem, v.position, v.broken_at) == (False, CHECKPOINT, 4, newest.id)


async def test_a_forged_checkpoint_is_refused(db: object) -> None:
    events = await _log(2)
    await AuditCheckpoint.create(created_at=datetime.now(UTC), event_count=2,
                                 head_id=events[-1].id, head_hash=events[-1].hash,
                                 signature="0" * 64)  # fmt: skip
    v = await verify(SECRET)
    assert (v.intact, v.problem) == (False, SIGNATURE)


async def test_copies_kept_outside_catch_an_emptied_checkpoint_table(db: object) -> None:
    events = await _log(3)
    cp = await record_checkpoint(SECRET)
    assert cp is not None
    copy = Checkpoint.of(cp)
    await _sql("DELETE FROM audit_checkpoints")  # (PostgreSQL refuses this in production)
    await _sql("DELETE FROM audit_events WHERE id = $1", events[-1].id)
    assert (await verify(SECRET)).intact  # nothing left to compare with
    v = await verify(SECRET, [copy])
    assert (v.intact, v.problem, v.position) == (False, MISSING, 3)
    forged = Checkpoint(copy.created_at, 2, events[1].id, events[1].hash, copy.signature)
    assert (await verify(SECRET, [forged])).problem == SIGNATURE


async def test_one_checkpoint_a_day(db: object) -> None:
    await _log(1)
    now = datetime(2026, 3, 21, 10, tzinfo=UTC)
    assert await record_checkpoint(SECRET, now=now) is not None
    assert await record_checkpoint(SECRET, now=now + timedelta(hours=5)) is None
    await _log(1)
    second = await record_checkpoint(SECRET, now=now + timedelta(days=1))
    assert second is not None and second.event_count == 2


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": settings.database_url, "SECRET_KEY": SECRET,
           "VAR_DIR": str(settings.var_dir)}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "participation.cli", "verify-audit", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


async def test_verify_audit_names_the_first_bad_row_and_fails(
    db: object, settings: Settings, tmp_path: Path
) -> None:
    events = await _log(4)
    cp = await record_checkpoint(SECRET)
    assert cp is not None
    ok = _cli(settings)
    assert ok.returncode == 0, ok.stderr
    assert "intact: 4 events, consistent with 1 checkpoints" in ok.stdout
    copies = tmp_path / "checkpoints.json"
    copies.write_text(json.dumps({"items": [{
        "created_at": cp.created_at.isoformat(), "event_count": cp.event_count,
        "head_id": cp.head_id, "head_hash": cp.head_hash, "signature": cp.signature,
    }]}))  # fmt: skip
    await _sql("DELETE FROM audit_checkpoints")
    await _sql("DELETE FROM audit_events WHERE id = $1", events[-1].id)
    bad = _cli(settings, "--checkpoints", str(copies))
    assert bad.returncode == 1
    assert f"The log ends at event {events[-2].id}" in bad.stderr and "TAMPERED" in bad.stderr
    await _sql("UPDATE audit_events SET action = $1 WHERE id = $2", "x", events[0].id)
    edited = _cli(settings)
    assert (
        edited.returncode == 1 and f"Event {events[0].id} (position 1) was changed" in edited.stderr
    )


@pytest.mark.postgres
async def test_postgres_refuses_changing_or_removing_a_checkpoint(db: object) -> None:
    import asyncpg

    migration = importlib.import_module("migrations.0008_audit_checkpoints")
    c = await asyncpg.connect(TEST_DATABASE_URL.replace("postgres://", "postgresql://", 1))
    try:
        tx = c.transaction()
        await tx.start()  # the trigger lives only as long as this transaction
        try:
            await c.execute(migration.APPEND_ONLY_SQL)
            await c.execute(
                "INSERT INTO audit_checkpoints (created_at, event_count, head_id, head_hash,"
                " signature) VALUES (now(), 0, 0, 'h', 's')"
            )
            for statement in ("UPDATE audit_checkpoints SET event_count = 9",
                              "DELETE FROM audit_checkpoints", "TRUNCATE audit_checkpoints"):  # fmt: skip
                with pytest.raises(asyncpg.RaiseError, match="append-only"):
                    async with c.transaction():  # a savepoint
                        await c.execute(statement)
            assert await c.fetchval("SELECT count(*) FROM audit_checkpoints") == 1
        finally:
            await tx.rollback()
    finally:
        await c.close()
