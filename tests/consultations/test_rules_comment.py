"""Commenting, voting on sections and answering: anyone signed in with a confirmed e-mail,
only while the consultation is open; the comment hosts give the same answers."""

from consultations import permissions as perms
from consultations.hosts import ConsultationHost, SectionHost, SectionVoteHost, Target
from consultations.models import Section
from tests.consultations.conftest import ROLES
from tests.consultations.rules import check_table, consultation_in

OPEN = {"open"}
TABLE = {
    "editor": OPEN,
    "publisher": OPEN,
    "coowner_editor": OPEN,
    "coowner_publisher": OPEN,
    "other_official": OPEN,
    "citizen": OPEN,
    "unconfirmed": set(),
    "anonymous": set(),
    "moderator": OPEN,
}


async def test_comment_rule_for_every_role_and_state(world) -> None:
    check_table(world, perms.can_comment, TABLE, owners=False)


async def test_answer_rule_for_every_role_and_state(world) -> None:
    check_table(world, perms.can_answer, TABLE, owners=False)


async def test_hosts_apply_the_same_rule_to_consultations_sections_and_votes(world) -> None:
    for state in ("draft", "scheduled", "open", "closed"):
        c, owners = consultation_in(world, state)
        section = Section(consultation_id=0, position=1, i18n={})
        whole, part = Target(c, owners), Target(c, owners, section)
        for role in ROLES:
            expected = state in TABLE[role]
            p = world.people[role]
            assert await ConsultationHost().can_comment(p, whole) == expected, (role, state)
            assert await SectionHost().can_comment(p, part) == expected, (role, state)
            assert await SectionVoteHost().can_vote(p, part) == expected, (role, state)
        assert await SectionHost().accepts_comments(part) == (state == "open")
        assert await SectionVoteHost().accepts_votes(part) == (state == "open")
        assert await SectionHost().moderating_body_ids(part) == owners
