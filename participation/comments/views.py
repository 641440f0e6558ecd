"""HTTP for comments: POST endpoints shared by every host page, redirecting back (303) to the
host's page at the comment. A form error goes back with the message flashed and the text kept
in the session (``comment_draft``), where the thread template shows it next to the field."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.comments import queries, services
from participation.comments.forms import CommentInput, EditInput
from participation.comments.targets import load_target
from participation.errors import Conflict, DomainError, Invalid, NotFound
from participation.forms import BoundForm, bind
from participation.i18n import gettext as _
from participation.moderation import services as moderation
from participation.moderation.forms import FlagInput
from participation.web.auth import principal, require_user
from participation.web.forms import read_form
from participation.web.templating import flash, redirect, render

DRAFT_KEY = "comment_draft"


def _parent_gone() -> NotFound:
    return NotFound(_("The comment you are replying to no longer exists."))


async def _back(request: Request, target_type: str, target_id: int, anchor: str) -> str:
    host, target = await load_target(target_type, target_id)
    return host.url(request, target) + anchor


def _keep_draft(
    request: Request, form: BoundForm[Any], target_type: str, target_id: int,
    exc: DomainError, *, parent_id: int | None = None, comment_id: int | None = None,
) -> None:  # fmt: skip
    request.session[DRAFT_KEY] = {
        "target": f"{target_type}:{target_id}", "parent_id": parent_id, "comment_id": comment_id,
        "text": form.value("text")[:20000], "stance": form.value("stance")[:20],
        "error": exc.message, "field": exc.field or "text",
    }  # fmt: skip


async def _post(request: Request, *, reply: bool) -> Response:
    """A new top-level comment, or a reply (``parent_id``; required on /reply)."""
    p = require_user(request)
    form = bind(CommentInput, await read_form(request))
    if not form.validate():
        if set(form.errors) == {"parent_id"}:  # not a comment id at all (10**25, "x")
            raise _parent_gone()
        raise Invalid()  # no target: the form did not come from a page of ours
    data = form.data
    if reply and data.parent_id is None:
        raise _parent_gone()
    back_anchor = f"#comment-{data.parent_id}" if data.parent_id else "#comment-form"
    try:
        comment = await services.post_comment(
            p, data.target_type, data.target_id, data.text,
            settings=request.app.state.settings, parent_id=data.parent_id,
            stance=data.stance or None, language=data.language or None,
            limiter=request.app.state.limiter,
        )  # fmt: skip
    except DomainError as exc:
        _keep_draft(request, form, data.target_type, data.target_id, exc,
                    parent_id=data.parent_id)  # fmt: skip
        if not isinstance(exc, Invalid):
            raise
        flash(request, exc.message, "error")
        return redirect(await _back(request, data.target_type, data.target_id, back_anchor))
    request.session.pop(DRAFT_KEY, None)
    return redirect(
        await _back(request, data.target_type, data.target_id, f"#comment-{comment.id}")
    )


async def post(request: Request) -> Response:
    return await _post(request, reply=False)


async def reply(request: Request) -> Response:
    return await _post(request, reply=True)


async def _comment_or_404(request: Request) -> Any:
    comment = await queries.visible_comment(request.path_params["comment_id"])
    if comment is None:
        raise NotFound(_("This comment no longer exists."))
    return comment


async def _at_comment(request: Request, comment: Any) -> str:
    return await _back(request, comment.target_type, comment.target_id, f"#comment-{comment.id}")


async def edit(request: Request) -> Response:
    p = require_user(request)
    comment = await _comment_or_404(request)
    form = bind(EditInput, await read_form(request))
    form.validate()  # always valid: the service checks the text
    try:
        await services.edit_comment(
            p, comment.id, form.data.text, settings=request.app.state.settings
        )
    except DomainError as exc:
        _keep_draft(request, form, comment.target_type, comment.target_id, exc,
                    comment_id=comment.id)  # fmt: skip
        if not isinstance(exc, Invalid):
            raise
        flash(request, exc.message, "error")
    else:
        request.session.pop(DRAFT_KEY, None)
    return redirect(await _at_comment(request, comment))


async def delete(request: Request) -> Response:
    p = require_user(request)
    comment = await _comment_or_404(request)
    await services.delete_comment(p, comment.id)
    return redirect(await _at_comment(request, comment))


async def flag(request: Request) -> Response:
    p = require_user(request)
    comment = await _comment_or_404(request)
    form = bind(FlagInput, await read_form(request))
    if not form.validate():
        flash(request, next(iter(form.errors.values())), "error")
        return redirect(await _at_comment(request, comment))
    try:
        await moderation.flag(p, "comment", comment.id, form.data.reason, form.data.note)
    except (Invalid, Conflict) as exc:
        flash(request, exc.message, "error")
    else:
        flash(request, _("Thank you. A moderator will look at this comment."), "success")
    return redirect(await _at_comment(request, comment))


async def permalink(request: Request) -> Response:
    """A stable address of a comment (used in e-mails): the host page at the comment."""
    comment = await _comment_or_404(request)
    return redirect(await _at_comment(request, comment), status_code=302)


async def history(request: Request) -> Response:
    """The earlier versions of an edited comment."""
    comment = await _comment_or_404(request)
    if comment.deleted_at is not None:
        raise NotFound(_("This comment no longer exists."))
    return render(request, "comments/history.html", {
        "comment": comment, "revisions": await queries.revisions(comment.id),
        "back": await _at_comment(request, comment), "viewer": principal(request),
    })  # fmt: skip


routes = [
    Route("/post", post, methods=["POST"], name="post"),
    Route("/reply", reply, methods=["POST"], name="reply"),
    Route("/{comment_id:bigid}", permalink, name="permalink"),
    Route("/{comment_id:bigid}/history", history, name="history"),
    Route("/{comment_id:bigid}/edit", edit, methods=["POST"], name="edit"),
    Route("/{comment_id:bigid}/delete", delete, methods=["POST"], name="delete"),
    Route("/{comment_id:bigid}/flag", flag, methods=["POST"], name="flag"),
]
