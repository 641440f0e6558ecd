"""Integrity pages: "I did not write / sign this".

``/integrity/disown/link/<type>/<token>``  from a mailed link (a signature's confirmation mail):
                          what was made in the mailbox's name, and a form to disown it.
``/integrity/disown/comment/<id>``  for the signed-in author of a comment (someone used their
                          account): the comment, and a form to disown it.
``/integrity/mine``       a signed-in person's latest comments, each with that link (linked
                          from their profile).

Both work without JavaScript; disowning holds the item for a moderator's review, takes it out
of the counts and is recorded in the audit log.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.comments import queries as comment_queries
from participation.errors import NotFound
from participation.forms import bind
from participation.i18n import gettext as _
from participation.integrity import services
from participation.integrity.disown import registered_hosts
from participation.integrity.forms import DisownInput
from participation.integrity.queries import comments_of, disowned
from participation.web.auth import require_user
from participation.web.forms import read_form
from participation.web.templating import render


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


async def disown_link(request: Request) -> Response:
    host = registered_hosts().get(request.path_params["target_type"])
    token = request.path_params["token"]
    item = await host.find(token, _secret(request)) if host is not None else None
    if host is None or item is None:
        raise NotFound(_("This link is not valid, or what it was about no longer exists."))
    form = bind(DisownInput)
    status = 200
    if request.method == "POST":
        form = bind(DisownInput, await read_form(request))
        if form.validate():
            item = await host.disown(token, _secret(request)) or item
        else:
            status = 400
    return render(request, "integrity/disown.html", {
        "kind": item.target_type, "title": item.title, "name": item.name, "text": "",
        "done": item.disowned, "form": form,
    }, status_code=status)  # fmt: skip


async def disown_comment(request: Request) -> Response:
    p = require_user(request)
    comment = await comment_queries.comment_by_id(request.path_params["comment_id"])
    if comment is None or comment.author_id != p.id or comment.deleted_at is not None:
        raise NotFound(_("We could not find this comment."))
    form = bind(DisownInput)
    status = 200
    done = await disowned("comment", comment.id) is not None
    if request.method == "POST" and not done:
        form = bind(DisownInput, await read_form(request))
        if form.validate():
            await services.disown_comment(p, comment.id)
            done = True
        else:
            status = 400
    return render(request, "integrity/disown.html", {
        "kind": "comment", "title": "", "name": "", "text": comment.body_raw, "done": done,
        "form": form,
    }, status_code=status)  # fmt: skip


async def mine(request: Request) -> Response:
    """A person's latest comments, each with "I did not write this"."""
    p = require_user(request)
    assert p.id is not None
    return render(request, "integrity/mine.html", {"comments": await comments_of(p.id)})


routes = [
    Route("/mine", mine, name="mine"),
    Route(
        "/disown/link/{target_type}/{token}",
        disown_link,
        methods=["GET", "POST"],
        name="disown_link",
    ),  # fmt: skip
    Route(
        "/disown/comment/{comment_id:bigid}",
        disown_comment,
        methods=["GET", "POST"],
        name="disown_comment",
    ),  # fmt: skip
]
