"""What accountability asks of the domain that owns a thing owed an answer.

A host domain lists, in ``<package>/hosts.py``, ``accountability_hosts = [...]``;
``participation.domains.accountability_hosts()`` collects them by ``target_type``
(consultations: "consultation"; petitions: "petition"). This package knows nothing else about
consultations or petitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from participation import domains
from participation.errors import NotFound
from participation.i18n import gettext as _

if TYPE_CHECKING:
    from starlette.requests import Request


@dataclass(frozen=True)
class Owed:
    """A target owed an answer: by which body, since and until when, and when it was
    answered outside this package (a response published before it existed), if it was."""

    target_id: int
    body_id: int
    opened_at: datetime
    due_at: datetime
    answered_at: datetime | None = None


@dataclass(frozen=True)
class Part:
    """A part of a target a response answers one by one: the whole (position 0), a section.
    ``title``: {locale: text} with ``original_locale``."""

    target_type: str
    target_id: int
    position: int
    title: dict[str, str]
    original_locale: str


@dataclass(frozen=True)
class Said:
    """What people said, as the report cites it: the snapshot (id and version), when it was
    built, overall figures and figures per part (key ``"<target_type>:<target_id>"``)."""

    snapshot_id: int | None
    version: int | None
    built_at: datetime | None
    figures: dict[str, Any] = field(default_factory=dict)
    parts: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Recipient:
    """Someone to tell that a response was published: an account, or an address (a signer
    without an account) with its language. ``cursor``: its place in the host's order (the
    next batch starts after it); ``key``: stable, for the mail's delivery key."""

    cursor: int
    key: str
    user_id: int | None = None
    email: str | None = None
    locale: str | None = None
    name: str = ""


class AccountabilityHost(Protocol):
    target_type: str

    async def load(self, target_id: int) -> Any | None:
        """The target if it exists and is public (a draft or a hidden petition is None)."""

    async def title(self, target: Any) -> dict[str, str]:
        """The target's title per locale (``{"en": ...}``); see ``original_locale``."""

    def original_locale(self, target: Any) -> str: ...

    def url(self, request: Request, target: Any) -> str: ...

    async def body_ids(self, target: Any) -> list[int]:
        """The bodies that answer it (the owning bodies)."""

    async def owed(self, target: Any) -> Owed | None:
        """What is owed on this target now (None: nothing yet, e.g. still open)."""

    async def all_owed(self) -> list[Owed]:
        """Every target of this type owed an answer (for the job that records obligations)."""

    async def parts(self, target: Any) -> list[Part]:
        """The parts a response answers one by one (the whole first)."""

    def part_url(self, request: Request, target: Any, part: Part) -> str: ...

    def report_url(self, request: Request, target: Any) -> str | None:
        """The page of the report a response cites, if the target has one."""

    async def said(self, target: Any) -> Said:
        """What people said: the latest report's citation and figures."""

    async def answered(self, target: Any, at: datetime) -> None:
        """Record the answer in the host's own rows, if it keeps any (in the caller's
        transaction)."""

    async def recipients(self, target: Any, after: int, limit: int) -> list[Recipient]:
        """Who is told of the response, ``limit`` at a time, after the cursor ``after``."""


def find_host(target_type: str) -> AccountabilityHost | None:
    return domains.accountability_hosts().get(target_type)  # type: ignore[no-any-return]


def host_of(target_type: str) -> AccountabilityHost:
    host = find_host(target_type)
    if host is None:
        raise NotFound(_("We could not find what this answers."))
    return host


async def load_target(target_type: str, target_id: int) -> tuple[AccountabilityHost, Any]:
    """The host and its target; not found when either does not exist."""
    host = host_of(target_type)
    target = await host.load(target_id)
    if target is None:
        raise NotFound(_("We could not find what this answers."))
    return host, target
