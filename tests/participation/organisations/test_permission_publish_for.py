"""Who may publish in a body's name: that body's publishers only."""

from __future__ import annotations

import pytest

from participation.organisations.permissions import can_publish_for
from tests.participation.organisations.roles import BODIES, ROLES

ALLOWED = {("publisher of A", "A")}


@pytest.mark.parametrize("body", list(BODIES))
@pytest.mark.parametrize("role", list(ROLES))
def test_only_publishers_of_the_body_may_publish_for_it(role: str, body: str) -> None:
    assert can_publish_for(ROLES[role], BODIES[body]) is ((role, body) in ALLOWED)
