"""Who edits texts, sections, questions and attachments: officials of any owning body, until
the consultation opens (then only new section versions, see test_rules_publish)."""

from consultations import permissions as perms
from tests.consultations.rules import check_table

BEFORE_OPENING = {"draft", "scheduled"}
TABLE = {
    "editor": BEFORE_OPENING,
    "publisher": BEFORE_OPENING,
    "coowner_editor": BEFORE_OPENING,
    "coowner_publisher": BEFORE_OPENING,
    "other_official": set(),
    "citizen": set(),
    "unconfirmed": set(),
    "anonymous": set(),
    "moderator": set(),
}


async def test_edit_rule_for_every_role_and_state(world) -> None:
    check_table(world, perms.can_edit, TABLE)
