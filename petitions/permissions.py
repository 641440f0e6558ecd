"""Who may do what with a petition: plain functions of (principal, petition, body settings)."""

from __future__ import annotations

from typing import Any

from participation.accounts.principal import Principal
from participation.organisations.body_settings import settings_of
from petitions.models import Petition, Status

PUBLIC_STATUSES = (Status.OPEN, Status.CLOSED, Status.REJECTED)


def officials_moderate(body_settings: dict[str, Any]) -> bool:
    """Per-body setting ``petition_officials_moderate``: the body's officials may publish or
    reject petitions addressed to it (moderators always may)."""
    return settings_of(body_settings).petition_officials_moderate


def can_moderate(p: Principal, petition: Petition, body_settings: dict[str, Any]) -> bool:
    if not p.authenticated:
        return False
    if p.can_moderate([petition.body_id]):
        return True
    return officials_moderate(body_settings) and p.is_official_of(petition.body_id)


def can_review_signatures(p: Principal, petition: Petition) -> bool:
    """Suspects, invalidations: moderators only (they see signers' addresses)."""
    return p.authenticated and p.can_moderate([petition.body_id])


def can_view(p: Principal, petition: Petition, body_settings: dict[str, Any]) -> bool:
    if petition.status in PUBLIC_STATUSES and not petition.hidden:
        return True
    if p.authenticated and p.id == petition.creator_id:
        return True
    return can_moderate(p, petition, body_settings)


def is_hidden_publicly(petition: Petition) -> bool:
    """Published, then hidden by the moderation (or rejected as offensive): readers who may
    not see it get a placeholder saying so and why."""
    return petition.status in PUBLIC_STATUSES and petition.hidden


def can_create(p: Principal) -> bool:
    return p.user is not None and p.user.confirmed


def can_schedule_debate(p: Principal, petition: Petition) -> bool:
    return (
        p.authenticated
        and petition.debate_threshold_at is not None
        and p.is_official_of(petition.body_id)
    )


def can_manage_blocks(p: Principal) -> bool:
    """The block lists refuse signatures on every body's petitions: global moderators (and so
    administrators) only; a body's own moderators work on their body's petitions."""
    return p.is_global_moderator
