"""The role table shared by the permission tests: every role, held on body A (or globally)."""

from __future__ import annotations

from participation.accounts.models import User
from participation.accounts.principal import ANONYMOUS, Principal
from participation.organisations.models import Body, Role

MINISTRY = Body(id=1, slug="ministry")  # body A
AGENCY = Body(id=2, slug="agency", parent_id=1)  # a unit under A
CITY = Body(id=3, slug="city")  # body B


def principal(roles: dict[int | None, set[Role]] | None = None, admin: bool = False) -> Principal:
    return Principal(User(id=99, email="x@example.org", is_admin=admin), roles or {})


ROLES: dict[str, Principal] = {
    "anonymous": ANONYMOUS,
    "citizen": principal(),
    "editor of A": principal({1: {Role.EDITOR}}),
    "publisher of A": principal({1: {Role.PUBLISHER}}),
    "moderator of A": principal({1: {Role.MODERATOR}}),
    "global moderator": principal({None: {Role.MODERATOR}}),
    "admin": principal(admin=True),
}
BODIES = {"A": MINISTRY, "unit of A": AGENCY, "B": CITY}
