"""The moderators' alert digest: one mail per moderator when items of their scope pass the
alert flag count, or (at most once a day) when their queue passes its alert size; an item
whose host fails is left for the next run without stopping the others; a second run sends
nothing again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from starlette.applications import Starlette

from participation.comments import services as comments
from participation.moderation import services
from participation.moderation.models import ModerationState
from participation.moderation.tasks import send_moderation_alerts
from tests.factories import mail_text, make_body, make_moderator, make_user, sent_mails
from tests.participation.comments.fakehost import Hosts, as_principal


async def _flagged(app: Starlette, target: int, times: int) -> int:
    c = await comments.post_comment(await as_principal(await make_user()), "fake", target,
                                    f"Flagged {times} times", settings=app.state.settings)  # fmt: skip
    for _ in range(times):
        await services.flag(await as_principal(await make_user()), "comment", c.id, "spam")
    return c.id


async def test_moderators_of_the_item_are_mailed_once_when_it_passes_the_flag_count(
    app: Starlette, hosts: Hosts
) -> None:
    settings = app.state.settings = app.state.settings.with_(
        moderation_alert_flags=3, moderation_alert_queue=100
    )
    mine, theirs = await make_body(), await make_body()
    hosts.fake.add(1, bodies=[mine.id], flag_threshold=0)
    await make_moderator(mine, email="body-mod@example.org")
    await make_moderator(theirs, email="other-mod@example.org")
    await make_moderator(None, email="global-mod@example.org")
    await make_user("admin@example.org", admin=True)  # may act, is not on the rota
    await _flagged(app, 1, 2)  # below the count
    hot = await _flagged(app, 1, 3)
    ctx = {"settings": settings}
    assert await send_moderation_alerts(ctx) == 2
    to = sorted(m["To"] for m in sent_mails(settings))
    assert to == ["body-mod@example.org", "global-mod@example.org"]
    assert "1 item was reported many times (up to 3 reports)" in mail_text(sent_mails(settings)[0])
    assert (await ModerationState.get(target_id=hot)).alerted_at is not None
    assert await send_moderation_alerts(ctx) == 0  # told once
    assert len(sent_mails(settings)) == 2


async def test_a_long_queue_is_told_at_most_once_a_day(app: Starlette, hosts: Hosts) -> None:
    settings = app.state.settings = app.state.settings.with_(
        moderation_alert_flags=1000, moderation_alert_queue=3
    )
    hosts.fake.add(1, flag_threshold=0)
    await make_moderator(None, email="global-mod@example.org")
    for _ in range(3):
        await _flagged(app, 1, 1)
    now = datetime.now(UTC)
    assert await send_moderation_alerts({"settings": settings}, now) == 1
    assert "3 items wait in your moderation queue." in mail_text(sent_mails(settings)[-1])
    assert await send_moderation_alerts({"settings": settings}, now + timedelta(hours=2)) == 0
    assert (
        await send_moderation_alerts({"settings": settings}, now + timedelta(days=1, minutes=1))
        == 1
    )


async def test_one_failing_item_does_not_stop_the_others(
    app: Starlette, hosts: Hosts, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = app.state.settings = app.state.settings.with_(
        moderation_alert_flags=2, moderation_alert_queue=1000
    )
    a, b = await make_body(), await make_body()
    hosts.fake.add(1, bodies=[a.id], flag_threshold=0)
    hosts.fake.add(2, bodies=[b.id], flag_threshold=0)
    await make_moderator(a, email="a-mod@example.org")
    await make_moderator(b, email="b-mod@example.org")
    broken = await _flagged(app, 1, 2)
    fine = await _flagged(app, 2, 2)
    from participation.moderation import queries

    real = queries.Moderators.of

    def of(self: queries.Moderators, body_ids: list[int]) -> list[int]:
        if a.id in body_ids:
            raise RuntimeError("a broken scope")
        return real(self, body_ids)

    monkeypatch.setattr(queries.Moderators, "of", of)
    assert await send_moderation_alerts({"settings": settings}) == 1
    assert [m["To"] for m in sent_mails(settings)] == ["b-mod@example.org"]
    assert (await ModerationState.get(target_id=fine)).alerted_at is not None
    assert (await ModerationState.get(target_id=broken)).alerted_at is None  # next run
    monkeypatch.setattr(queries.Moderators, "of", real)
    assert await send_moderation_alerts({"settings": settings}) == 1
    assert sent_mails(settings)[-1]["To"] == "a-mod@example.org"
