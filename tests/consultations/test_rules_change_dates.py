"""Closing early (open only) and extending (scheduled or open) are for publishers of an
owning body."""

from consultations import permissions as perms
from tests.consultations.rules import check_table

NOBODY: dict[str, set[str]] = {
    "editor": set(), "coowner_editor": set(), "other_official": set(), "citizen": set(),
    "unconfirmed": set(), "anonymous": set(), "moderator": set(),
}  # fmt: skip


async def test_close_early_rule_for_every_role_and_state(world) -> None:
    table = {**NOBODY, "publisher": {"open"}, "coowner_publisher": {"open"}}
    check_table(world, perms.can_close_early, table)


async def test_extend_rule_for_every_role_and_state(world) -> None:
    both = {"scheduled", "open"}
    table = {**NOBODY, "publisher": both, "coowner_publisher": both}
    check_table(world, perms.can_extend, table)
