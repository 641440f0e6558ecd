"""Comments as targets of the generic votes and moderation.

``participation.domains`` collects ``vote_hosts`` and ``moderation_hosts`` from here, as from
any domain's ``hosts.py``: a comment can be voted up or down while its own host accepts
comments, and reported, hidden and restored by the moderators of its host's bodies. What a
comment's host allows is asked through ``participation.comments.targets``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from participation.accounts.principal import Principal
from participation.comments import queries, services
from participation.comments.targets import CommentHost, find_host
from participation.mail.services import queue_email
from participation.moderation.targets import NO_SPACE, Described, Moderated

if TYPE_CHECKING:
    from starlette.requests import Request


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
    comment, nor on a deleted one. The counters live on the comment's row (a CountingHost)."""

    target_type = "comment"
    allowed_values = (1, -1)

    async def load(self, target_id: int) -> CommentTarget | None:
        comment = await queries.visible_comment(int(target_id))
        if comment is None or comment.deleted_at is not None:
            return None
        host = find_host(comment.target_type)
        target = await host.load(comment.target_id) if host is not None else None
        if host is None or target is None:
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

    async def move_counts(self, target_id: int, up: int, down: int) -> None:
        await services.move_vote_counts(target_id, up, down)

    async def counts(self, target_id: int) -> tuple[int, int]:
        return await queries.vote_counts(target_id)


class CommentModerationHost:
    """Comments are reported and hidden one by one, or as a campaign of copies of one text.
    The moderators of a comment are those of its host's bodies (and global ones)."""

    target_type = "comment"

    async def load(self, target_id: int) -> Moderated | None:
        comment = await queries.comment_by_id(int(target_id))  # hidden or deleted too
        if comment is None:
            return None
        host = find_host(comment.target_type)
        target = await host.load(comment.target_id) if host is not None else None
        if host is None or target is None:
            return None
        bodies = await host.moderating_body_ids(target)
        space = await host.moderation_space(target)
        return Moderated(tuple(bodies), comment.author_id, space or NO_SPACE)

    async def describe(self, ids: list[int]) -> dict[int, Described]:
        """Each comment's words, author, place and (for a reply) what it answers."""
        rows = await queries.texts(ids)
        parents = await queries.texts(
            [r["parent_id"] for r in rows.values() if r["parent_id"] is not None]
        )
        places: dict[tuple[str, int], str] = {}
        out = {}
        for cid, r in rows.items():
            key = (r["target_type"], r["target_id"])
            if key not in places:
                host = find_host(key[0])
                target = await host.load(key[1]) if host is not None else None
                places[key] = await host.place(target) if host and target is not None else ""
            parent = parents.get(r["parent_id"]) if r["parent_id"] is not None else None
            out[cid] = Described(
                excerpt=services.excerpt(r["body_raw"], 280),
                author_name=r["author__display_name"] or r["author_name"] or "",
                link=("comments:permalink", {"comment_id": cid}),
                context=places[key],
                parent_excerpt=services.excerpt(parent["body_raw"], 140) if parent else "",
            )
        return out

    async def approved(self, target_id: int, base_url: str) -> None:
        """A held reply is shown at last: its parent's author gets the mail they would have
        had when it was posted (inside the approval's transaction)."""
        comment = (await queries.texts([int(target_id)])).get(int(target_id))
        if comment is None or comment["parent_id"] is None:
            return
        parent = (await queries.texts([comment["parent_id"]])).get(comment["parent_id"])
        if parent is None or not parent["author_id"] or parent["author_id"] == comment["author_id"]:
            return
        queue_email(
            "comment-reply", to_user_id=parent["author_id"],
            replier=comment["author__display_name"] or comment["author_name"] or "",
            excerpt=services.excerpt(comment["body_raw"]),
            link=f"{base_url}/comments/{int(target_id)}",
        )  # fmt: skip

    async def own_text(self, target_id: int) -> str:
        rows = await queries.texts([int(target_id)])
        row = rows.get(int(target_id))
        return services.excerpt(row["body_raw"], 500) if row else ""


vote_hosts = [CommentVoteHost()]
moderation_hosts = [CommentModerationHost()]
