"""Who may do what in accountability: plain functions of the principal and the object.

Responses and commitments speak in a body's name: only that body's publishers publish,
translate, record debates, make and update commitments. Any signed-in person who is not
suspended may follow a commitment.
"""

from __future__ import annotations

from collections.abc import Iterable

from participation.accounts.principal import Principal
from participation.organisations.models import Role


def can_respond(p: Principal, body_ids: Iterable[int]) -> bool:
    """Publish (or translate) the response owed by these bodies: their publishers."""
    return any(p.has_role(Role.PUBLISHER, b) for b in body_ids)


def can_speak_for(p: Principal, body_id: int) -> bool:
    """Act on a response or commitment of this body: its publishers."""
    return p.has_role(Role.PUBLISHER, body_id)


def can_follow(p: Principal) -> bool:
    return p.authenticated and not p.suspended
