"""What a vote asks of the domain that owns its target, and the lookup by target type.

A domain lists ``vote_hosts = [...]`` in its ``hosts.py``; ``participation.domains.vote_hosts()``
collects them by ``target_type``. The votes package knows nothing else about what is voted
on: a section, a comment (``participation.comments.hosts``) or anything registered later.

Most targets' counts live in a ``VoteTally`` row. A host whose targets keep their own counters
(a comment keeps up, down and its "contested" sort key on its row, so that those orders are
indexed) is also a ``CountingHost``: the vote moves its counters, in the vote's transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from participation import domains
from participation.accounts.principal import Principal
from participation.errors import NotFound
from participation.i18n import gettext as _

if TYPE_CHECKING:
    from starlette.requests import Request


class VoteHost(Protocol):
    target_type: str
    allowed_values: tuple[int, ...]

    async def load(self, target_id: int) -> Any | None: ...

    async def accepts_votes(self, target: Any) -> bool: ...

    async def can_vote(self, principal: Principal, target: Any) -> bool: ...

    def url(self, request: Request, target: Any) -> str: ...


@runtime_checkable
class CountingHost(Protocol):
    """A vote host whose targets carry their own counters."""

    async def move_counts(self, target_id: int, up: int, down: int) -> None:
        """Add ``up`` and ``down`` (each -1, 0 or 1) to the target's counters, in the
        current transaction."""

    async def counts(self, target_id: int) -> tuple[int, int]:
        """(up, down) of the target as stored."""


def vote_host(target_type: str) -> VoteHost:
    """The host of ``target_type``; an unknown type is not found (nothing to vote on)."""
    host = domains.vote_hosts().get(target_type)
    if host is None:
        raise NotFound(_("We could not find what you are voting on."))
    return host  # type: ignore[no-any-return]
