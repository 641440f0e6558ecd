"""Entering paper and in-person submissions: officials (editor or publisher) of an owning
body, while the consultation is open."""

from consultations import permissions as perms
from consultations.hosts import SectionHost, Target
from consultations.models import Section
from tests.consultations.conftest import ROLES
from tests.consultations.rules import check_table, consultation_in

OPEN = {"open"}
TABLE = {
    "editor": OPEN,
    "publisher": OPEN,
    "coowner_editor": OPEN,
    "coowner_publisher": OPEN,
    "other_official": set(),
    "citizen": set(),
    "unconfirmed": set(),
    "anonymous": set(),
    "moderator": set(),
}


async def test_paper_rule_for_every_role_and_state(world) -> None:
    check_table(world, perms.can_enter_paper, TABLE)


async def test_section_host_asks_the_same_rule(world) -> None:
    c, owners = consultation_in(world, "open")
    target = Target(c, owners, Section(consultation_id=0, position=1, i18n={}))
    for role in ROLES:
        assert await SectionHost().can_enter_paper(world.people[role], target) == (
            "open" in TABLE[role]
        ), role
