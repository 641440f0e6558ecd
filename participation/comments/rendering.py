"""The rendered HTML of each comment's static part, cached in-process.

Rendering 50 comments is the dominant cost of a comment page, so each comment's fragment
(author, date, stance, channel mark, text, edited mark) is rendered once per
(comment, change marker, locale) and kept in a bounded LRU. What depends on the viewer (vote
state, reply/edit/delete forms with the CSRF token) and the vote counts stay in the thread
template, outside the cache.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from participation.i18n import get_locale

if TYPE_CHECKING:
    from participation.comments.queries import CommentView

CACHE_SIZE = 20_000


class LRU:
    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[Any, Markup] = OrderedDict()

    def get(self, key: Any) -> Markup | None:
        value = self.data.get(key)
        if value is not None:
            self.data.move_to_end(key)
        return value

    def put(self, key: Any, value: Markup) -> None:
        self.data[key] = value
        self.data.move_to_end(key)
        if len(self.data) > self.size:
            self.data.popitem(last=False)

    def clear(self) -> None:
        self.data.clear()


fragments = LRU(CACHE_SIZE)


def fragment_key(c: CommentView) -> tuple[Any, ...]:
    marker = c.edited_at.timestamp() if c.edited_at else 0.0
    return (c.id, marker, c.deleted, c.entered_by_body_name, c.author_name, get_locale())


def comment_fragment(c: CommentView) -> Markup:
    key = fragment_key(c)
    html = fragments.get(key)
    if html is None:
        from participation.web.templating import render_string

        html = Markup(render_string("comments/_comment.html", {"c": c}))
        fragments.put(key, html)
    return html


def vote_counts(up: int, down: int) -> Markup:
    """ "3 up · 1 down" in the current locale (a page shows it for every comment)."""
    return _vote_counts(up, down, get_locale())


@lru_cache(maxsize=8192)
def _vote_counts(up: int, down: int, locale: str) -> Markup:
    from participation.i18n import gettext as _
    from participation.i18n.formatting import format_number

    text = _("%(up)s up · %(down)s down") % {
        "up": format_number(up, locale),
        "down": format_number(down, locale),
    }
    return Markup.escape(text)
