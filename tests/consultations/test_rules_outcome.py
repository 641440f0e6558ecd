"""The report and the response: publishers of an owning body, once the consultation closed."""

from consultations import permissions as perms
from tests.consultations.rules import check_table

CLOSED = {"closed"}
TABLE = {
    "editor": set(),
    "publisher": CLOSED,
    "coowner_editor": set(),
    "coowner_publisher": CLOSED,
    "other_official": set(),
    "citizen": set(),
    "unconfirmed": set(),
    "anonymous": set(),
    "moderator": set(),
}


async def test_outcome_rule_for_every_role_and_state(world) -> None:
    check_table(world, perms.can_publish_outcome, TABLE)
