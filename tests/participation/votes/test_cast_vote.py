"""One vote per person per target, changeable, withdrawable; counts exact under concurrency."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from participation.comments import queries as comment_queries
from participation.comments import rendering
from participation.comments import services as comments
from participation.comments.models import Comment
from participation.errors import DomainError
from participation.settings import Settings
from participation.votes import queries
from participation.votes.models import Vote, VoteTally
from participation.votes.services import cast_vote
from participation.web.errors import status_of
from tests.conftest import login, post_form
from tests.factories import make_user
from tests.participation.comments.fakehost import Hosts, as_principal


async def _counts_match_rows(target_type: str, target_id: int) -> queries.Tally:
    """The stored counters (a comment's on its row, others' in a tally) match the votes."""
    if target_type == "comment":
        c = await Comment.get(id=target_id)
        stored = queries.Tally(c.up_count, c.down_count)
    else:
        stored = await queries.tally(target_type, target_id)
    assert stored == await queries.counted(target_type, target_id)
    return stored


async def test_a_vote_can_be_changed_and_withdrawn(db: object, hosts: Hosts) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    assert await cast_vote(p, "fake", 1, 1) == queries.Tally(1, 0)
    assert await cast_vote(p, "fake", 1, 1) == queries.Tally(1, 0)  # twice: still one
    assert await cast_vote(p, "fake", 1, -1) == queries.Tally(0, 1)
    assert await cast_vote(p, "fake", 1, 0) == queries.Tally(0, 0)
    assert await Vote.all().count() == 0
    assert await cast_vote(p, "fake", 1, 0) == queries.Tally(0, 0)


async def test_votes_on_comments_move_the_comment_counters_and_contested_order(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    author = await as_principal(await make_user())
    a = await comments.post_comment(author, "fake", 1, "Popular", settings=settings)
    b = await comments.post_comment(author, "fake", 1, "Divisive", settings=settings)
    voters = [await as_principal(await make_user()) for _ in range(4)]
    for v in voters:
        await cast_vote(v, "comment", a.id, 1)
    await cast_vote(voters[0], "comment", b.id, 1)
    await cast_vote(voters[1], "comment", b.id, 1)
    await cast_vote(voters[2], "comment", b.id, -1)
    await cast_vote(voters[3], "comment", b.id, -1)
    assert await _counts_match_rows("comment", a.id) == queries.Tally(4, 0)
    assert await _counts_match_rows("comment", b.id) == queries.Tally(2, 2)
    supported = await comment_queries.comment_page("fake", 1, sort="supported")
    contested = await comment_queries.comment_page("fake", 1, sort="contested")
    assert [c.id for c in supported.items] == [a.id, b.id]
    assert [c.id for c in contested.items] == [b.id, a.id]
    page = await rendering.thread("fake", 1, settings=settings, viewer=voters[2])
    assert {c.id: c.my_vote for c in page.items} == {a.id: 1, b.id: -1}


async def test_refusals_change_nothing(db: object, hosts: Hosts, settings: Settings) -> None:
    hosts.fake.add(1, open=False)
    hosts.fake.add(2)
    p = await as_principal(await make_user())
    mine = await comments.post_comment(p, "fake", 2, "My own comment", settings=settings)
    cases = [
        ("fake", 1, 1, 403),  # closed
        ("fake", 2, 5, 400),  # not an allowed value
        ("fake", 99, 1, 404),  # no such target
        ("comment", mine.id, 1, 403),  # own comment
    ]
    for target_type, target_id, value, status in cases:
        with pytest.raises(DomainError) as exc:
            await cast_vote(p, target_type, target_id, value)
        assert status_of(exc.value) == status
    assert await Vote.all().count() == 0


async def test_many_voters_in_sequence_are_counted_exactly(db: object, hosts: Hosts) -> None:
    hosts.fake.add(1)
    people = [await as_principal(await make_user()) for _ in range(12)]
    for i, p in enumerate(people):
        await cast_vote(p, "fake", 1, 1 if i % 3 else -1)
    for p in people[:5]:
        await cast_vote(p, "fake", 1, -1)
    await cast_vote(people[5], "fake", 1, 0)
    assert await _counts_match_rows("fake", 1) == queries.Tally(4, 7)


@pytest.mark.postgres
async def test_concurrent_votes_are_counted_exactly(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    author = await as_principal(await make_user())
    comment = await comments.post_comment(author, "fake", 1, "Vote on me", settings=settings)
    people = [await as_principal(await make_user()) for _ in range(40)]
    # first wave: 40 people vote at once on the target and on the comment, some twice at once
    first = [
        cast_vote(p, t, tid, 1 if i % 4 else -1)
        for i, p in enumerate(people)
        for t, tid in (("fake", 1), ("comment", comment.id))
    ]
    first += [cast_vote(p, "fake", 1, 1 if i % 4 else -1) for i, p in enumerate(people[:10])]
    await asyncio.gather(*first)
    # second wave: everybody changes or withdraws at once
    second = [cast_vote(p, t, tid, (-1, 0, 1)[i % 3])
              for i, p in enumerate(people) for t, tid in (("fake", 1), ("comment", comment.id))]  # fmt: skip
    await asyncio.gather(*second)
    for target_type, target_id in (("fake", 1), ("comment", comment.id)):
        stored = await _counts_match_rows(target_type, target_id)
        assert stored == queries.Tally(13, 14)
    assert await VoteTally.filter(target_type="fake").count() == 1
    c = await Comment.get(id=comment.id)
    assert c.contested == 13 * 1_000_000_000 + 27


async def test_the_vote_form_redirects_back_or_answers_json(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    author = await as_principal(await make_user())
    c = await comments.post_comment(author, "fake", 1, "Vote on me", settings=settings)
    await make_user("voter@example.org")
    await login(client, "voter@example.org")
    r = await post_form(client, "/votes/cast",
                        {"target_type": "comment", "target_id": c.id, "value": 1})  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == f"/fake/fake/1#comment-{c.id}"
    r = await post_form(client, "/votes/cast", {
        "target_type": "fake", "target_id": 1, "value": -1, "next": "/fake/fake/1?sort=oldest",
    })  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/fake/fake/1?sort=oldest"
    r = await post_form(client, "/votes/cast",
                        {"target_type": "fake", "target_id": 1, "value": 1, "next": "//evil.org/"})  # fmt: skip
    assert r.headers["location"] == "/fake/fake/1"
    token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/")).text)
    assert token
    r = await client.post("/votes/cast", data={
        "csrf_token": token.group(1), "target_type": "comment", "target_id": str(c.id), "value": "0",
    }, headers={"Accept": "application/json"})  # fmt: skip
    assert r.json() == {"up": 0, "down": 0, "value": 0}
    page = (await client.get("/fake/fake/1")).text
    assert 'aria-pressed="true"' not in page
    hosts.fake.targets[1].open = False
    r = await post_form(client, "/votes/cast",
                        {"target_type": "fake", "target_id": 1, "value": -1})  # fmt: skip
    assert r.status_code == 403 and "Voting is closed here" in r.text
    assert await queries.tally("fake", 1) == queries.Tally(1, 0)
