"""Posting comments and replies through the service: host rules, threading, stance, length."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from participation.audit.models import AuditEvent
from participation.comments import queries, rendering, services
from participation.comments.models import Comment
from participation.errors import DomainError
from participation.organisations.models import Role
from participation.ratelimit import RateLimiter
from participation.settings import Settings
from participation.web.errors import status_of
from tests.factories import make_body, make_official, make_user
from tests.participation.comments.fakehost import Hosts, as_principal


async def test_replies_nest_three_levels_and_no_deeper(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    top = await services.post_comment(p, "fake", 1, "Top level", stance="for", settings=settings)
    r1 = await services.post_comment(
        p, "fake", 1, "First reply", parent_id=top.id, settings=settings
    )
    r2 = await services.post_comment(
        p, "fake", 1, "Second reply", parent_id=r1.id, settings=settings
    )
    assert (top.depth, r1.depth, r2.depth) == (0, 1, 2)
    assert r1.root_id == top.id and r2.root_id == top.id
    with pytest.raises(DomainError) as exc:
        await services.post_comment(p, "fake", 1, "Too deep", parent_id=r2.id, settings=settings)
    assert status_of(exc.value) == 400
    page = await queries.comment_page("fake", 1)
    [shown] = page.items
    assert [r.text for r in shown.replies] == ["First reply"]
    assert [r.text for r in shown.replies[0].replies] == ["Second reply"]
    assert (await Comment.get(id=top.id)).reply_count == 1


async def test_a_reply_must_stay_on_the_same_target(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    hosts.fake.add(2)
    p = await as_principal(await make_user())
    top = await services.post_comment(p, "fake", 1, "On target one", settings=settings)
    with pytest.raises(DomainError) as exc:
        await services.post_comment(p, "fake", 2, "Elsewhere", parent_id=top.id, settings=settings)
    assert status_of(exc.value) == 404


async def test_stance_only_on_top_level_comments_of_hosts_that_have_it(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    hosts.plain.add(1)
    p = await as_principal(await make_user())
    top = await services.post_comment(p, "fake", 1, "I agree", stance="against", settings=settings)
    assert top.stance_value == "against"
    with pytest.raises(DomainError) as exc:
        await services.post_comment(
            p, "fake", 1, "Reply", parent_id=top.id, stance="for", settings=settings
        )
    assert exc.value.field == "stance"
    with pytest.raises(DomainError):
        await services.post_comment(
            p, "plain", 1, "No stances here", stance="for", settings=settings
        )
    with pytest.raises(DomainError):
        await services.post_comment(p, "fake", 1, "Bogus", stance="maybe", settings=settings)
    assert await Comment.all().count() == 1


async def test_length_limits_are_enforced(db: object, hosts: Hosts, settings: Settings) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    for text in ("x", "   ", "a" * 5001, "<p></p>  <em></em>"):
        with pytest.raises(DomainError) as exc:
            await services.post_comment(p, "fake", 1, text, settings=settings)
        assert status_of(exc.value) == 400 and exc.value.field == "text"
    ok = await services.post_comment(p, "fake", 1, "ok", settings=settings)
    assert ok.body_html == "<p>ok</p>"
    assert await Comment.all().count() == 1


async def test_a_closed_target_refuses_comments_and_changes_nothing(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1, open=False)
    p = await as_principal(await make_user())
    with pytest.raises(DomainError) as exc:
        await services.post_comment(p, "fake", 1, "Too late", settings=settings)
    assert status_of(exc.value) == 403
    assert await Comment.all().count() == 0


async def test_the_eleventh_comment_in_a_minute_is_refused(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    other = await as_principal(await make_user())
    limiter = RateLimiter()
    for i in range(10):
        await services.post_comment(
            p, "fake", 1, f"Comment {i}", limiter=limiter, settings=settings
        )
    with pytest.raises(DomainError) as exc:
        await services.post_comment(
            p, "fake", 1, "One too many", limiter=limiter, settings=settings
        )
    assert status_of(exc.value) == 429
    assert "10 comments a minute" in str(exc.value.message)
    await services.post_comment(
        other, "fake", 1, "Someone else may", limiter=limiter, settings=settings
    )
    assert await Comment.filter(author_id=p.id).count() == 10


async def test_a_paper_submission_is_counted_and_shown_with_its_channel_and_body(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    body = await make_body(name="Ministry of Roads")
    hosts.fake.add(1, bodies=[body.id])
    official = await as_principal(await make_official(body, Role.EDITOR))
    citizen = await as_principal(await make_user())
    received = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    c = await services.enter_paper_submission(
        official, "fake", 1, "A letter about the road", channel="post", received_at=received,
        author_name="Parvin R.", stance="against", body_id=body.id, settings=settings,
    )  # fmt: skip
    await services.post_comment(
        citizen, "fake", 1, "Online comment", stance="for", settings=settings
    )
    counts = (await queries.counts_by_target("fake", [1]))[1]
    assert (counts.total, counts.for_, counts.against, counts.neutral) == (2, 1, 1, 0)
    page = await rendering.thread("fake", 1, settings=settings, sort="oldest")
    paper = next(i for i in page.items if i.id == c.id)
    assert paper.author_name == "Parvin R." and paper.channel == "post"
    assert paper.entered_by_body_name == "Ministry of Roads"
    assert paper.shown_at == received
    assert "Received by post, entered by Ministry of Roads" in str(paper.html)
    event = await AuditEvent.get(action="comment.paper_entered")
    assert event.actor_id == official.id and event.target_id == str(c.id)


async def test_only_officials_of_the_owning_body_enter_paper_submissions(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    body, other_body = await make_body(), await make_body()
    hosts.fake.add(1, bodies=[body.id])
    outsider = await as_principal(await make_official(other_body))
    citizen = await as_principal(await make_user())
    for p, body_id in ((outsider, other_body.id), (citizen, body.id), (outsider, body.id)):
        with pytest.raises(DomainError) as exc:
            await services.enter_paper_submission(
                p, "fake", 1, "A letter", channel="post", received_at=datetime.now(UTC),
                body_id=body_id, settings=settings,
            )  # fmt: skip
        assert status_of(exc.value) == 403
    assert await Comment.all().count() == 0
