"""A malformed row in the batch of a periodic job (a body setting of the wrong type, a deleted
target, an outbox row no function can run) fails alone: the job processes the others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from arq import create_pool

from consultations.models import Consultation, Follow
from participation import jobs
from participation.comments.tasks import send_comment_digests
from participation.models import OutboxJob
from petitions.models import Signature, SignatureStatus
from petitions.signing import canonical_email
from tests.conftest import base_settings
from tests.factories import PASSWORD, make_consultation, make_user
from tests.reliability.conftest import Database, make_body_with, open_petition
from tests.reliability.stack import Browser, Stack, await_for, comment

pytestmark = pytest.mark.reliability


async def _confirmed_signatures(petition_id: int, n: int, tag: str) -> list[str]:
    start = datetime.now(UTC) - timedelta(hours=1)
    emails = [f"{tag}{i}@example.net" for i in range(n)]
    await Signature.bulk_create([
        Signature(
            petition_id=petition_id, name=f"Signer {i}", email=email,
            canonical_email=canonical_email(email), region="fars", opt_in=True,
            ip=f"10.5.{petition_id}.{i + 1}", locale="en", status=SignatureStatus.CONFIRMED,
            created_at=start + timedelta(seconds=i), confirmed_at=start + timedelta(seconds=i),
        )
        for i, email in enumerate(emails)
    ])  # fmt: skip
    return emails


async def test_the_counter_counts_the_other_petitions_when_one_body_setting_is_malformed(
    stack: Stack, database: Database
) -> None:
    broken = await open_petition(await make_body_with({"petition_response_threshold": "ten"}))
    body = await make_body_with({"petition_response_threshold": 5})
    good = [await open_petition(body, title=f"Petition {n}") for n in range(2)]
    await _confirmed_signatures(broken.id, 6, "broken")
    signers = [await _confirmed_signatures(p.id, 6, f"good{p.id}-") for p in good]

    async def counted() -> bool:
        rows = await database.rows(
            "SELECT signature_count, response_threshold_at FROM petitions WHERE id = ANY($1)",
            [p.id for p in good],
        )
        return all(r["signature_count"] == 6 and r["response_threshold_at"] for r in rows)

    took = await await_for(counted, 60, "the well-formed petitions counted")
    # their signers are told the response threshold was crossed
    wanted = {e for emails in signers for e in emails}
    await await_for(lambda: wanted <= set(stack.inbox.to()), 60, "the threshold mails")
    print(f"RELIABILITY periodic isolation: 2 petitions counted and mailed {took:.1f} s after "
          "their signatures, next to a body whose threshold setting is 'ten'")  # fmt: skip
    assert not {to for to in stack.inbox.to() if to.startswith("broken")}
    assert stack.workers[0].alive()


async def test_the_digest_and_the_outbox_sweep_process_the_rows_next_to_a_broken_one(
    stack: Stack, database: Database, tmp_path: Any
) -> None:
    body = await make_body_with({})
    kept = await make_consultation(body, status="open")
    deleted = await make_consultation(body, status="open")
    follower = await make_user("f1@example.org")
    other = await make_user("f2@example.org")
    writer = await make_user("w@example.org")
    await Follow.create(consultation=kept, user=follower)
    await Follow.create(consultation=deleted, user=other)
    browser = Browser(stack.base_url)
    try:
        await browser.login(writer.email, PASSWORD)
        for c in (kept, deleted, kept):
            r = await comment(browser, "consultation", c.id, f"A comment on {c.slug}")
            assert r.accepted, r
    finally:
        await browser.close()
    await Consultation.filter(id=deleted.id).delete()  # its comments stay, their target is gone

    settings = base_settings("postgres", tmp_path).with_(
        database_url=stack.database_url, redis_url=stack.redis_url, base_url=stack.base_url
    )
    registry = jobs.job_registry()
    pool = await create_pool(jobs.redis_settings(stack.redis_url))
    runner = jobs.ArqRunner(registry, pool)
    jobs.configure(runner, {"settings": settings})
    try:
        # the hourly digest, run now: one mail queued, to the follower of the kept consultation
        assert await send_comment_digests({"settings": settings, "runner": runner}) == 1
        # outbox rows next to each other, as the sweeper finds them after an outage
        old = datetime.now(UTC) - timedelta(minutes=5)
        rows = [
            OutboxJob(name="no_such_job", kwargs={}),
            OutboxJob(name="send_email", kwargs={"template": "comment-digest", "to_user_id": "x"}),
            OutboxJob(
                name="notify_petition_signers", kwargs={"petition_id": 10**6, "event": "debate"}
            ),  # fmt: skip
            OutboxJob(
                name="send_email",
                kwargs={
                    "template": "comment-digest",
                    "to_email": "reader@example.org",
                    "locale": "fa",
                    "context": {"count": 2, "link": f"{stack.base_url}/comments/1"},
                    "delivery_key": "reliability:reader",
                },
            ),  # fmt: skip
        ]
        for row in rows:
            await row.save()
        await OutboxJob.filter(id__in=[r.id for r in rows]).update(created_at=old)
        assert await jobs.sweep_outbox({"runner": runner}, older_than=timedelta(0)) >= len(rows)
    finally:
        jobs.configure(None)
        await pool.aclose()

    await await_for(lambda: {"f1@example.org", "reader@example.org"} <= set(stack.inbox.to()),
                    60, "the digest and the well-formed outbox mail")  # fmt: skip

    async def settled() -> bool:  # each row done, or failed with its error recorded
        return not await database.value(
            "SELECT count(*) FROM outbox_jobs WHERE id = ANY($1) AND done_at IS NULL "
            "AND last_error = ''", [r.id for r in rows],
        )  # fmt: skip

    await await_for(settled, 60, "every outbox row run")
    failed = dict(await database.rows(
        "SELECT name, last_error FROM outbox_jobs WHERE id = ANY($1) AND done_at IS NULL",
        [r.id for r in rows],
    ))  # fmt: skip
    # the deleted petition's job and the well-formed mail are done; the two others failed alone
    assert set(failed) == {"no_such_job", "send_email"} and "unknown job" in failed["no_such_job"]
    assert "f2@example.org" not in stack.inbox.to()
    print(
        "RELIABILITY periodic isolation: digest sent past a deleted consultation; outbox "
        "sweep ran the good rows past an unknown job and a malformed one"
    )
    assert stack.workers[0].alive()
