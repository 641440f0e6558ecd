"""Redis stops while people sign and comment: every write is still accepted and stored, /readyz
says Redis is down, the worker waits for Redis without exiting, and once Redis is back (empty)
the jobs recorded meanwhile run, each once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

import pytest

from consultations.models import Section
from tests.factories import PASSWORD, make_consultation, make_user
from tests.reliability.conftest import Database, make_body_with, open_petition
from tests.reliability.stack import (
    Browser,
    Outcome,
    Stack,
    await_for,
    comment,
    run_bounded,
    sign,
    wait_for,
)

pytestmark = pytest.mark.reliability

SIGNERS = 150
COMMENTERS = 12
COMMENTS_EACH = 5  # under the limit of 10 a minute per person, in memory or in Redis
STOP_AT, START_AT = 40, 130  # Redis goes away after the 40th answer, comes back after the 130th


async def test_writes_survive_a_redis_outage_and_queued_jobs_run_after(
    stack: Stack, database: Database
) -> None:
    body = await make_body_with({})
    petition = await open_petition(body)
    consultation = await make_consultation(body, status="open")
    section = await Section.filter(consultation_id=consultation.id).order_by("position").first()
    assert section is not None
    people = [await make_user(f"commenter{i}@example.org") for i in range(COMMENTERS)]
    commenters = [Browser(stack.base_url) for _ in people]
    signers = [Browser(stack.base_url) for _ in range(10)]
    worker = stack.workers[0]
    try:
        await asyncio.gather(
            *(b.login(p.email, PASSWORD) for b, p in zip(commenters, people, strict=True))
        )
        await asyncio.gather(*(b.open() for b in signers))

        signing: list[Callable[[], Awaitable[Outcome]]] = []
        for i in range(SIGNERS):
            b, email, ip = signers[i % len(signers)], f"signer{i}@example.net", f"10.2.0.{i + 1}"
            signing.append(lambda b=b, email=email, ip=ip: sign(b, petition.id, email, ip))
        commenting: list[Callable[[], Awaitable[Outcome]]] = []
        for n in range(COMMENTERS * COMMENTS_EACH):
            c, text = commenters[n % COMMENTERS], f"Comment {n} on the first article"
            commenting.append(lambda c=c, text=text: comment(c, "section", section.id, text))
        calls = _interleave(signing, commenting)
        outage: dict[str, float] = {}
        readiness: list[tuple[int, dict]] = []

        async def fault(n: int) -> None:
            if n == STOP_AT:
                stack.stop_redis()
                outage["from"] = asyncio.get_running_loop().time()
            elif n == START_AT:
                readiness.append(await asyncio.to_thread(stack.readyz))
                # Redis stays down until the worker has tried to reconnect three times
                await asyncio.to_thread(
                    wait_for, lambda: worker.output().count("Redis unreachable") >= 3, 60,
                    "the worker trying to reconnect",
                )  # fmt: skip
                stack.start_redis()
                outage["to"] = asyncio.get_running_loop().time()

        results = await run_bounded(calls, concurrency=6, on_done=fault)
    finally:
        for b in commenters + signers:
            await b.close()

    during = [r for r in results if outage["from"] <= r.at <= outage["to"]]
    accepted = [r for r in results if r.accepted]
    server_errors = [r for r in results if r.server_error]
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
    print(f"RELIABILITY redis outage: {len(results)} writes ({len(during)} while Redis was "
          f"down, {outage['to'] - outage['from']:.1f} s), {len(accepted)} accepted, "
          f"{len(server_errors)} 5xx, {len(signed & stored_signatures)}/{len(signed)} signatures "
          f"and {len(commented & stored_comments)}/{len(commented)} comments stored")  # fmt: skip
    assert not server_errors, Counter((r.kind, r.status) for r in server_errors)
    assert len(accepted) == len(results), Counter((r.status, r.location[-40:]) for r in results)
    assert len([r for r in during if r.kind == "comment"]) >= 10
    assert signed <= stored_signatures and commented <= stored_comments
    assert len(signed) == SIGNERS

    status, body_json = readiness[0]
    assert status == 503 and body_json["checks"]["database"] == "ok"
    assert body_json["checks"]["redis"].startswith("error")

    # Redis came back empty: the outbox hands everything over again, each mail goes out once.
    async def all_done() -> bool:
        return not await database.value("SELECT count(*) FROM outbox_jobs WHERE done_at IS NULL")

    took = await await_for(all_done, 120, "every outbox job done after Redis came back")
    await await_for(lambda: len(stack.inbox.to()) >= SIGNERS, 60, "every confirmation mail")
    mails = Counter(stack.inbox.to())
    print(
        f"RELIABILITY redis outage: jobs done {took:.1f} s after the load; "
        f"{len(mails)} confirmations, {sum(n - 1 for n in mails.values())} duplicates"
    )
    assert set(mails) == {e.lower() for e in signed}
    assert all(n == 1 for n in mails.values()), [m for m, n in mails.items() if n > 1]
    assert worker.alive() and len(stack.workers) == 1  # the same process, never restarted
    assert "connected to Redis" in worker.output()
    assert stack.ready()


def _interleave(a: list[Callable[[], Awaitable[Outcome]]], b: list[Callable[[], Awaitable[Outcome]]]
                ) -> list[Callable[[], Awaitable[Outcome]]]:  # fmt: skip
    """``a`` and ``b`` spread evenly over one list."""
    out = []
    for i, call in enumerate(a):
        out.append(call)
        out.extend(b[i * len(b) // len(a) : (i + 1) * len(b) // len(a)])
    return out


async def test_the_web_starts_while_redis_is_down_and_its_jobs_run_once_redis_is_back(
    stack: Stack, database: Database
) -> None:
    body = await make_body_with({})
    petition = await open_petition(body)
    stack.stop_redis()
    assert stack.web is not None
    stack.web.stop()
    stack.start_web(wait=False)

    def serving() -> bool:
        return stack._web_workers() == 2 and stack.readyz()[0] == 503

    # it serves (not ready: Redis is down, which /readyz says), instead of exiting at start-up
    await asyncio.to_thread(wait_for, serving, 120, "web serving without Redis")
    browser = Browser(stack.base_url)
    try:
        await browser.open()
        outcomes = [await sign(browser, petition.id, f"early{i}@example.net", f"10.3.0.{i + 1}")
                    for i in range(3)]  # fmt: skip
    finally:
        await browser.close()
    assert all(o.accepted for o in outcomes), outcomes
    waiting = await database.value("SELECT count(*) FROM outbox_jobs WHERE done_at IS NULL")
    assert waiting >= 3  # the confirmation mails wait in the outbox

    stack.start_redis()
    await await_for(
        lambda: len(stack.inbox.to()) >= 3, 120, "the confirmations, once Redis is back"
    )
    assert sorted(stack.inbox.to()) == [f"early{i}@example.net" for i in range(3)]
    assert stack.web.alive() and stack.ready()
