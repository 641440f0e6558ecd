"""Keyset pages: stable under concurrent inserts, the four sort orders, replies in one query."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tortoise import connections

from participation.comments import queries, services
from participation.comments.models import Comment
from participation.sanitize import text_hash
from participation.settings import Settings
from tests.factories import make_user
from tests.participation.comments.fakehost import Hosts, as_principal

T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def _bulk(
    n: int, *, start: datetime = T0, target: int = 1, same_second: int = 1
) -> list[int]:
    """n top-level comments; ``same_second`` of them share each timestamp (tie on created_at)."""
    user = await make_user()
    rows = [
        Comment(target_type="fake", target_id=target, author_id=user.id, body_raw=f"c{i}",
                body_html=f"<p>c{i}</p>", created_at=start + timedelta(seconds=i // same_second),
                text_hash=text_hash(f"c{i}"))
        for i in range(n)
    ]  # fmt: skip
    await Comment.bulk_create(rows)
    return [c.id for c in await Comment.filter(target_id=target).order_by("id")]


async def _all_pages(sort: str, limit: int, between=None) -> list[list[int]]:  # type: ignore[no-untyped-def]
    pages, cursor = [], None
    while True:
        page = await queries.comment_page("fake", 1, sort=sort, cursor=cursor, limit=limit)
        pages.append([c.id for c in page.items])
        if between is not None:
            await between()
        cursor = page.next_cursor
        if cursor is None:
            return pages


async def test_paging_while_others_post_has_no_duplicates_and_no_gaps(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    existing = set(await _bulk(23, same_second=3))
    poster = await as_principal(await make_user())
    counter = iter(range(1000))

    async def someone_posts() -> None:
        await services.post_comment(poster, "fake", 1, f"new {next(counter)}", settings=settings)

    for sort in ("newest", "oldest"):
        pages = await _all_pages(sort, 5, someone_posts)
        seen = [i for p in pages for i in p]
        assert len(seen) == len(set(seen)), "a comment appeared on two pages"
        assert existing <= set(seen), "a comment that existed at the start was skipped"


async def test_sort_orders(db: object, hosts: Hosts) -> None:
    hosts.fake.add(1)
    ids = await _bulk(6)
    # up/down: a(10,0) b(5,5) c(3,4) d(0,0) e(1,1) f(0,7)
    votes = [(10, 0), (5, 5), (3, 4), (0, 0), (1, 1), (0, 7)]
    for cid, (up, down) in zip(ids, votes, strict=True):
        contested = min(up, down) * 1_000_000_000 + up + down
        await Comment.filter(id=cid).update(up_count=up, down_count=down, contested=contested)
    a, b, c, d, e, f = ids

    async def order(sort: str) -> list[int]:
        return [i for p in await _all_pages(sort, 4) for i in p]

    assert await order("newest") == [f, e, d, c, b, a]
    assert await order("oldest") == [a, b, c, d, e, f]
    assert await order("supported") == [a, b, c, e, f, d]
    assert await order("contested") == [b, c, e, a, f, d]


async def test_a_bad_cursor_gives_the_first_page(db: object, hosts: Hosts) -> None:
    hosts.fake.add(1)
    await _bulk(3)
    first = await queries.comment_page("fake", 1)
    other_sort = queries.encode_cursor("oldest", T0, 1)
    for bad in (
        "garbage",
        "!!!",
        "e30",
        other_sort,
        queries.encode_cursor("newest", 5, 1),
        "a" * 500,
    ):
        page = await queries.comment_page("fake", 1, cursor=bad)
        assert [c.id for c in page.items] == [c.id for c in first.items]


async def test_a_page_and_all_its_replies_come_in_one_query(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    tops = [
        await services.post_comment(p, "fake", 1, f"top {i}", settings=settings) for i in range(3)
    ]
    for t in tops:
        r = await services.post_comment(
            p, "fake", 1, f"reply to {t.id}", parent_id=t.id, settings=settings
        )
        await services.post_comment(p, "fake", 1, f"deep {t.id}", parent_id=r.id, settings=settings)
    client = connections.get("default")
    calls: list[str] = []
    originals = {n: getattr(client, n) for n in ("execute_query", "execute_query_dict")}

    def counting(name: str):  # type: ignore[no-untyped-def]
        async def run(query: str, values=None):  # type: ignore[no-untyped-def]
            calls.append(query)
            return await originals[name](query, values)

        return run

    for name in originals:
        setattr(client, name, counting(name))
    try:
        page = await queries.comment_page("fake", 1)
    finally:
        for name, fn in originals.items():
            setattr(client, name, fn)
    assert len(page.items) == 3
    for item in page.items:
        assert item.replies[0].text == f"reply to {item.id}"
        assert item.replies[0].replies[0].text == f"deep {item.id}"
    comment_queries = [q for q in calls if re.search(r'FROM "?comments"?\s', q)]
    assert len(comment_queries) == 1
