""" "I did not write / sign this": what a domain offers for items made in someone's name.

A domain that sends a mail with a disown link lists, in its ``disown.py``,
``disown_hosts = [...]`` (petitions: ``"signature"``, the link in the confirmation mail).
The link carries a token the domain signed; the host reads it, says what the item is, and
disowns it: the item is marked (``services.record_disowned``), leaves the counts, waits for a
moderator's review, and the act is in the audit log. Comments are disowned by their signed-in
author (``services.disown_comment``), so they need no host.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Protocol

from participation import domains


@dataclass(frozen=True, slots=True)
class Disownable:
    target_type: str
    target_id: int
    title: str  # what it was made on ("the petition ..."), plain text
    name: str  # the name it was made under
    disowned: bool  # already disowned


class DisownHost(Protocol):
    target_type: str

    async def find(self, token: str, secret_key: str) -> Disownable | None:
        """The item of a mailed link; None when the token is forged or the item gone."""

    async def disown(self, token: str, secret_key: str) -> Disownable | None:
        """Disown it (idempotent); None when the token is forged or the item gone."""


@functools.cache
def registered_hosts() -> dict[str, DisownHost]:
    """target_type -> DisownHost, from every domain's ``disown.py``."""
    out: dict[str, DisownHost] = {}
    for d in domains.DOMAINS:
        mod = domains.submodule(d, "disown")
        for host in getattr(mod, "disown_hosts", ()) if mod is not None else ():
            out[host.target_type] = host
    return out
