"""Who may act on a government body: plain functions of (principal, body).

An official acts only for the bodies they are a member of: being an official of a ministry
gives no power over its agencies or over any other body.
"""

from __future__ import annotations

from participation.accounts.principal import Principal
from participation.organisations.models import Body, Role


def can_manage_bodies(principal: Principal) -> bool:
    """Create and edit bodies, appoint officials and moderators: administrators only."""
    return principal.is_admin


def can_edit_for(principal: Principal, body: Body) -> bool:
    """Draft content in the body's name: its editors and publishers."""
    return principal.is_official_of(body.id)


def can_publish_for(principal: Principal, body: Body) -> bool:
    """Publish content and official responses in the body's name: its publishers."""
    return principal.has_role(Role.PUBLISHER, body.id)


def can_moderate_for(principal: Principal, body: Body) -> bool:
    """Moderate citizens' contributions in the body's spaces: its moderators, global ones
    (administrators are)."""
    return principal.can_moderate([body.id])
