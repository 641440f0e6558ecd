"""The worker is killed (SIGKILL) in the middle of counting signatures and again in the middle of
mailing the signers that the debate threshold was crossed: after a restart the count is exact and
every signer has the mail once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from petitions.models import Signature, SignatureStatus
from petitions.signing import canonical_email
from tests.reliability.conftest import Database, make_body_with, open_petition
from tests.reliability.stack import Stack, await_for, pg_dsn

pytestmark = pytest.mark.reliability

SIGNERS = 450  # three batches of mails (200 a job)
SENT_BEFORE_KILL = 150


async def test_a_worker_killed_mid_count_and_mid_mailing_finishes_the_work_once(
    stack: Stack, database: Database
) -> None:
    body = await make_body_with({"petition_debate_threshold": SIGNERS,
                                 "petition_response_threshold": 10 * SIGNERS})  # fmt: skip
    petition = await open_petition(body)

    # Somebody holds the petition's row (not its key: signatures can still refer to it), so
    # the counter job will wait inside its transaction.
    holder = await asyncpg.connect(pg_dsn(stack.database_url))
    held = holder.transaction()
    await held.start()
    await holder.execute("SELECT id FROM petitions WHERE id = $1 FOR NO KEY UPDATE", petition.id)
    start = datetime.now(UTC) - timedelta(hours=2)
    await Signature.bulk_create([
        Signature(
            petition_id=petition.id, name=f"Signer {i}", email=f"signer{i}@example.net",
            canonical_email=canonical_email(f"signer{i}@example.net"), region="fars",
            opt_in=True, ip=f"10.3.{i // 250}.{i % 250 + 1}", locale="en",
            status=SignatureStatus.CONFIRMED, created_at=start + timedelta(seconds=i),
            confirmed_at=start + timedelta(seconds=i),
        )
        for i in range(SIGNERS)
    ])  # fmt: skip

    async def counter_waiting() -> bool:
        return bool(await database.value(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND state = 'active'"))  # fmt: skip

    await await_for(counter_waiting, 60, "the counter job waiting for the petition's row")
    first = stack.workers[0]
    first.kill()  # in the middle of counting: its transaction never commits
    await held.rollback()
    await holder.close()

    # The next worker counts again, crosses the threshold and mails the signers; it is killed
    # while a mail is in flight, after SENT_BEFORE_KILL mails were accepted.
    stack.inbox.hold_after(SENT_BEFORE_KILL)
    second = stack.start_worker()
    await await_for(stack.inbox.holding.is_set, 120, f"{SENT_BEFORE_KILL} mails sent")
    second.kill()
    stack.inbox.release()  # the mail in flight is refused: it was never accepted
    assert stack.inbox.count() == SENT_BEFORE_KILL

    third = stack.start_worker()
    took = await await_for(lambda: stack.inbox.count() >= SIGNERS, 180, "every signer mailed")

    async def all_done() -> bool:
        return not await database.value("SELECT count(*) FROM outbox_jobs WHERE done_at IS NULL")

    await await_for(all_done, 60, "every outbox job done")
    # the signers' mails (the creator is also mailed once when the threshold is reached)
    mails = Counter(a for a in stack.inbox.to() if a.startswith("signer"))
    count, debate_at = (await database.rows(
        "SELECT signature_count, debate_threshold_at FROM petitions WHERE id = $1", petition.id
    ))[0]  # fmt: skip
    counted = await database.value(
        "SELECT count(*) FROM petition_signatures WHERE petition_id = $1 AND counted", petition.id
    )
    print(f"RELIABILITY worker killed: count {count}/{SIGNERS}, {counted} rows counted once; "
          f"{sum(mails.values())} mails to {len(mails)} signers after two kills "
          f"({sum(n - 1 for n in mails.values())} duplicates), the rest sent {took:.1f} s "
          "after the restart")  # fmt: skip
    assert count == SIGNERS and counted == SIGNERS and debate_at is not None
    assert set(mails) == {f"signer{i}@example.net" for i in range(SIGNERS)}
    assert all(n == 1 for n in mails.values()), [m for m, n in mails.items() if n > 1]
    assert "released" in third.output()  # the killed worker's job was freed, not waited for
