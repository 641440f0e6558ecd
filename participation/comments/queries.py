"""Reading comments: keyset pages of top-level comments with their replies, counts per target.

Rows leave this module as plain ``CommentView`` objects (never ORM rows or asyncpg records), so
templates and the API see stable attributes. Moderation (``ModerationState``, one join):

- a comment hidden by a moderator or pending review (``hidden_kind`` moderator / flags) stays
  in its place as a placeholder without its words, author or stance, so that the replies of
  other people under it keep their place;
- a comment held for approval (pre-moderation, the word list) is not on the page at all;
  its author gets it from ``held_of`` (the presenter adds it for them);
- counts, digests and campaigns count neither (``hidden_ids``: every state with
  ``hidden_at``).

Deleted comments stay as placeholders while they have replies. What a viewer may do with a
page, and its HTML, are added by the presenter (``participation.comments.rendering``).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from participation.comments.models import MAX_DEPTH, Comment, CommentRevision
from participation.db import BIGINT_MAX, INT_MAX, conn, is_postgres
from participation.moderation.models import ModerationState
from participation.organisations.models import Body

SORTS = ("newest", "oldest", "supported", "contested")
PAGE_SIZE = 50
MAX_PAGE_SIZE = 100

# sort -> (key field, descending)
_ORDER: dict[str, tuple[str, bool]] = {
    "newest": ("created_at", True),
    "oldest": ("created_at", False),
    "supported": ("up_count", True),
    "contested": ("contested", True),
}
# the range of each integer sort key's column: a cursor outside it is forged
_KEY_RANGE: dict[str, tuple[int, int]] = {
    "up_count": (-INT_MAX - 1, INT_MAX),
    "contested": (-BIGINT_MAX - 1, BIGINT_MAX),
}


@dataclass(slots=True)
class CommentView:
    """One comment as shown: plain attributes, the replies, and what the viewer may do."""

    id: int
    target_type: str
    target_id: int
    parent_id: int | None
    root_id: int | None
    depth: int
    author_id: int | None
    author_name: str  # the display name, or the name given on a paper submission
    stance: str | None
    text: str  # raw text as written ("" once deleted)
    body_html: str  # sanitised ("" once deleted)
    language: str
    channel: str
    received_at: datetime | None
    entered_by_body_id: int | None
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    up: int
    down: int
    reply_count: int
    entered_by_body_name: str = ""
    # moderation: why it is not shown ("moderator", "flags"; "pending", "words" for its author
    # only), the moderator's reason, and whether the viewer is its author seeing their text
    hidden: str | None = None
    hidden_reason: str | None = None
    own: bool = False
    appeal: str = ""  # its author's appeal: "" none yet, "open", "restored", "upheld"
    replies: list[CommentView] = field(default_factory=list)
    my_vote: int = 0
    can_edit: bool = False
    can_delete: bool = False
    # filled by the presenter (rendering.present): the cached fragment (author, date, stance,
    # channel, text) and "3 up · 1 down" in the reader's language, both safe HTML
    html: str = ""
    counts_html: str = ""

    @property
    def paper(self) -> bool:
        return self.channel != "online"

    @property
    def shown_at(self) -> datetime:
        """When it was said: the date received for paper submissions."""
        return self.received_at or self.created_at


@dataclass(slots=True)
class CommentPage:
    items: list[CommentView]
    next_cursor: str | None
    target_type: str
    target_id: int
    sort: str = "newest"
    has_stance: bool = False
    # what the host and the viewer allow: set by the presenter (rendering.decorate)
    accepting: bool = False  # the host accepts comments now
    can_post: bool = False  # the viewer may comment
    can_vote: bool = False  # the viewer may vote on comments
    can_flag: bool = False
    max_depth: int = MAX_DEPTH
    min_length: int = 2
    max_length: int = 5000
    first: bool = True  # the first page (the viewer's comments awaiting approval go on it)
    suspended_until: datetime | None = None  # the viewer is suspended from taking part
    suspension_reason: str = ""


@dataclass(frozen=True, slots=True)
class Counts:
    total: int = 0
    for_: int = 0
    against: int = 0
    neutral: int = 0


# ---- cursors ---------------------------------------------------------------------------------


def encode_cursor(sort: str, key: Any, comment_id: int) -> str:
    if isinstance(key, datetime):
        key = key.astimezone(UTC).isoformat()
    raw = json.dumps([sort, key, comment_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, sort: str) -> tuple[Any, int] | None:
    """(key, id) of a cursor made for ``sort``; anything else (tampered, other sort, a key or
    id outside its column's range) -> None, which the caller treats as the first page."""
    if not cursor or len(cursor) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        csort, key, cid = json.loads(raw)
        if csort != sort or not _is_int(cid) or not 0 <= cid <= BIGINT_MAX:
            return None
        key_field = _ORDER[sort][0]
        if key_field == "created_at":
            if not isinstance(key, str):
                return None
            key = datetime.fromisoformat(key)
            if key.tzinfo is None:
                return None
            key = key.astimezone(UTC)  # as stored and compared
        else:
            low, high = _KEY_RANGE[key_field]
            if not _is_int(key) or not low <= key <= high:
                return None
        return key, cid
    except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeDecodeError, KeyError):
        return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ---- queries ----------------------------------------------------------------------------------


def hidden_ids() -> Subquery:
    return Subquery(
        ModerationState.filter(target_type="comment", hidden_at__isnull=False).values("target_id")
    )


def _visible() -> QuerySet[Comment]:
    return Comment.filter().exclude(id__in=hidden_ids())


async def visible_comment(comment_id: int) -> Comment | None:
    """A comment that is not hidden by a moderator (deleted ones included); an id outside the
    column's range is none."""
    if not 0 <= comment_id <= BIGINT_MAX:
        return None
    return await _visible().filter(id=comment_id).first()


async def comment_by_id(comment_id: int) -> Comment | None:
    """A comment whatever its state (hidden and deleted ones included)."""
    if not 0 <= comment_id <= BIGINT_MAX:
        return None
    return await Comment.get_or_none(id=comment_id)


async def vote_counts(comment_id: int) -> tuple[int, int]:
    """(up, down) as stored on the comment."""
    row = await Comment.filter(id=comment_id).values_list("up_count", "down_count")
    return (int(row[0][0]), int(row[0][1])) if row else (0, 0)


# A comment page is one statement, written as SQL: building it through the ORM cost more CPU
# than PostgreSQL spent running it (pypika, field resolution, per-row conversion), and every
# round trip is a wait behind the other requests of a busy process. Part 0: the page's
# top-level comments in sort order; part 1: their replies, oldest first.
_COLUMNS = (
    "c.id, c.target_type, c.target_id, c.parent_id, c.root_id, c.depth, c.author_id,"
    " c.author_name, u.display_name AS author__display_name, c.stance, c.body_raw, c.body_html,"
    " c.language, c.channel, c.received_at, c.entered_by_body_id, c.created_at, c.edited_at,"
    " c.deleted_at, c.up_count, c.down_count, c.reply_count, c.contested,"
    " ms.hidden_at AS m_hidden_at, ms.hidden_kind AS m_kind, ms.hidden_reason AS m_reason"
)
# every comment but those held for approval (placeholders for the hidden ones: ``_view``)
_FROM_VISIBLE = (
    " FROM comments c LEFT OUTER JOIN users u ON u.id = c.author_id"
    " LEFT OUTER JOIN moderation_states ms ON ms.target_type = 'comment'"
    " AND ms.target_id = c.id"
    " WHERE (ms.hidden_at IS NULL OR ms.hidden_kind IS NULL"
    " OR ms.hidden_kind NOT IN ('pending', 'words'))"
)
_DATETIMES = ("received_at", "created_at", "edited_at", "deleted_at", "m_hidden_at")


@functools.cache
def _page_sql(sort: str, with_cursor: bool, pg: bool) -> str:
    """Top-level comments of one target in ``sort`` order (part 0) -- with a cursor, after
    (key, id), with a redundant ``key <= bound`` that lets the index range-scan -- then the
    replies of those comments (part 1). Parameters: target_type, target_id, [key, key, key,
    id,] limit. One statement for both databases: only the parameter style differs."""
    key_field, desc = _ORDER[sort]
    col = f"c.{key_field}"
    op, bound, direction = ("<", "<=", "DESC") if desc else (">", ">=", "ASC")
    page = (
        f"SELECT {_COLUMNS}{_FROM_VISIBLE} AND c.target_type = $1 AND c.target_id = $2"
        " AND c.depth = 0 AND (c.deleted_at IS NULL OR c.reply_count > 0)"
    )
    n = 3
    if with_cursor:
        page += (
            f" AND {col} {bound} ${n} AND ({col} {op} ${n + 1}"
            f" OR ({col} = ${n + 2} AND c.id {op} ${n + 3}))"
        )
        n += 4
    page += f" ORDER BY {col} {direction}, c.id {direction} LIMIT ${n}"
    sql = (
        f"WITH page AS ({page}) SELECT * FROM ("
        "SELECT 0 AS part, page.* FROM page UNION ALL"
        f" SELECT 1 AS part, {_COLUMNS}{_FROM_VISIBLE} AND c.root_id IN (SELECT id FROM page)"
        f") x ORDER BY part, CASE WHEN part = 0 THEN {key_field} END {direction},"
        f" CASE WHEN part = 0 THEN id END {direction}, created_at, id"
    )
    if not pg:
        sql = re.sub(r"\$\d+", "?", sql)  # the parameters are in order of appearance
    return sql


async def _fetch(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    rows = await conn().execute_query_dict(sql, params)
    if rows and not is_postgres():  # SQLite gives timestamps back as text
        for r in rows:
            for f in _DATETIMES:
                if isinstance(r[f], str):
                    r[f] = _sqlite_datetime(r[f])
    return rows


def _sqlite_datetime(value: str) -> datetime:
    d = datetime.fromisoformat(value)
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d


def _code(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def _view(row: dict[str, Any]) -> CommentView:
    """One row as shown to anyone: a deleted comment or one hidden by moderation keeps its
    place without its words, author and stance (its author gets them back from
    ``own_texts``)."""
    deleted = row["deleted_at"] is not None
    hidden = None
    if not deleted and row.get("m_hidden_at") is not None:
        hidden = _code(row.get("m_kind")) or "moderator"
    blank = deleted or hidden is not None
    stance = row["stance"]
    channel = row["channel"]
    return CommentView(
        id=row["id"], target_type=row["target_type"], target_id=row["target_id"],
        parent_id=row["parent_id"], root_id=row["root_id"], depth=row["depth"],
        author_id=None if deleted else row["author_id"],
        author_name="" if blank else (row["author__display_name"] or row["author_name"] or ""),
        stance=None if blank or stance is None else str(getattr(stance, "value", stance)),
        text="" if blank else row["body_raw"], body_html="" if blank else row["body_html"],
        language=row["language"] or "", channel=str(getattr(channel, "value", channel)),
        received_at=row["received_at"], entered_by_body_id=row["entered_by_body_id"],
        created_at=row["created_at"], edited_at=row["edited_at"], deleted=deleted,
        up=row["up_count"], down=row["down_count"], reply_count=row["reply_count"],
        hidden=hidden, hidden_reason=_code(row.get("m_reason")) if hidden else None,
    )  # fmt: skip


async def comment_page(
    target_type: str,
    target_id: int,
    *,
    sort: str = "newest",
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> CommentPage:
    """One page of top-level comments in ``sort`` order after ``cursor``, each with its
    replies (oldest first), in one statement whatever the number of comments; a cursor that
    does not decode gives the first page. Paper submissions carry the entering body's name."""
    if sort not in SORTS:
        sort = "newest"
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    key_field = _ORDER[sort][0]
    after = decode_cursor(cursor, sort)
    params: list[Any] = [target_type, target_id]
    if after is not None:
        key, cid = after
        params += [key, key, key, cid]
    params.append(limit + 1)
    rows = await _fetch(_page_sql(sort, after is not None, is_postgres()), params)
    top = [r for r in rows if r["part"] == 0]
    more = len(top) > limit
    top = top[:limit]
    items = [_view(r) for r in top]
    next_cursor = None
    if more and top:
        last = top[-1]
        next_cursor = encode_cursor(sort, last[key_field], last["id"])
    _attach_replies(items, rows[len(top) + more :])
    await _body_names(walk(items))
    return CommentPage(items, next_cursor, target_type, target_id, sort, first=after is None)


def _held_sql(pg: bool) -> str:
    sql = (
        f"SELECT {_COLUMNS} FROM comments c LEFT OUTER JOIN users u ON u.id = c.author_id"
        " JOIN moderation_states ms ON ms.target_type = 'comment' AND ms.target_id = c.id"
        " WHERE c.target_type = $1 AND c.target_id = $2 AND c.author_id = $3"
        " AND c.deleted_at IS NULL AND ms.hidden_at IS NOT NULL"
        " AND ms.hidden_kind IN ('pending', 'words') ORDER BY c.id LIMIT 100"
    )
    return sql if pg else re.sub(r"\$\d+", "?", sql)


async def held_of(target_type: str, target_id: int, author_id: int) -> list[CommentView]:
    """The author's own comments on a target that wait for a moderator's approval, oldest
    first, with their words (for that author's eyes only)."""
    rows = await _fetch(_held_sql(is_postgres()), [target_type, target_id, author_id])
    out = []
    for row in rows:
        view = _view(row)
        _restore(view, row)
        out.append(view)
    return out


@dataclass(slots=True)
class Marks:
    """A signed-in reader's own marks on a page of a target's comments."""

    votes: dict[int, int] = field(default_factory=dict)  # comment id -> their vote
    target_vote: int = 0  # their vote on the target itself (a section), 0 if none
    held: bool = False  # they have comments on the target waiting for approval


async def viewer_marks(
    viewer_id: int, target_type: str, target_id: int, comment_ids: list[int]
) -> Marks:
    """In one statement: a signed-in reader's votes on ``comment_ids`` and on the target itself,
    and whether they have comments on the target waiting for a moderator's approval (which only
    they see)."""
    pg = is_postgres()
    ids = [int(i) for i in comment_ids][: MAX_PAGE_SIZE * 20]
    marks = ", ".join(f"${n}" for n in range(4, 4 + len(ids))) or "NULL"
    sql = (
        "SELECT 'vote' AS kind, v.target_id AS id, v.value AS value FROM votes v"
        " WHERE v.user_id = $1"
        f" AND v.target_type = 'comment' AND v.target_id IN ({marks})"
        " UNION ALL SELECT 'target' AS kind, v.target_id AS id, v.value AS value FROM votes v"
        " WHERE v.user_id = $1 AND v.target_type = $2 AND v.target_id = $3"
        " UNION ALL SELECT 'held' AS kind, c.id AS id, 0 AS value FROM comments c"
        " JOIN moderation_states ms ON ms.target_type = 'comment' AND ms.target_id = c.id"
        " WHERE c.author_id = $1 AND c.target_type = $2 AND c.target_id = $3"
        " AND c.deleted_at IS NULL AND ms.hidden_at IS NOT NULL"
        " AND ms.hidden_kind IN ('pending', 'words')"
    )
    # SQLite numbers its parameters ?1, ?2...: $1 is used twice
    rows = await conn().execute_query_dict(sql if pg else sql.replace("$", "?"),
                                           [viewer_id, target_type, target_id, *ids])  # fmt: skip
    out = Marks()
    for r in rows:
        if r["kind"] == "vote":
            out.votes[int(r["id"])] = int(r["value"])
        elif r["kind"] == "target":
            out.target_vote = int(r["value"])
        else:
            out.held = True
    return out


def _restore(view: CommentView, row: dict[str, Any]) -> None:
    stance = row["stance"]
    view.text, view.body_html = row["body_raw"], row["body_html"]
    view.author_name = row["author__display_name"] or row["author_name"] or ""
    view.stance = None if stance is None else str(getattr(stance, "value", stance))
    view.own = True


async def own_texts(views: list[CommentView], author_id: int) -> None:
    """Give back to their author the words of their comments that the page shows hidden."""
    mine = {c.id: c for c in views if c.hidden and not c.own and c.author_id == author_id}
    if not mine:
        return
    rows = await Comment.filter(id__in=list(mine), author_id=author_id).values(
        "id", "body_raw", "body_html", "stance", "author_name", "author__display_name"
    )
    for row in rows:
        _restore(mine[int(row["id"])], row)


async def _body_names(items: list[CommentView]) -> None:
    """The name of the body that entered each paper submission, in the reader's language."""
    body_ids = {c.entered_by_body_id for c in items if c.entered_by_body_id}
    if body_ids:
        bodies = {b.id: b for b in await Body.filter(id__in=body_ids)}
        for c in items:
            if c.entered_by_body_id in bodies:
                c.entered_by_body_name = str(bodies[c.entered_by_body_id].tr("name"))


def _attach_replies(items: list[CommentView], rows: list[dict[str, Any]]) -> None:
    """Hang the replies (oldest first) under their parents; replies of the extra row read to
    know whether there is a next page have no parent here and are dropped."""
    by_id = {c.id: c for c in items}
    for row in rows:
        reply = _view(row)
        parent = by_id.get(reply.parent_id) if reply.parent_id is not None else None
        if parent is None:  # its parent is held for approval (or beyond the page)
            continue
        if reply.deleted and reply.reply_count == 0:
            continue
        parent.replies.append(reply)
        by_id[reply.id] = reply


def walk(items: list[CommentView]) -> list[CommentView]:
    """Every comment of a page, each followed by its replies (depth first)."""
    out: list[CommentView] = []
    stack = list(reversed(items))
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(reversed(c.replies))
    return out


async def counts_by_target(target_type: str, target_ids: list[int]) -> dict[int, Counts]:
    """Per target: visible, not deleted comments (replies included) and top-level stances."""
    if not target_ids:
        return {}
    rows = (
        await _visible()
        .filter(target_type=target_type, target_id__in=list(target_ids), deleted_at__isnull=True)
        .annotate(n=Count("id"))
        .group_by("target_id", "stance")
        .values("target_id", "stance", "n")
    )
    acc: dict[int, dict[str, int]] = {}
    for r in rows:
        d = acc.setdefault(r["target_id"], {"total": 0, "for": 0, "against": 0, "neutral": 0})
        d["total"] += r["n"]
        stance = r["stance"]
        if stance is not None:
            d[str(getattr(stance, "value", stance))] += r["n"]
    return {tid: Counts(d["total"], d["for"], d["against"], d["neutral"]) for tid, d in acc.items()}


async def revisions(comment_id: int) -> list[dict[str, Any]]:
    return (
        await CommentRevision.filter(comment_id=comment_id)
        .order_by("created_at", "id")
        .values("body_raw", "body_html", "created_at")
    )


# ---- for moderation -------------------------------------------------------------------------


async def texts(ids: list[int]) -> dict[int, dict[str, Any]]:
    """id -> raw text, author's name, parent and target of each comment (hidden and deleted
    ones included)."""
    if not ids:
        return {}
    rows = await Comment.filter(id__in=list(ids)).values(
        "id", "body_raw", "author_name", "author__display_name", "parent_id", "target_type",
        "target_id", "author_id",
    )  # fmt: skip
    return {int(r["id"]): r for r in rows}
