"""What the generic comments ask of the domain that owns a target, and the lookup by type.

A host domain lists, in ``<package>/hosts.py``, ``comment_hosts = [...]``;
``participation.domains.comment_hosts()`` collects them by ``target_type``. The comments
package knows nothing else about consultations or petitions. (Comments themselves are a vote
and a moderation target: ``participation.comments.hosts``.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from participation import domains
from participation.accounts.principal import Principal
from participation.errors import NotFound
from participation.i18n import gettext as _
from participation.moderation.targets import Space

if TYPE_CHECKING:
    from starlette.requests import Request


class CommentHost(Protocol):
    target_type: str
    comments_have_stance: bool

    async def load(self, target_id: int) -> Any | None: ...

    async def accepts_comments(self, target: Any) -> bool: ...

    async def can_comment(self, principal: Principal, target: Any) -> bool: ...

    async def can_enter_paper(self, principal: Principal, target: Any) -> bool: ...

    async def moderating_body_ids(self, target: Any) -> list[int]: ...

    async def moderation_space(self, target: Any) -> Space:
        """The space whose rules apply to the target's comments (flag threshold,
        pre-moderation) and whose public moderation record counts them."""

    async def place(self, target: Any) -> str:
        """Where the target is, for moderators ("Consultation title › 2. Section title")."""

    async def followers_to_notify(self, target: Any) -> list[int]: ...

    def url(self, request: Request, target: Any) -> str: ...


def find_host(target_type: str) -> CommentHost | None:
    """The host of ``target_type``, or None when no domain registered it."""
    return domains.comment_hosts().get(target_type)  # type: ignore[no-any-return]


def comment_host(target_type: str) -> CommentHost:
    """The host of ``target_type``; an unknown type is not found (nothing to comment there)."""
    host = find_host(target_type)
    if host is None:
        raise NotFound(_("We could not find what you are commenting on."))
    return host


async def load_target(target_type: str, target_id: int) -> tuple[CommentHost, Any]:
    """The host and its target; not found when either does not exist."""
    host = comment_host(target_type)
    target = await host.load(target_id)
    if target is None:
        raise NotFound(_("We could not find what you are commenting on."))
    return host, target
