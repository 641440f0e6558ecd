"""Questionnaire results: public once closed; the owners' officials may look while open."""

from consultations import permissions as perms
from tests.consultations.rules import check_table

CLOSED = {"closed"}
OWNERS = {"open", "closed"}
TABLE = {
    "editor": OWNERS,
    "publisher": OWNERS,
    "coowner_editor": OWNERS,
    "coowner_publisher": OWNERS,
    "other_official": CLOSED,
    "citizen": CLOSED,
    "unconfirmed": CLOSED,
    "anonymous": CLOSED,
    "moderator": CLOSED,
}


async def test_results_rule_for_every_role_and_state(world) -> None:
    check_table(world, perms.can_see_results, TABLE)
