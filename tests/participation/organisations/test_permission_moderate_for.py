"""Who may moderate in a body's spaces: its moderators, the global moderators and the
administrators (the one rule for admins: they may moderate, everywhere)."""

from __future__ import annotations

import pytest

from participation.organisations.permissions import can_moderate_for
from tests.participation.organisations.roles import BODIES, ROLES

ALLOWED = (
    {("moderator of A", "A")}
    | {("global moderator", b) for b in BODIES}
    | {(r, b) for r in ROLES if r.startswith("admin") for b in BODIES}
)


@pytest.mark.parametrize("body", list(BODIES))
@pytest.mark.parametrize("role", list(ROLES))
def test_moderators_of_the_body_and_global_ones_may_moderate(role: str, body: str) -> None:
    assert can_moderate_for(ROLES[role], BODIES[body]) is ((role, body) in ALLOWED)
