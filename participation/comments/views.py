"""HTTP for comments: POST endpoints shared by every host page, redirecting back (303) to the
host's page at the comment, and the small pages of a comment's actions (reply, report, edit:
one form each, so that a thread page carries no form per comment). A form error goes back to
the form's page with the message flashed and the text kept in the session (``comment_draft``),
where the template shows it next to the field."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.comments import queries, services
from participation.comments.forms import CommentInput, EditInput, VoteChoice
from participation.comments.models import MAX_DEPTH
from participation.comments.targets import load_target
from participation.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from participation.forms import BoundForm, bind
from participation.i18n import gettext as _
from participation.moderation import services as moderation
from participation.moderation.forms import FlagInput
from participation.votes import services as votes
from participation.web.auth import principal, require_user
from participation.web.forms import read_form
from participation.web.templating import flash, redirect, render

DRAFT_KEY = "comment_draft"


def _parent_gone() -> NotFound:
    return NotFound(_("The comment you are replying to no longer exists."))


async def _back(request: Request, target_type: str, target_id: int, anchor: str) -> str:
    host, target = await load_target(target_type, target_id)
    return host.url(request, target) + anchor


# The session is a signed cookie: a browser drops a cookie over 4 KB, and with it the flash and
# the draft. A draft whose JSON is longer than this (about 300 Persian letters, escaped) is
# shown back on a page of its own instead of travelling through the cookie.
DRAFT_COOKIE_LIMIT = 1_800


def _draft(
    form: BoundForm[Any], target_type: str, target_id: int, exc: DomainError,
    *, parent_id: int | None = None, comment_id: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    return {
        "target": f"{target_type}:{target_id}", "parent_id": parent_id, "comment_id": comment_id,
        "text": form.value("text")[:20000], "stance": form.value("stance")[:20],
        "error": exc.message, "field": exc.field or "text",
    }  # fmt: skip


def _keep_draft(request: Request, draft: dict[str, Any]) -> bool:
    """Keep a refused text in the session for the page the person goes back to, if it fits in
    the cookie (False: it does not, and the caller shows it back itself)."""
    if len(json.dumps(draft)) > DRAFT_COOKIE_LIMIT:
        request.session.pop(DRAFT_KEY, None)
        return False
    request.session[DRAFT_KEY] = draft
    return True


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
    host, target = await load_target(data.target_type, data.target_id)  # once, for both
    try:
        comment = await services.post_comment(
            p, data.target_type, data.target_id, data.text,
            settings=request.app.state.settings, parent_id=data.parent_id,
            stance=data.stance or None, language=data.language or None,
            limiter=request.app.state.limiter, target=target,
        )  # fmt: skip
    except DomainError as exc:
        draft = _draft(form, data.target_type, data.target_id, exc, parent_id=data.parent_id)
        kept = _keep_draft(request, draft)
        if not isinstance(exc, Invalid):
            raise
        if not kept:  # too long for the cookie: the form comes back here, with the text
            back = host.url(request, target) + back_anchor
            if data.parent_id:
                parent = await queries.visible_comment(data.parent_id)
                if parent is not None:
                    return await _render_action(request, "reply", parent, draft, 400)
            return await _render_action(request, "comment", None, draft, 400, back=back)
        flash(request, exc.message, "error")
        if data.parent_id:
            return redirect(request.url_for("comments:reply_page", comment_id=data.parent_id))
        return redirect(host.url(request, target) + back_anchor)
    request.session.pop(DRAFT_KEY, None)
    return redirect(host.url(request, target) + f"#comment-{comment.id}")


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
        draft = _draft(form, comment.target_type, comment.target_id, exc, comment_id=comment.id)
        kept = _keep_draft(request, draft)
        if not isinstance(exc, Invalid):
            raise
        if not kept:  # too long for the cookie: the form comes back here, with the text
            return await _render_action(request, "edit", comment, draft, 400)
        flash(request, exc.message, "error")
        return redirect(request.url_for("comments:edit", comment_id=comment.id))
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
        return redirect(request.url_for("comments:report_page", comment_id=comment.id))
    try:
        await moderation.flag(p, "comment", comment.id, form.data.reason, form.data.note)
    except Invalid as exc:
        flash(request, exc.message, "error")
        return redirect(request.url_for("comments:report_page", comment_id=comment.id))
    except Conflict as exc:
        flash(request, exc.message, "error")
    else:
        flash(request, _("Thank you. A moderator will look at this comment."), "success")
    return redirect(await _at_comment(request, comment))


def _safe_next(raw: str) -> str | None:
    if raw.startswith("/") and not raw.startswith(("//", "/\\")) and len(raw) < 2000:
        return raw.split("#", 1)[0]
    return None


async def vote(request: Request) -> Response:
    """A vote on a comment from the page's one vote form (comments/_viewer.html)."""
    p = require_user(request)
    form = bind(VoteChoice, await read_form(request))
    if not form.validate():
        raise Invalid(_("This vote is not valid."))
    data = form.data
    chosen = [(v, i) for v, i in ((1, data.up), (-1, data.down), (0, data.clear)) if i is not None]
    if len(chosen) != 1:  # one button names one vote
        raise Invalid(_("This vote is not valid."))
    value, comment_id = chosen[0]
    comment = await queries.visible_comment(comment_id)
    if comment is None:
        raise NotFound(_("This comment no longer exists."))
    await votes.cast_vote(p, "comment", comment.id, value)
    nxt = _safe_next(data.next)
    if nxt is None:
        return redirect(await _at_comment(request, comment))
    return redirect(f"{nxt}#comment-{comment.id}")


async def _action_page(request: Request, kind: str) -> Response:
    """The page of one action on a comment (reply, report, edit): the comment and one form;
    the form's error and text come back here (``comment_draft``)."""
    p = require_user(request)
    comment = await _comment_or_404(request)
    if comment.deleted_at is not None:
        raise NotFound(_("This comment no longer exists."))
    own = comment.author_id is not None and comment.author_id == p.id
    if kind == "edit" and not own:
        raise Forbidden(_("You can only change your own comments."))
    if kind == "report" and own:
        raise Forbidden(_("You cannot report what you wrote yourself."))
    d = request.session.get(DRAFT_KEY) or {}
    key = "comment_id" if kind == "edit" else "parent_id"
    draft = request.session.pop(DRAFT_KEY) if d.get(key) == comment.id else None
    return await _render_action(request, kind, comment, draft, 200)


async def _render_action(
    request: Request, kind: str, comment: Any, draft: dict[str, Any] | None, status: int,
    *, back: str | None = None,
) -> Response:  # fmt: skip
    """comments/action.html: ``kind`` reply, report or edit of ``comment``, or ``comment``: a
    refused new comment shown back with its text and error (no comment; ``back`` to its page)."""
    return render(request, "comments/action.html", {
        "kind": kind, "comment": comment, "draft": draft, "viewer": principal(request),
        "back": back or await _at_comment(request, comment),
        "can_reply": comment is not None and comment.depth < MAX_DEPTH,
        "max_length": request.app.state.settings.comment_max_length,
        "min_length": request.app.state.settings.comment_min_length,
    }, status_code=status)  # fmt: skip


async def reply_page(request: Request) -> Response:
    return await _action_page(request, "reply")


async def report_page(request: Request) -> Response:
    return await _action_page(request, "report")


async def edit_page(request: Request) -> Response:
    return await _action_page(request, "edit")


async def edit_or_page(request: Request) -> Response:
    """One route for one address: GET the edit page, POST the change."""
    if request.method == "POST":
        return await edit(request)
    return await edit_page(request)


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
    Route("/vote", vote, methods=["POST"], name="vote"),
    Route("/{comment_id:bigid}", permalink, name="permalink"),
    Route("/{comment_id:bigid}/history", history, name="history"),
    Route("/{comment_id:bigid}/reply", reply_page, name="reply_page"),
    Route("/{comment_id:bigid}/report", report_page, name="report_page"),
    Route("/{comment_id:bigid}/edit", edit_or_page, methods=["GET", "POST"], name="edit"),
    Route("/{comment_id:bigid}/delete", delete, methods=["POST"], name="delete"),
    Route("/{comment_id:bigid}/flag", flag, methods=["POST"], name="flag"),
]
