"""A feedback report's build is killed with its worker (SIGKILL) while it reads the
consultation's comments: the next worker builds the same requested version, and there is one
report, whole, with every comment counted."""

from __future__ import annotations

import json

import asyncpg
import pytest

from consultations.models import Section
from participation.comments.models import Stance
from tests.consultations.test_report import comment
from tests.factories import PASSWORD, make_consultation, make_official, make_user
from tests.reliability.conftest import Database, make_body_with
from tests.reliability.stack import Browser, Stack, await_for, pg_dsn

pytestmark = pytest.mark.reliability

COMMENTS = 12


async def test_a_report_build_killed_with_its_worker_is_built_once_by_the_next(
    stack: Stack, database: Database
) -> None:
    body = await make_body_with({})
    c = await make_consultation(body, status="closed", sections=2)
    s1, _s2 = await Section.filter(consultation_id=c.id).order_by("position")
    author = await make_user()
    for n in range(COMMENTS):
        await comment("section", s1.id, author=author, text=f"comment {n}",
                      stance=Stance.FOR if n % 2 else Stance.AGAINST)  # fmt: skip
    official = await make_official(body)

    # Somebody holds the comments table: the build will wait inside its read of them.
    holder = await asyncpg.connect(pg_dsn(stack.database_url))
    held = holder.transaction()
    await held.start()
    await holder.execute("LOCK TABLE comments IN ACCESS EXCLUSIVE MODE")
    browser = Browser(stack.base_url)
    try:
        await browser.login(official.email, PASSWORD)
        r = await browser.post(f"/consultations/{c.slug}/report", {})
        assert r.status_code == 303, (r.status_code, r.text[:300])
    finally:
        await browser.close()

    async def building() -> bool:
        running = await database.value(
            "SELECT count(*) FROM report_snapshots WHERE target_id = $1 AND status = 'running'",
            c.id,
        )
        waiting = await database.value(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND state = 'active'"
        )
        return bool(running and waiting)

    await await_for(building, 60, "the build running and waiting for the comments")
    stack.workers[0].kill()  # in the middle of the build
    await held.rollback()
    await holder.close()

    second = stack.start_worker()

    async def done() -> bool:
        return bool(await database.value(
            "SELECT count(*) FROM report_snapshots WHERE target_id = $1 AND status = 'done'", c.id
        ))  # fmt: skip

    took = await await_for(done, 120, "the report built by the next worker")
    rows = await database.rows(
        "SELECT version, status, data FROM report_snapshots "
        "WHERE target_type = 'consultation' AND target_id = $1",
        c.id,
    )
    print(f"RELIABILITY report worker killed: built by the next worker {took:.1f} s after its "
          f"start; {len(rows)} snapshot(s)")  # fmt: skip
    assert [(r["version"], r["status"]) for r in rows] == [(1, "done")]
    data = json.loads(rows[0]["data"]) if isinstance(rows[0]["data"], str) else rows[0]["data"]
    assert data["participation"]["comments"] == COMMENTS
    assert data["stances"]["total"]["for"] == COMMENTS // 2
    assert second.alive()
