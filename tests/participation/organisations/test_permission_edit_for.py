"""Who may draft content in a body's name: that body's editors and publishers, nobody else."""

from __future__ import annotations

import pytest

from participation.organisations.permissions import can_edit_for
from tests.participation.organisations.roles import BODIES, ROLES

ALLOWED = {("editor of A", "A"), ("publisher of A", "A")}


@pytest.mark.parametrize("body", list(BODIES))
@pytest.mark.parametrize("role", list(ROLES))
def test_only_officials_of_the_body_may_edit_for_it(role: str, body: str) -> None:
    assert can_edit_for(ROLES[role], BODIES[body]) is ((role, body) in ALLOWED)
