"""Every connection of the application to PostgreSQL is terminated (pg_terminate_backend), twice,
while people sign and comment: the processes reconnect by themselves within seconds, and every
write that was answered as accepted is in the database."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable

import pytest

from consultations.models import Section
from tests.factories import PASSWORD, make_consultation, make_user
from tests.reliability.conftest import Database, make_body_with, open_petition
from tests.reliability.stack import Browser, Outcome, Stack, comment, run_bounded, sign

pytestmark = pytest.mark.reliability

SIGNERS = 200
COMMENTERS = 8
COMMENTS_EACH = 5
KILL_AT = (60, 150)  # after these answers


async def test_terminated_connections_recover_and_nothing_accepted_is_lost(
    stack: Stack, database: Database
) -> None:
    body = await make_body_with({})
    petition = await open_petition(body)
    consultation = await make_consultation(body, status="open")
    section = await Section.filter(consultation_id=consultation.id).order_by("position").first()
    assert section is not None
    people = [await make_user(f"writer{i}@example.org") for i in range(COMMENTERS)]
    commenters = [Browser(stack.base_url) for _ in people]
    signers = [Browser(stack.base_url) for _ in range(10)]
    kills: list[tuple[float, int]] = []  # (when, connections terminated)
    try:
        await asyncio.gather(
            *(b.login(p.email, PASSWORD) for b, p in zip(commenters, people, strict=True))
        )
        await asyncio.gather(*(b.open() for b in signers))
        calls: list[Callable[[], Awaitable[Outcome]]] = []
        for i in range(SIGNERS):
            b, email, ip = signers[i % len(signers)], f"signer{i}@example.net", f"10.4.0.{i + 1}"
            calls.append(lambda b=b, email=email, ip=ip: sign(b, petition.id, email, ip))
            if i % (SIGNERS // (COMMENTERS * COMMENTS_EACH)) == 0:
                c, text = commenters[(i // 5) % COMMENTERS], f"Comment {i} on the first article"
                calls.append(lambda c=c, text=text: comment(c, "section", section.id, text))

        async def fault(n: int) -> None:
            if n in KILL_AT:
                # every connection to this database but the test's own checking pool
                terminated = await database.value(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND application_name <> 'reliability-checks'"
                )
                kills.append((time.monotonic(), int(terminated)))

        results = await run_bounded(calls, concurrency=6, on_done=fault)
    finally:
        for b in commenters + signers:
            await b.close()

    accepted = [r for r in results if r.accepted]
    failed = [r for r in results if not r.accepted]
    signed = {r.key for r in accepted if r.kind == "sign"}
    commented = {r.key for r in accepted if r.kind == "comment"}
    stored_signatures = {
        row["email"] for row in await database.rows(
            "SELECT email FROM petition_signatures WHERE petition_id = $1", petition.id)
    }  # fmt: skip
    stored_comments = {
        row["body_raw"] for row in await database.rows(
            "SELECT body_raw FROM comments WHERE target_type = 'section' AND target_id = $1",
            section.id)
    }  # fmt: skip
    # recovery: from each termination to the first write accepted after it
    recovery = [min(r.at for r in accepted if r.at > when) - when for when, _ in kills]
    print(f"RELIABILITY connections terminated: {[n for _, n in kills]} connections killed "
          f"twice under load; {len(results)} writes, {len(accepted)} accepted, "
          f"{len([r for r in failed if r.server_error])} 5xx "
          f"{dict(Counter(r.status for r in failed))}; {len(signed & stored_signatures)}/"
          f"{len(signed)} signatures and {len(commented & stored_comments)}/{len(commented)} "
          f"comments stored; first accepted write {', '.join(f'{s:.2f}' for s in recovery)} s "
          "after each termination")  # fmt: skip
    assert all(n >= 3 for _, n in kills)  # the web processes' and the worker's connections
    # a request caught in a terminated connection is told to try again (503), never a 500
    assert all(r.status == 503 for r in failed if r.server_error), Counter(r.status for r in failed)
    assert signed <= stored_signatures and commented <= stored_comments
    assert all(s < 10 for s in recovery)
    assert stack.ready()
    # after the terminations everything answers again: the last writes were all accepted
    assert all(r.accepted for r in results[-20:]), [(r.status, r.location) for r in results[-20:]]
