"""Who sees a consultation: drafts only the owners' officials (preview), the rest everyone."""

from consultations import permissions as perms
from tests.consultations.rules import STATES, check_table

PUBLISHED = {"scheduled", "open", "closed"}
TABLE = {
    "editor": set(STATES),
    "publisher": set(STATES),
    "coowner_editor": set(STATES),
    "coowner_publisher": set(STATES),
    "other_official": PUBLISHED,
    "citizen": PUBLISHED,
    "unconfirmed": PUBLISHED,
    "anonymous": PUBLISHED,
    "moderator": PUBLISHED,
}


async def test_view_rule_for_every_role_and_state(world) -> None:
    check_table(world, perms.can_view, TABLE)
