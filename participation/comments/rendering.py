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
commit (a stream of new comments would empty them all the time) and simply expire. What depends
on the viewer (vote state, reply/edit/delete forms with the CSRF token) stays in the thread
template, outside the memo.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from markupsafe import Markup

from participation.accounts.principal import Principal
from participation.caching import memo
from participation.comments import queries
from participation.comments.queries import PAGE_SIZE, CommentPage, CommentView
from participation.comments.targets import find_host
from participation.i18n import get_locale
from participation.i18n import gettext as _
from participation.i18n.formatting import format_number
from participation.moderation.queries import appeal_states
from participation.settings import Settings
from participation.votes.queries import my_votes
from participation.web.templating import render_string

fragments = memo("comments.fragments", seconds=10, maxsize=20_000, clear_on_commit=False)
_counts = memo("comments.vote_counts", seconds=10, maxsize=8_192, clear_on_commit=False)


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
