"""Who may create bodies and appoint their members: administrators only."""

from __future__ import annotations

import pytest

from participation.organisations.permissions import can_manage_bodies
from tests.participation.organisations.roles import ROLES


@pytest.mark.parametrize("role", list(ROLES))
def test_only_admins_manage_bodies(role: str) -> None:
    assert can_manage_bodies(ROLES[role]) is (role == "admin")
