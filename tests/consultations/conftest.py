from __future__ import annotations

from dataclasses import dataclass

import pytest

from participation.accounts.principal import ANONYMOUS, Principal, load_principal
from participation.organisations.models import Body, Role
from tests.factories import make_body, make_moderator, make_official, make_user


@dataclass
class World:
    ministry: Body
    agency: Body
    other: Body
    people: dict[str, Principal]


ROLES = (
    "editor", "publisher", "coowner_editor", "coowner_publisher", "other_official",
    "citizen", "unconfirmed", "anonymous", "moderator",
)  # fmt: skip


@pytest.fixture
async def world(db: object) -> World:
    ministry = await make_body("ministry", name="Ministry")
    agency = await make_body("agency", name="Agency", parent=ministry)
    other = await make_body("city", name="City")
    users = {
        "editor": await make_official(ministry, Role.EDITOR),
        "publisher": await make_official(ministry, Role.PUBLISHER),
        "coowner_editor": await make_official(agency, Role.EDITOR),
        "coowner_publisher": await make_official(agency, Role.PUBLISHER),
        "other_official": await make_official(other, Role.PUBLISHER),
        "citizen": await make_user(),
        "unconfirmed": await make_user(confirmed=False),
        "moderator": await make_moderator(None),
    }
    people = {k: await load_principal(u.id, None) for k, u in users.items()}
    people["anonymous"] = ANONYMOUS
    return World(ministry, agency, other, people)
