"""Suspensions from taking part: for some days, with a reason; the person still reads and
signs in, is told why and until when (mail, every page, every refusal), and posts, votes,
flags and signs nothing; lifting it early gives everything back at once; what they wrote,
waiting items included, stays as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from starlette.applications import Starlette

from consultations.models import Consultation
from participation.accounts.models import User
from participation.audit.models import AuditEvent
from participation.comments import services as comments
from participation.errors import Forbidden, Invalid
from participation.moderation import services, suspensions
from participation.moderation.models import HiddenKind, ModerationState
from participation.votes.services import cast_vote
from tests.conftest import login, post_form
from tests.factories import (
    mail_text,
    make_body,
    make_consultation,
    make_moderator,
    make_official,
    make_user,
    sent_mails,
)
from tests.participation.comments.fakehost import as_principal

REASON = "Repeated insults to other participants"


async def test_a_suspended_person_reads_and_signs_in_but_takes_no_part_until_lifted(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    settings = app.state.settings
    body = await make_body()
    c = await make_consultation(body, title="Parks")
    section = await c.sections.all().order_by("position").first()  # type: ignore[attr-defined]
    person = await make_user("sam@example.org")
    other = await comments.post_comment(await as_principal(await make_user()), "section",
                                        section.id, "Someone else's view", settings=settings)  # fmt: skip
    await Consultation.filter(id=c.id).update(premoderated=True)
    waiting = await comments.post_comment(await as_principal(person), "section", section.id,
                                          "Mine, waiting", settings=settings)  # fmt: skip
    moderator = await as_principal(await make_moderator(None))
    await suspensions.suspend(moderator, person.id, 7, REASON, base_url=settings.base_url)

    mail = sent_mails(settings)[-1]
    assert mail["To"] == "sam@example.org" and REASON in mail_text(mail)

    await login(client, "sam@example.org")  # signing in still works
    page = await client.get(f"/consultations/{c.slug}/sections/1")
    assert page.status_code == 200
    assert "You are suspended from taking part until" in page.text and REASON in page.text
    assert 'action="http://testserver/comments/post"' not in page.text
    assert "Mine, waiting" in page.text  # still theirs, still waiting

    sam = await as_principal(await User.get(id=person.id))
    refusals = [
        comments.post_comment(sam, "section", section.id, "Let me in", settings=settings),
        cast_vote(sam, "comment", other.id, 1),
        cast_vote(sam, "section", section.id, 1),
        services.flag(sam, "comment", other.id, "spam"),
    ]
    for call in refusals:
        with pytest.raises(Forbidden) as exc:
            await call
        assert "suspended from taking part until" in exc.value.message
        assert REASON in exc.value.message
    r = await post_form(client, "/comments/post", {
        "target_type": "section", "target_id": section.id, "text": "Through the form",
    }, page="/account/profile")  # fmt: skip
    assert r.status_code == 403 and REASON in r.text
    state = await ModerationState.get(target_id=waiting.id)
    assert state.hidden_kind == HiddenKind.PENDING  # kept as it was

    await suspensions.lift(moderator, person.id, "Apology accepted")
    await Consultation.filter(id=c.id).update(premoderated=False)
    sam = await as_principal(await User.get(id=person.id))
    assert not sam.suspended
    await comments.post_comment(sam, "section", section.id, "Back again", settings=settings)
    page = await client.get(f"/consultations/{c.slug}/sections/1")  # the refused draft, once
    assert "Through the form" in page.text
    assert "suspended" not in (await client.get(f"/consultations/{c.slug}/sections/1")).text
    actions = await AuditEvent.filter(target_id=str(person.id)).values_list("action", flat=True)
    assert list(actions) == ["moderation.suspend", "moderation.lift_suspension"]


async def test_a_suspension_ends_by_itself_on_its_date(db: object) -> None:
    person = await make_user()
    await User.filter(id=person.id).update(
        suspended_until=datetime.now(UTC) - timedelta(seconds=1), suspension_reason=REASON
    )
    p = await as_principal(await User.get(id=person.id))
    assert not p.suspended and p.suspension_reason == ""


async def test_who_may_suspend_whom(db: object) -> None:
    body = await make_body()
    target = await make_user()
    for refused in (await make_moderator(body), await make_official(body), await make_user()):
        with pytest.raises(Forbidden):
            await suspensions.suspend(await as_principal(refused), target.id, 3, REASON)
    moderator = await as_principal(await make_moderator(None))
    with pytest.raises(Forbidden):
        await suspensions.suspend(moderator, moderator.id or 0, 3, REASON)  # not oneself
    with pytest.raises(Forbidden):
        await suspensions.suspend(moderator, (await make_user(admin=True)).id, 3, REASON)
    with pytest.raises(Invalid) as exc:
        await suspensions.suspend(moderator, target.id, 3, "no")
    assert exc.value.field == "reason"
    admin = await as_principal(await make_user(admin=True))
    await suspensions.suspend(admin, target.id, 3, REASON)  # administrators may moderate
    assert (await User.get(id=target.id)).suspended_until is not None


async def test_a_suspended_moderator_or_official_holds_no_role_meanwhile(db: object) -> None:
    body = await make_body()
    official = await make_official(body)
    body_moderator = await make_moderator(body)
    moderator = await as_principal(await make_moderator(None))
    for person in (official, body_moderator):
        await suspensions.suspend(moderator, person.id, 1, REASON)
        p = await as_principal(await User.get(id=person.id))
        assert not p.is_official_of(body.id) and not p.can_moderate([body.id])
        assert not p.is_any_moderator and not p.is_any_official


async def test_the_suspension_pages_are_for_global_moderators(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    person = await make_user(name="Sam Suspended")
    await make_moderator(None, email="mod@example.org")
    await login(client, "mod@example.org")
    r = await post_form(client, f"/moderation/people/{person.id}/suspend",
                        {"days": "۷", "reason": REASON},
                        page=f"/moderation/people/{person.id}/suspend")  # Persian digits  # fmt: skip
    assert r.status_code == 303
    listing = (await client.get("/moderation/suspensions")).text
    assert "Sam Suspended" in listing and REASON in listing
    r = await post_form(client, f"/moderation/people/{person.id}/suspend",
                        {"days": "0", "reason": REASON},
                        page=f"/moderation/people/{person.id}/suspend")  # fmt: skip
    assert r.status_code == 400 and "between" in r.text  # next to its field, what was typed kept
    r = await post_form(client, f"/moderation/people/{person.id}/lift", {},
                        page="/moderation/suspensions")  # fmt: skip
    assert r.status_code == 303
    assert "Sam Suspended" not in (await client.get("/moderation/suspensions")).text
