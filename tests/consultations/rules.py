"""Shared table helpers for the permission modules (one module per permission)."""

from __future__ import annotations

from collections.abc import Callable

from consultations.models import Consultation, Status
from tests.consultations.conftest import ROLES, World

STATES = ("draft", "scheduled", "open", "closed")
OWNER_OFFICIALS = ("editor", "publisher", "coowner_editor", "coowner_publisher")
PUBLISHERS = ("publisher", "coowner_publisher")


def consultation_in(world: World, state: str) -> tuple[Consultation, list[int]]:
    c = Consultation(slug=f"c-{state}", body_id=world.ministry.id, status=Status(state), i18n={})
    return c, [world.ministry.id, world.agency.id]


def check_table(
    world: World, rule: Callable[..., bool], table: dict[str, set[str]], *, owners: bool = True
) -> None:
    """Every role in every state: allowed exactly where the table says."""
    assert set(table) == set(ROLES)
    wrong = []
    for role in ROLES:
        for state in STATES:
            c, owner_ids = consultation_in(world, state)
            args = (world.people[role], c, owner_ids) if owners else (world.people[role], c)
            if rule(*args) != (state in table[role]):
                wrong.append((role, state, "allowed" if state not in table[role] else "refused"))
    assert not wrong, wrong
