"""What moderation asks of the package that owns a target type, and the lookup by type.

A package lists ``moderation_hosts = [...]`` in its ``hosts.py`` (the comments package
registers ``"comment"``, petitions ``"petition"``). Only those types can be reported, hidden,
restored or approved: anything else is not found. Moderation knows nothing else about what it
moderates.

Every item belongs to a ``Space`` (a consultation, a body...): the space sets the flag
threshold (0: off) and whether new items wait for approval, and its public moderation record
counts what was hidden there. A package that names a kind of space lists
``moderation_spaces = [...]`` (``SpaceHost``: the space's name and page); bodies are known
here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Protocol

from participation import domains
from participation.db import BIGINT_MAX
from participation.errors import NotFound
from participation.i18n import gettext as _
from participation.organisations.body_settings import DEFAULTS

# (route name, path parameters): a page the view turns into a URL
Link = tuple[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Space:
    """Where an item was said, and that place's moderation rules."""

    type: str = ""  # "consultation", "body"; "" for none
    id: int | None = None
    flag_threshold: int = DEFAULTS.flag_threshold  # flags that hide pending review; 0: off
    premoderated: bool = False  # new items wait for a moderator's approval


NO_SPACE = Space()


@dataclass(frozen=True, slots=True)
class Moderated:
    """What moderation needs to know of one item."""

    body_ids: tuple[int, ...]  # bodies whose moderators may act on it (global ones always may)
    author_id: int | None
    space: Space = NO_SPACE


@dataclass(frozen=True, slots=True)
class Described:
    """What the queue shows of one item."""

    excerpt: str  # plain text
    author_name: str
    link: Link | None = None  # the item in its page
    context: str = ""  # where it was said ("Consultation › Section 2"), plain text
    parent_excerpt: str = ""  # what it answers (a reply's parent), plain text


@dataclass(frozen=True, slots=True)
class SpaceInfo:
    name: str
    link: Link | None = None


class ModerationHost(Protocol):
    target_type: str

    async def load(self, target_id: int) -> Moderated | None:
        """None when there is no such item."""

    async def describe(self, ids: list[int]) -> dict[int, Described]: ...

    async def own_text(self, target_id: int) -> str:
        """What the item says, plain text, for mails to its author (hidden items too)."""

    # Optional: ``async def approved(self, target_id: int, base_url: str) -> None``, what the
    # host does when an item held for approval is shown at last (a reply: its parent's author
    # is mailed), called inside the approval's transaction.


class SpaceHost(Protocol):
    space_type: str

    async def describe(self, space_id: int) -> SpaceInfo | None:
        """The space's name in the reader's language and its page; None: no such space."""


@functools.cache
def moderation_hosts() -> dict[str, ModerationHost]:
    """target_type -> ModerationHost, from every domain's ``hosts.py``."""
    out: dict[str, ModerationHost] = {}
    for d in domains.DOMAINS:
        mod = domains.submodule(d, "hosts")
        for host in getattr(mod, "moderation_hosts", ()) if mod is not None else ():
            if host.target_type in out:
                raise RuntimeError(f"two moderation_hosts for target type {host.target_type!r}")
            out[host.target_type] = host
    return out


def moderation_host(target_type: str) -> ModerationHost:
    """The host of ``target_type``; an unknown type is not found."""
    host = moderation_hosts().get(target_type)
    if host is None:
        raise NotFound(_("We could not find this item."))
    return host


async def moderated(target_type: str, target_id: int) -> Moderated | None:
    """What moderation knows of an item (its bodies, its author); None when the item, or its
    type, does not exist."""
    host = moderation_hosts().get(target_type)
    if host is None or not 0 <= target_id <= BIGINT_MAX:
        return None
    return await host.load(target_id)


@functools.cache
def space_hosts() -> dict[str, SpaceHost]:
    """space_type -> SpaceHost, from every domain's ``hosts.py`` (``moderation_spaces``)."""
    out: dict[str, SpaceHost] = {}
    for d in domains.DOMAINS:
        mod = domains.submodule(d, "hosts")
        for host in getattr(mod, "moderation_spaces", ()) if mod is not None else ():
            out[host.space_type] = host
    return out
