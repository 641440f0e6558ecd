"""HTTP for comments: POST endpoints shared by every host page, redirecting back (303) to the
host's page at the comment. A form error goes back with the message flashed and the text kept
in the session (``comment_draft``), where the thread template shows it next to the field."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.comments import queries, services
from participation.comments.hosts import comment_host
from participation.forms import BIGINT_MAX, FormInput, parse_int
from participation.web.auth import principal, require_user
from participation.web.forms import read_form
from participation.web.templating import flash, redirect, render

DRAFT_KEY = "comment_draft"


async def _back(request: Request, target_type: str, target_id: int, anchor: str) -> str:
    host = comment_host(target_type)
    target = await host.load(target_id)
    if target is None:
        raise HTTPException(404)
    return host.url(request, target) + anchor


def _keep_draft(
    request: Request, form: FormInput, target_type: str, target_id: int,
    exc: services.CommentRefused, *, parent_id: int | None = None, comment_id: int | None = None,
) -> None:  # fmt: skip
    request.session[DRAFT_KEY] = {
        "target": f"{target_type}:{target_id}", "parent_id": parent_id, "comment_id": comment_id,
        "text": form.get("text")[:20000], "stance": form.get("stance")[:20],
        "error": str(exc.detail), "field": exc.field or "text",
    }  # fmt: skip


def draft_for(request: Request, target_type: str, target_id: int) -> dict[str, Any] | None:
    """The kept draft of this target (read by the thread template), removed once shown."""
    draft = request.session.get(DRAFT_KEY)
    if isinstance(draft, dict) and draft.get("target") == f"{target_type}:{target_id}":
        return draft
    return None


async def _target_from(form: FormInput) -> tuple[str, int]:
    target_type = form.get("target_type").strip()[:40]
    target_id = parse_int(form.get("target_id"), high=BIGINT_MAX)  # the host checks its range
    if not target_type or target_id is None:
        raise HTTPException(400)
    comment_host(target_type)  # 404 for an unknown type
    return target_type, target_id


async def post(request: Request) -> Response:
    """A new top-level comment, or a reply (``parent_id``)."""
    p = require_user(request)
    form = await read_form(request)
    target_type, target_id = await _target_from(form)
    parent_id = parse_int(form.get("parent_id"), high=BIGINT_MAX) if form.get("parent_id") else None
    back_anchor = f"#comment-{parent_id}" if parent_id else "#comment-form"
    try:
        comment = await services.post_comment(
            p, target_type, target_id, form.get("text"), parent_id=parent_id,
            stance=form.get("stance") or None, language=form.get("language") or None,
            limiter=request.app.state.limiter,
        )  # fmt: skip
    except services.CommentRefused as exc:
        _keep_draft(request, form, target_type, target_id, exc, parent_id=parent_id)
        if exc.status_code != 400:
            raise
        flash(request, str(exc.detail), "error")
        return redirect(await _back(request, target_type, target_id, back_anchor))
    request.session.pop(DRAFT_KEY, None)
    return redirect(await _back(request, target_type, target_id, f"#comment-{comment.id}"))


async def _comment_or_404(request: Request) -> Any:
    comment = await queries.visible_comment(request.path_params["comment_id"])
    if comment is None:
        raise HTTPException(404)
    return comment


async def edit(request: Request) -> Response:
    p = require_user(request)
    comment = await _comment_or_404(request)
    form = await read_form(request)
    try:
        await services.edit_comment(p, comment.id, form.get("text"))
    except services.CommentRefused as exc:
        _keep_draft(request, form, comment.target_type, comment.target_id, exc,
                    comment_id=comment.id)  # fmt: skip
        if exc.status_code != 400:
            raise
        flash(request, str(exc.detail), "error")
    else:
        request.session.pop(DRAFT_KEY, None)
    return redirect(
        await _back(request, comment.target_type, comment.target_id, f"#comment-{comment.id}")
    )


async def delete(request: Request) -> Response:
    p = require_user(request)
    comment = await _comment_or_404(request)
    await services.delete_comment(p, comment.id)
    return redirect(
        await _back(request, comment.target_type, comment.target_id, f"#comment-{comment.id}")
    )


async def flag(request: Request) -> Response:
    from participation.i18n import gettext as _
    from participation.moderation import services as moderation

    p = require_user(request)
    comment = await _comment_or_404(request)
    form = await read_form(request)
    try:
        await moderation.flag(p, "comment", comment.id, form.get("reason"), form.get("note"))
    except moderation.ModerationRefused as exc:
        if exc.status_code not in (400, 409):
            raise
        flash(request, str(exc.detail), "error")
    else:
        flash(request, _("Thank you. A moderator will look at this comment."), "success")
    return redirect(
        await _back(request, comment.target_type, comment.target_id, f"#comment-{comment.id}")
    )


async def permalink(request: Request) -> Response:
    """A stable address of a comment (used in e-mails): the host page at the comment."""
    comment = await _comment_or_404(request)
    return redirect(
        await _back(request, comment.target_type, comment.target_id, f"#comment-{comment.id}"),
        status_code=302,
    )


async def history(request: Request) -> Response:
    """The earlier versions of an edited comment."""
    comment = await _comment_or_404(request)
    if comment.deleted_at is not None:
        raise HTTPException(404)
    back = await _back(request, comment.target_type, comment.target_id, f"#comment-{comment.id}")
    return render(request, "comments/history.html", {
        "comment": comment, "revisions": await queries.revisions(comment.id), "back": back,
        "viewer": principal(request),
    })  # fmt: skip


routes = [
    Route("/post", post, methods=["POST"], name="post"),
    Route("/reply", post, methods=["POST"], name="reply"),
    Route("/{comment_id:bigid}", permalink, name="permalink"),
    Route("/{comment_id:bigid}/history", history, name="history"),
    Route("/{comment_id:bigid}/edit", edit, methods=["POST"], name="edit"),
    Route("/{comment_id:bigid}/delete", delete, methods=["POST"], name="delete"),
    Route("/{comment_id:bigid}/flag", flag, methods=["POST"], name="flag"),
]
