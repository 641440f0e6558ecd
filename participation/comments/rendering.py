"""The comment thread as one viewer sees it: the presenter that views call.

``thread(...)`` reads a page of comments (``queries.comment_page``), adds what the host and the
viewer allow (``decorate``: may they post, vote, report; their own votes; which comments they
may edit or delete) and the HTML of each comment (``present``). The template
``comments/_thread.html`` shows the result.

Rendering 50 comments is the dominant cost of a comment page, so each comment's fragment
(author, date, stance, channel mark, text, edited mark) is rendered once per version and locale
and kept in a memo (``participation.caching``). The key is the comment's version: its id, its
edit time, whether it is deleted, the names shown and the locale. An edit or a deletion makes a
new key, so the fragment changes at once in every process; a hidden comment has no fragment
(the thread template says why it is hidden in its place), except for its own author, who gets
their words back (``queries.own_texts``) with their comments waiting for approval
(``queries.held_of``); vote counts are not in the fragment (they are rendered apart, per (up,
down, locale)).
Nothing a commit changes can be served from these memos, so they are not emptied on every
commit (a stream of new comments would empty them all the time) and simply expire.

The thread's HTML is the same for every reader (``comments/_thread.html``): anonymous and
signed-in readers share it through the read cache of the host page. What is a reader's own is
filled into its slots per request (``personalise``): the comment form and the page's one vote
form (``comments/_viewer.html``), and per comment the vote buttons with the reader's votes
pressed, and links to reply, report or edit (each on its own small page), assembled from pieces
rendered once per language (``comments/_actions.html``). ``rights_on`` finds the reader's own
facts for a shared page in one query (their votes on the page's comments, whether they have
comments waiting on this target); a reader whose comments are hidden or waiting there gets a
page read for them alone (``thread(viewer=...)``, the same template), with their words back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from markupsafe import Markup
from starlette.requests import Request

from participation.accounts.principal import Principal
from participation.caching import memo
from participation.comments import queries
from participation.comments.queries import PAGE_SIZE, CommentPage, CommentView
from participation.comments.targets import find_host
from participation.i18n import get_locale
from participation.i18n import gettext as _
from participation.i18n.formatting import format_number, localize_digits
from participation.moderation.queries import appeal_states
from participation.settings import Settings
from participation.votes.queries import my_votes
from participation.web.templating import csrf_input, render_fragment, render_string

fragments = memo("comments.fragments", seconds=10, maxsize=20_000, clear_on_commit=False)
_counts = memo("comments.vote_counts", seconds=10, maxsize=8_192, clear_on_commit=False)
_pieces = memo("comments.action_pieces", seconds=10, maxsize=256, clear_on_commit=False)
SLOT = re.compile(r"<!--viewer:(\w+)-->")
PIECES = ("up", "up_on", "down", "down_on", "reply", "report", "edit", "delete")


async def thread(
    target_type: str,
    target_id: int,
    *,
    settings: Settings,
    viewer: Principal | None = None,
    sort: str = "newest",
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    now: datetime | None = None,
    target: Any = None,
) -> CommentPage:
    """One page of the thread of a target, ready for ``comments/_thread.html``. ``target``:
    the host's target object when the caller has it already (saves loading it again)."""
    page = await queries.comment_page(target_type, target_id, sort=sort, cursor=cursor,
                                      limit=limit)  # fmt: skip
    await decorate(page, settings, viewer, now=now, target=target)
    return present(page)


async def decorate(
    page: CommentPage,
    settings: Settings,
    viewer: Principal | None,
    *,
    now: datetime | None = None,
    target: Any = None,
) -> None:
    """Page-wide facts (the host's, the viewer's rights) and, per comment, the viewer's vote
    and whether they may edit or delete it. An unregistered target type is a read-only list."""
    page.min_length, page.max_length = settings.comment_min_length, settings.comment_max_length
    host = find_host(page.target_type)
    if host is None:
        return
    page.has_stance = bool(host.comments_have_stance)
    if target is None:
        target = await host.load(page.target_id)
    if target is None:
        return
    page.accepting = await host.accepts_comments(target)
    if viewer is None or not viewer.authenticated or viewer.id is None:
        return
    page.suspended_until = viewer.suspended_until
    page.suspension_reason = viewer.suspension_reason
    taking_part = page.suspended_until is None
    page.can_flag = taking_part
    page.can_post = taking_part and page.accepting and await host.can_comment(viewer, target)
    page.can_vote = page.can_post
    await _own(page, viewer.id)
    all_items = queries.walk(page.items)
    now = now or datetime.now(UTC)
    window = timedelta(minutes=settings.comment_edit_minutes)
    for c in all_items:
        if c.author_id is not None and c.author_id == viewer.id and not c.deleted:
            c.can_delete = taking_part and not c.hidden
            c.can_edit = (
                taking_part and not c.hidden and page.accepting and (c.created_at + window > now)
            )
    if page.can_vote and all_items:
        mine = await my_votes(viewer.id, "comment", [c.id for c in all_items])
        for c in all_items:
            c.my_vote = mine.get(c.id, 0)


async def _own(page: CommentPage, viewer_id: int) -> None:
    """The viewer's own comments that others do not see: the words of those hidden on the
    page, and those waiting for approval (top-level ones first on the first page, replies
    under their parent), each with the state of its appeal."""
    items = queries.walk(page.items)
    await queries.own_texts(items, viewer_id)
    held = await queries.held_of(page.target_type, page.target_id, viewer_id)
    by_id = {c.id: c for c in items}
    top = []
    for c in held:
        if c.parent_id is None:
            if page.first:
                top.append(c)
        elif c.parent_id in by_id:
            by_id[c.parent_id].replies.append(c)
    page.items[:0] = top
    mine = [c.id for c in queries.walk(page.items) if c.own and c.hidden == "moderator"]
    if mine:
        appeals = await appeal_states("comment", mine)
        for c in queries.walk(page.items):
            if c.id in appeals:
                c.appeal = appeals[c.id]


def present(page: CommentPage) -> CommentPage:
    """The HTML of every comment of the page, in the current locale (a placeholder has none:
    the thread template says why it is hidden)."""
    for c in queries.walk(page.items):
        if c.hidden and not c.own:
            continue
        c.html = comment_fragment(c)
        c.counts_html = vote_counts(c.up, c.down)
    return page


def fragment_key(c: CommentView) -> tuple[Any, ...]:
    marker = c.edited_at.timestamp() if c.edited_at else 0.0
    return (c.id, marker, c.deleted, c.entered_by_body_name, c.author_name, get_locale())


def comment_fragment(c: CommentView) -> Markup:
    key = fragment_key(c)
    html = fragments.peek(key)
    if html is None:
        html = Markup(render_string("comments/_comment.html", {"c": c}))
        fragments.put(key, html)
    return html  # type: ignore[no-any-return]


def vote_counts(up: int, down: int) -> Markup:
    """ "3 up · 1 down" in the current locale (a page shows it for every comment)."""
    locale = get_locale()
    key = (up, down, locale)
    text = _counts.peek(key)
    if text is None:
        text = Markup.escape(
            _("%(up)s up · %(down)s down")
            % {"up": format_number(up, locale), "down": format_number(down, locale)}
        )
        _counts.put(key, text)
    return text  # type: ignore[no-any-return]


# ---- the reader's own part of a shared thread ------------------------------------------------


@dataclass(slots=True)
class Rights:
    """What one signed-in reader may do on a page of comments, and their marks on it."""

    viewer_id: int
    can_post: bool = False
    can_vote: bool = False
    can_flag: bool = False
    suspended_until: datetime | None = None
    suspension_reason: str = ""
    votes: dict[int, int] = field(default_factory=dict)  # comment id -> their vote
    target_vote: int = 0  # their vote on the target itself (a section)
    editable: set[int] = field(default_factory=set)
    deletable: set[int] = field(default_factory=set)


async def rights_on(
    page: CommentPage,
    settings: Settings,
    viewer: Principal,
    *,
    target: Any = None,
    now: datetime | None = None,
) -> Rights | None:
    """The signed-in ``viewer``'s rights and marks on a page shared by every reader, and their
    vote on the target itself (one query); None when the page must be read for them alone: they have comments hidden or
    waiting for approval on it (only they see those, with their words)."""
    assert viewer.id is not None
    items = queries.walk(page.items)
    if any(c.hidden and c.author_id == viewer.id for c in items):
        return None
    r = Rights(viewer.id, suspended_until=viewer.suspended_until,
               suspension_reason=viewer.suspension_reason)  # fmt: skip
    taking_part = r.suspended_until is None
    host = find_host(page.target_type)
    if host is not None and target is None:
        target = await host.load(page.target_id)
    if host is None or target is None:
        return r  # a read-only list
    r.can_flag = taking_part
    r.can_post = taking_part and page.accepting and await host.can_comment(viewer, target)
    r.can_vote = r.can_post
    shown = [c.id for c in items if not c.deleted and not c.hidden]
    marks = await queries.viewer_marks(
        viewer.id, page.target_type, page.target_id, shown if r.can_vote else []
    )
    if marks.held:
        return None
    r.votes, r.target_vote = marks.votes, marks.target_vote
    _own_rights(r, items, settings, page.accepting, now)
    return r


def _own_rights(
    r: Rights, items: list[CommentView], settings: Settings, accepting: bool,
    now: datetime | None,
) -> None:  # fmt: skip
    now = now or datetime.now(UTC)
    window = timedelta(minutes=settings.comment_edit_minutes)
    taking_part = r.suspended_until is None
    for c in items:
        if c.author_id == r.viewer_id and not c.deleted and not c.hidden and taking_part:
            r.deletable.add(c.id)
            if accepting and c.created_at + window > now:
                r.editable.add(c.id)


async def for_reader(
    request: Request,
    page: CommentPage,
    html: str,
    viewer: Principal | None,
    *,
    settings: Settings,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    target: Any = None,
) -> tuple[CommentPage, Markup, Rights | None]:
    """A page of a thread shared by every reader (``page`` read with no viewer, ``html`` from
    ``render_shared``) as ``viewer`` sees it: the page, its HTML and the viewer's rights. A
    viewer whose comments are hidden or waiting on it gets the page read for them alone
    (``cursor`` and ``limit``: those of ``page``)."""
    if viewer is None or not viewer.authenticated or viewer.id is None:
        return page, personalise(request, html, page, None), None
    rights = await rights_on(page, settings, viewer, target=target)
    if rights is None:
        page = await thread(page.target_type, page.target_id, settings=settings, viewer=viewer,
                            sort=page.sort, cursor=cursor, limit=limit, target=target)  # fmt: skip
        html = render_shared(request, page)
        rights = rights_of(page, viewer)
    return page, personalise(request, html, page, rights), rights


def rights_of(page: CommentPage, viewer: Principal) -> Rights:
    """The same facts from a page read for its viewer (``thread(viewer=...)``)."""
    assert viewer.id is not None
    items = queries.walk(page.items)
    return Rights(
        viewer.id, can_post=page.can_post, can_vote=page.can_vote, can_flag=page.can_flag,
        suspended_until=page.suspended_until, suspension_reason=page.suspension_reason,
        votes={c.id: c.my_vote for c in items if c.my_vote},
        editable={c.id for c in items if c.can_edit},
        deletable={c.id for c in items if c.can_delete},
    )  # fmt: skip


def render_shared(request: Request, page: CommentPage) -> Markup:
    """The thread's HTML with its reader slots (to be kept in the read cache)."""
    return render_fragment(request, "comments/_thread.html", {"page": page})


def personalise(request: Request, html: str, page: CommentPage, rights: Rights | None) -> Markup:
    """The shared thread ``html`` with the reader's own part in its slots (an anonymous
    reader: ``rights`` None)."""
    slots: dict[str, str] = {
        "form": render_fragment(request, "comments/_viewer.html", {"page": page,
                                                                   "rights": rights}),
    }  # fmt: skip
    if rights is not None:
        pieces = action_pieces(request)
        csrf = str(csrf_input(request)) if rights.deletable else ""
        for c in queries.walk(page.items):
            if not (c.deleted or c.hidden):
                actions = _actions(c, page, rights, pieces, csrf)
                if actions:
                    slots[f"c{c.id}"] = actions
    return fill(html, slots)


def fill(html: str, slots: Mapping[str, str]) -> Markup:
    """``html`` with each ``<!--viewer:name-->`` slot replaced by ``slots[name]`` (or "")."""
    return Markup(SLOT.sub(lambda m: slots.get(m.group(1), ""), html))


def action_pieces(request: Request) -> dict[str, str]:
    """The pieces of a comment's actions in the current language (comments/_actions.html)."""
    key = (get_locale(), request.scope.get("root_path", ""))
    pieces = _pieces.peek(key)
    if pieces is None:
        parts = render_fragment(request, "comments/_actions.html", {}).split("<!--piece-->")
        pieces = {name: str(part).strip() for name, part in zip(PIECES, parts, strict=True)}
        _pieces.put(key, pieces)
    return pieces  # type: ignore[no-any-return]


def _actions(c: CommentView, page: CommentPage, r: Rights, pieces: dict[str, str], csrf: str
             ) -> str:  # fmt: skip
    parts = []
    others = c.author_id != r.viewer_id
    if r.can_vote and others:
        mine = r.votes.get(c.id, 0)
        parts.append(pieces["up_on" if mine == 1 else "up"])
        parts.append(pieces["down_on" if mine == -1 else "down"])
    if r.can_post and c.depth < page.max_depth:
        parts.append(pieces["reply"])
    if c.id in r.editable:
        parts.append(pieces["edit"])
    if c.id in r.deletable:
        parts.append(pieces["delete"].replace("__csrf__", csrf))
    if r.can_flag and others:
        parts.append(pieces["report"])
    if not parts:
        return ""
    text = " " + " ".join(parts)
    return text.replace("__cid__", str(c.id)).replace("__num__", localize_digits(str(c.id)))
