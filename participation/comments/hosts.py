"""What the generic comments and votes ask of the domain that owns a target.

A host domain lists, in ``<package>/hosts.py``, ``comment_hosts = [...]`` and/or
``vote_hosts = [...]``; ``participation.domains.comment_hosts()`` / ``vote_hosts()`` collect
them by ``target_type``. The comments package knows nothing else about consultations or
petitions. Comments themselves are a vote target (``"comment"``), defined here.
"""

from __future__ import annotations

from typing import Any, Protocol

from starlette.exceptions import HTTPException
from starlette.requests import Request

from participation.accounts.principal import Principal


class CommentHost(Protocol):
    target_type: str
    comments_have_stance: bool

    async def load(self, target_id: int) -> Any | None: ...

    async def accepts_comments(self, target: Any) -> bool: ...

    async def can_comment(self, principal: Principal, target: Any) -> bool: ...

    async def can_enter_paper(self, principal: Principal, target: Any) -> bool: ...

    async def moderating_body_ids(self, target: Any) -> list[int]: ...

    async def followers_to_notify(self, target: Any) -> list[int]: ...

    def url(self, request: Request, target: Any) -> str: ...


class VoteHost(Protocol):
    target_type: str
    allowed_values: tuple[int, ...]

    async def load(self, target_id: int) -> Any | None: ...

    async def accepts_votes(self, target: Any) -> bool: ...

    async def can_vote(self, principal: Principal, target: Any) -> bool: ...

    def url(self, request: Request, target: Any) -> str: ...


def comment_host(target_type: str) -> CommentHost:
    """The host of ``target_type``; an unknown type is a 404 (nothing to comment there)."""
    from participation.domains import comment_hosts

    host = comment_hosts().get(target_type)
    if host is None:
        raise HTTPException(404)
    return host  # type: ignore[no-any-return]


def vote_host(target_type: str) -> VoteHost:
    from participation.domains import vote_hosts

    host = vote_hosts().get(target_type)
    if host is None:
        raise HTTPException(404)
    return host  # type: ignore[no-any-return]


class CommentTarget:
    """A comment as a vote target, with its host and the host's target."""

    __slots__ = ("comment", "host", "target")

    def __init__(self, comment: Any, host: CommentHost, target: Any) -> None:
        self.comment = comment
        self.host = host
        self.target = target

    @property
    def id(self) -> int:
        return int(self.comment.id)


class CommentVoteHost:
    """Up (1) or down (-1) on a comment while its own host accepts comments; not on one's own
    comment, nor on a deleted one."""

    target_type = "comment"
    allowed_values = (1, -1)

    async def load(self, target_id: int) -> CommentTarget | None:
        from participation.comments import queries

        comment = await queries.visible_comment(int(target_id))
        if comment is None or comment.deleted_at is not None:
            return None
        host = comment_host(comment.target_type)
        target = await host.load(comment.target_id)
        if target is None:
            return None
        return CommentTarget(comment, host, target)

    async def accepts_votes(self, target: CommentTarget) -> bool:
        return await target.host.accepts_comments(target.target)

    async def can_vote(self, principal: Principal, target: CommentTarget) -> bool:
        if not principal.authenticated or principal.id == target.comment.author_id:
            return False
        return await target.host.can_comment(principal, target.target)

    def url(self, request: Request, target: CommentTarget) -> str:
        return target.host.url(request, target.target) + f"#comment-{target.comment.id}"


vote_hosts = [CommentVoteHost()]
