"""A test-only host for the generic comments and votes, independent of any domain."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from participation import domains
from participation.accounts.models import User
from participation.accounts.principal import Principal, load_principal
from participation.comments import rendering
from participation.comments.hosts import CommentVoteHost
from participation.moderation.targets import Space
from participation.web.auth import principal
from participation.web.templating import ENV, base_context

PAGE = ENV.from_string(
    '{% extends "base.html" %}{% block content %}<h1 dir="auto">Fake</h1>'
    '<section id="comments"><h2>{{ _("Comments") }}</h2>{{ thread_html }}'
    "</section>{% endblock %}"
)


@dataclass
class FakeTarget:
    id: int
    open: bool = True
    bodies: list[int] = field(default_factory=list)
    followers: list[int] = field(default_factory=list)
    flag_threshold: int = 3
    premoderated: bool = False


class FakeHost:
    """Comments and votes on numbered "fake" targets; page at /fake/<type>/<id>."""

    def __init__(self, target_type: str = "fake", stance: bool = True) -> None:
        self.target_type = target_type
        self.comments_have_stance = stance
        self.allowed_values = (1, -1)
        self.targets: dict[int, FakeTarget] = {}

    def add(self, target_id: int, **kwargs: Any) -> FakeTarget:
        t = self.targets[target_id] = FakeTarget(target_id, **kwargs)
        return t

    async def load(self, target_id: int) -> FakeTarget | None:
        return self.targets.get(int(target_id))

    async def accepts_comments(self, target: FakeTarget) -> bool:
        return target.open

    accepts_votes = accepts_comments

    async def can_comment(self, principal: Principal, target: FakeTarget) -> bool:
        return principal.authenticated

    can_vote = can_comment

    async def can_enter_paper(self, principal: Principal, target: FakeTarget) -> bool:
        return principal.is_official_of_any(target.bodies)

    async def moderating_body_ids(self, target: FakeTarget) -> list[int]:
        return list(target.bodies)

    async def followers_to_notify(self, target: FakeTarget) -> list[int]:
        return list(target.followers)

    async def moderation_space(self, target: FakeTarget) -> Space:
        return Space(self.target_type, target.id, target.flag_threshold, target.premoderated)

    async def place(self, target: FakeTarget) -> str:
        return f"Fake {target.id}"

    def url(self, request: Request, target: FakeTarget) -> str:
        return f"/fake/{self.target_type}/{target.id}"


async def fake_page(request: Request) -> Response:
    target_type = request.path_params["target_type"]
    target_id = request.path_params["target_id"]
    sort = request.query_params.get("sort", "newest")
    settings, cursor = request.app.state.settings, request.query_params.get("cursor")
    # as a host page does: the thread shared by every reader, then the reader's own part
    shared = await rendering.thread(target_type, target_id, settings=settings, sort=sort,
                                    cursor=cursor)  # fmt: skip
    page, html, _ = await rendering.for_reader(
        request, shared, rendering.render_shared(request, shared), principal(request),
        settings=settings, cursor=cursor,
    )  # fmt: skip
    ctx = {**base_context(request), "request": request, "page": page, "thread_html": html}
    return HTMLResponse(PAGE.render(**ctx))


@dataclass
class Hosts:
    fake: FakeHost
    plain: FakeHost  # no stance


def install(monkeypatch: pytest.MonkeyPatch, app: Starlette | None = None) -> Hosts:
    fake, plain = FakeHost("fake"), FakeHost("plain", stance=False)
    monkeypatch.setattr(domains, "comment_hosts", lambda: {"fake": fake, "plain": plain})
    monkeypatch.setattr(domains, "vote_hosts", lambda: {"fake": fake, "comment": CommentVoteHost()})
    rendering.fragments.clear()
    if app is not None:
        app.router.routes.append(
            Route("/fake/{target_type}/{target_id:int}", fake_page, name="fake_page")
        )
    return Hosts(fake, plain)


async def as_principal(user: User) -> Principal:
    return await load_principal(user.id, None)
