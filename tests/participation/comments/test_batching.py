"""Group commit of new comments (participation.comments.batching): on PostgreSQL, people
posting at the same moment share one statement; each gets their own row, nothing is lost, and
what is stored is what the one-by-one path stores."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from participation.caching import read_cache
from participation.comments import batching, services
from participation.comments.models import Comment
from participation.db import transaction
from participation.settings import Settings
from tests.factories import make_user
from tests.participation.comments.fakehost import Hosts, as_principal

FIELDS = (
    "target_type", "target_id", "parent_id", "root_id", "depth", "author_id", "author_name",
    "stance", "body_raw", "body_html", "language", "channel", "received_at", "entered_by_id",
    "entered_by_body_id", "edited_at", "deleted_at", "up_count", "down_count", "contested",
    "reply_count", "text_hash",
)  # fmt: skip


def _text(i: int) -> str:
    return f"Point {i}: the **draft** is <em>late</em>, see https://example.org/{i}\n\n- a\n- b"


@pytest.mark.postgres
async def test_people_posting_at_once_share_a_statement_and_each_gets_their_row(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    people = [await as_principal(await make_user()) for _ in range(40)]
    b = batching.batcher()
    before = b.batches
    posted = await asyncio.gather(*[
        services.post_comment(p, "fake", 1, _text(i), stance="for", language="en",
                              settings=settings)
        for i, p in enumerate(people)
    ])  # fmt: skip
    assert b.batches - before < len(people)  # grouped: fewer statements than comments
    stored = {c.id: c for c in await Comment.filter(target_type="fake", target_id=1)}
    assert len(stored) == len(posted) == len({c.id for c in posted}) == 40
    for i, (p, c) in enumerate(zip(people, posted, strict=True)):
        row = stored[c.id]  # the id a request was given is the row of its own text
        assert row.author_id == p.id and row.body_raw == _text(i).strip()
        assert row.created_at.tzinfo is not None
        assert [getattr(c, f) for f in FIELDS] == [getattr(row, f) for f in FIELDS]


@pytest.mark.postgres
async def test_a_batched_comment_is_stored_as_one_written_in_a_transaction(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    when = datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert batching.available()
    batched = await services.post_comment(
        p, "fake", 1, _text(1), stance="against", language="fa", settings=settings, now=when
    )
    async with transaction():  # a unit of work around the call: the comment is part of it
        assert not batching.available()
        alone = await services.post_comment(
            p, "fake", 1, _text(1), stance="against", language="fa", settings=settings, now=when
        )
    a, b = await Comment.get(id=batched.id), await Comment.get(id=alone.id)
    assert a.id != b.id
    assert [getattr(a, f) for f in (*FIELDS, "created_at")] == [
        getattr(b, f) for f in (*FIELDS, "created_at")
    ]


@pytest.mark.postgres
async def test_a_row_the_database_refuses_fails_only_its_own_request(db: object) -> None:
    now = datetime.now(UTC)
    author = await make_user()

    def row(i: int, target_type: str = "fake") -> batching.NewComment:
        return batching.NewComment(
            target_type=target_type, target_id=7, author_id=author.id, stance=None,
            body_raw=f"text {i}", body_html=f"<p>text {i}</p>", language="", created_at=now,
            text_hash=f"{i:064d}",
        )  # fmt: skip

    b = batching.CommentBatcher()
    results = await asyncio.gather(
        b.submit(row(1)), b.submit(row(2, "x" * 100)), b.submit(row(3)), return_exceptions=True
    )
    assert isinstance(results[1], Exception)
    ok = [r for r in results if isinstance(r, Comment)]
    assert sorted(c.body_raw for c in ok) == ["text 1", "text 3"]
    rows = await Comment.filter(target_id=7).values_list("body_raw", flat=True)
    assert sorted(rows) == ["text 1", "text 3"]


@pytest.mark.postgres
async def test_a_batch_empties_the_read_cache_as_a_commit_does(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    read_cache.configure(60)
    try:

        async def load() -> str:
            return "a page read before the comment"

        await read_cache.get(("page",), load)
        assert len(read_cache) == 1
        await services.post_comment(p, "fake", 1, _text(2), settings=settings)
        assert len(read_cache) == 0
    finally:
        read_cache.configure(0)


async def test_a_batch_whose_connection_was_lost_is_not_written_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It may have committed before the answer was lost: each request gets the error (a 503
    page), and nothing is written twice."""
    from asyncpg.exceptions import ConnectionDoesNotExistError

    calls: list[int] = []

    async def lost(rows: list[batching.NewComment]) -> list[Comment]:
        calls.append(len(rows))
        raise ConnectionDoesNotExistError("connection was closed in the middle of operation")

    monkeypatch.setattr(batching, "insert", lost)
    now = datetime.now(UTC)
    rows = [batching.NewComment(target_type="fake", target_id=7, author_id=1, stance=None,
                                body_raw=f"t {i}", body_html="", language="", created_at=now,
                                text_hash="0" * 64) for i in range(3)]  # fmt: skip
    b = batching.CommentBatcher()
    results = await asyncio.gather(*(b.submit(r) for r in rows), return_exceptions=True)
    assert all(isinstance(r, ConnectionDoesNotExistError) for r in results)
    assert calls == [3]  # one attempt, no row written again one by one
