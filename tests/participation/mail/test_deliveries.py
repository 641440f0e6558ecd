"""Each mail of a fan-out is recorded once the server accepted it: a job run again after a crash
sends only what it had not sent."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from participation import jobs
from participation.db import transaction
from participation.mail import services as mail
from participation.mail.models import MailDelivery
from participation.mail.tasks import send_email
from participation.models import OutboxJob
from participation.settings import Settings
from tests.factories import make_user, sent_mails

CONTEXT = {"display_name": "Sam", "link": "http://testserver/x"}


async def test_a_mail_with_a_delivery_key_is_sent_once(db: object, settings: Settings) -> None:
    ctx = {"settings": settings}
    key = "petition-notify:1:debate:sig:7"
    assert await send_email(ctx, "password-reset", to_email="sam@example.org", context=CONTEXT,
                            delivery_key=key) == "sent"  # fmt: skip
    assert await send_email(ctx, "password-reset", to_email="sam@example.org", context=CONTEXT,
                            delivery_key=key) == "already sent"  # fmt: skip
    assert len(sent_mails(settings)) == 1
    assert await MailDelivery.filter(key=key).count() == 1


async def test_a_long_key_is_stored_shortened_and_still_unique(
    db: object, settings: Settings
) -> None:
    ctx = {"settings": settings}
    long_a, long_b = "x" * 300 + "a", "x" * 300 + "b"
    for key in (long_a, long_b, long_a):
        await send_email(ctx, "password-reset", to_email="sam@example.org", context=CONTEXT,
                         delivery_key=key)  # fmt: skip
    assert len(sent_mails(settings)) == 2


async def test_a_fan_out_run_again_sends_only_what_it_had_not_sent(
    db: Starlette, settings: Settings
) -> None:
    users = [await make_user(f"reader{i}@example.org") for i in range(3)]

    async def announce(ctx: dict[str, Any]) -> None:
        """A fan-out job: one mail per user, queued (the default delivery key names the job's
        outbox row and the recipient)."""
        async with transaction():
            for u in users:
                mail.queue_email("password-reset", to_user_id=u.id, **CONTEXT)

    db.state.job_registry.functions["announce"] = announce
    async with transaction():
        jobs.enqueue("announce")
    assert len(sent_mails(settings)) == 3
    row = await OutboxJob.get(name="announce")
    # the worker died before acknowledging the job: it runs again, and queues the mails again
    await OutboxJob.filter(id=row.id).update(done_at=None)
    assert await jobs.run_outbox_job({"registry": db.state.job_registry,
                                      "settings": settings}, row.id) == "done"  # fmt: skip
    assert await OutboxJob.filter(name="send_email").count() == 6
    assert len(sent_mails(settings)) == 3  # none of them twice
    assert sorted(m["To"] for m in sent_mails(settings)) == [u.email for u in users]


async def test_mails_queued_outside_a_job_are_each_their_own(
    db: object, settings: Settings
) -> None:
    user = await make_user("sam@example.org")
    for _ in range(2):  # two password resets asked for: two mails
        async with transaction():
            mail.send_password_reset(user, link="http://testserver/x")
    assert len(sent_mails(settings)) == 2
