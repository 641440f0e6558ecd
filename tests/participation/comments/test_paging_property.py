"""Walking the pages of a thread in any order shows every visible top-level comment once, in
exactly the order a plain sort of the rows gives (ties on the key broken by id). The page is one
SQL statement for both databases; this checks it against that reference on each of them.
A comment hidden by a moderator or pending review keeps its place as a placeholder (no words,
no author); one held for approval is not on the page."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participation.comments import queries
from participation.comments.models import CONTESTED_FACTOR, Comment
from participation.moderation.models import ModerationState
from participation.sanitize import text_hash
from tests.factories import make_user

T0 = datetime(2026, 1, 1, tzinfo=UTC)
_targets = itertools.count(1000)

ROW = st.fixed_dictionaries({
    "second": st.integers(0, 4),  # few distinct times: many ties on created_at
    "up": st.integers(0, 3),
    "down": st.integers(0, 3),
    "deleted": st.booleans(),
    "replies": st.integers(0, 1),  # a deleted comment stays while it has replies
    "hidden": st.sampled_from([None, None, "moderator", "flags", "pending", "words"]),
})  # fmt: skip
HELD = ("pending", "words")


def _expected(rows: list[tuple[int, dict[str, int]]], sort: str) -> list[int]:
    shown = [
        (cid, r) for cid, r in rows
        if r["hidden"] not in HELD and (not r["deleted"] or r["replies"])
    ]  # fmt: skip

    def key(item: tuple[int, dict[str, int]]) -> tuple[int, int]:
        cid, r = item
        up, down = r["up"], r["down"]
        value = {
            "newest": r["second"], "oldest": r["second"], "supported": up,
            "contested": min(up, down) * CONTESTED_FACTOR + up + down,
        }[sort]  # fmt: skip
        return (value, cid)

    return [cid for cid, _ in sorted(shown, key=key, reverse=sort != "oldest")]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, max_size=12), limit=st.integers(1, 4))
async def test_every_order_pages_through_all_visible_comments_exactly_once(
    db: object, rows: list[dict[str, int]], limit: int
) -> None:
    target = next(_targets)  # each example on a target of its own
    author = await make_user()
    made = []
    for r in rows:
        up, down = r["up"], r["down"]
        c = await Comment.create(
            target_type="fake", target_id=target, author_id=author.id, body_raw="x",
            body_html="<p>x</p>", created_at=T0 + timedelta(seconds=r["second"]),
            deleted_at=T0 if r["deleted"] else None, reply_count=r["replies"], up_count=up,
            down_count=down, contested=min(up, down) * CONTESTED_FACTOR + up + down,
            text_hash=text_hash("x"),
        )  # fmt: skip
        if r["hidden"]:
            await ModerationState.create(target_type="comment", target_id=c.id, hidden_at=T0,
                                         hidden_kind=r["hidden"])  # fmt: skip
        made.append((c.id, r))
    for sort in queries.SORTS:
        seen: list[int] = []
        cursor = None
        while True:
            page = await queries.comment_page("fake", target, sort=sort, cursor=cursor,
                                              limit=limit)  # fmt: skip
            assert len(page.items) <= limit
            seen += [c.id for c in page.items]
            for c in page.items:
                if c.hidden:  # a placeholder: nothing of what it said
                    assert (c.text, c.body_html, c.author_name) == ("", "", "")
            cursor = page.next_cursor
            if cursor is None:
                break
            assert page.items, "a next page after an empty one"
        assert seen == _expected(made, sort), sort
