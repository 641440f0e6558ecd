"""Editors draft, publishers publish: scheduling/opening a draft and publishing a new
section version are for publishers of an owning body (co-owners included)."""

from consultations import permissions as perms
from tests.consultations.rules import check_table

NOBODY: dict[str, set[str]] = {
    "editor": set(), "coowner_editor": set(), "other_official": set(), "citizen": set(),
    "unconfirmed": set(), "anonymous": set(), "moderator": set(),
}  # fmt: skip


async def test_publish_rule_for_every_role_and_state(world) -> None:
    table = {**NOBODY, "publisher": {"draft"}, "coowner_publisher": {"draft"}}
    check_table(world, perms.can_publish, table)


async def test_new_section_version_rule_for_every_role_and_state(world) -> None:
    table = {**NOBODY, "publisher": {"open"}, "coowner_publisher": {"open"}}
    check_table(world, perms.can_publish_version, table)
