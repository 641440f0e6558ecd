"""Bare baseline endpoints for ``make bench`` (mounted at /_bench only when the environment
has BENCH_ENDPOINTS=1; see participation.app.collect_routes).

They do the same HTTP work as the pages they are compared with, without the database:

- GET /_bench/page: the site's base template with the real comment thread fragment
  (templates/comments/_thread.html, rendered on every request) over 50 in-memory comments of
  the same shape as a section page's, through the same middleware (session, locale, CSRF,
  principal), with the reader's own part filled in the same way as on a real page
  (``rendering.personalise``): a signed-in reader (session cookie) gets the comment form, the
  page's vote form and each comment's vote buttons (some pressed), reply and report links.
- POST /_bench/form: parses the form (``request.form()``) and redirects with 303, the
  baseline of POST figures (the CSRF middleware checks the token as for any POST).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.comments.queries import CommentPage, CommentView
from participation.comments.rendering import Rights, personalise, present, render_shared
from participation.web.auth import principal
from participation.web.templating import redirect, render

ITEMS = 50
_START = datetime(2026, 1, 1, tzinfo=UTC)
_TEXT = (
    "I support the target for cleaner air, but the transition period for delivery vehicles "
    "should be shorter in the city centre; the school run is the worst hour of the day."
)


def _rows() -> list[CommentView]:
    """50 plain rows as the comment queries return them (ids far above real ones, so that
    their cached fragments never collide with a real comment's)."""
    rows = []
    for i in range(ITEMS):
        text = f"{_TEXT} ({i})"
        rows.append(
            CommentView(
                id=10**15 + i, target_type="section", target_id=0, parent_id=None,
                root_id=None, depth=0, author_id=1000 + i, author_name=f"Citizen {i}",
                stance=("for", "against", "neutral", None)[i % 4], text=text,
                body_html=f"<p>{text}</p>", language="en", channel="online", received_at=None,
                entered_by_body_id=None, created_at=_START - timedelta(minutes=i),
                edited_at=None, deleted=False, up=i % 7, down=i % 3, reply_count=0,
            )
        )  # fmt: skip
    return rows


_ROWS = _rows()


async def page(request: Request) -> Response:
    p = principal(request)
    comments = present(CommentPage(
        items=list(_ROWS), next_cursor="bench-next-page", target_type="section", target_id=0,
        sort="newest", has_stance=True, accepting=True,
    ))  # fmt: skip
    rights = None
    if p.authenticated and p.id is not None:  # the reader's own part, as on a real page
        rights = Rights(p.id, can_post=True, can_vote=True, can_flag=True,
                        votes={c.id: 1 for c in _ROWS[::5]})  # fmt: skip
    html = personalise(request, render_shared(request, comments), comments, rights)
    ctx = {"heading": "Section 1: Purpose", "text": _TEXT, "thread_html": html}
    return render(request, "bench/page.html", ctx)


async def form(request: Request) -> Response:
    async with request.form() as data:
        fields = len(data)
    return redirect(str(request.url_for("bench:page")) + f"?fields={fields}")


routes = [
    Route("/page", page, name="page"),
    Route("/form", form, methods=["POST"], name="form"),
]
