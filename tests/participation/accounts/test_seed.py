"""Demo data: users of every role and three bodies in four languages, loaded idempotently."""

from __future__ import annotations

from participation.accounts import seed as account_seed
from participation.accounts.models import User
from participation.accounts.principal import load_principal
from participation.audit.services import verify_chain
from participation.i18n import LOCALES
from participation.organisations import seed as org_seed
from participation.organisations.models import Body, Membership
from participation.settings import Settings


async def test_seeding_twice_gives_the_same_demo_data(db: object, settings: Settings) -> None:
    lines: list[str] = []
    for _ in range(2):
        await account_seed.seed_demo(settings, lines.append)
        await org_seed.seed_demo(settings, lines.append)
    assert await User.all().count() == len(account_seed.DEMO_USERS)
    assert await Body.all().count() == 3
    assert await Membership.all().count() == len(org_seed.DEMO_MEMBERS)
    assert any("demo-password" in line for line in lines)

    ministry = await Body.get(slug="ministry-of-roads")
    agency = await Body.get(slug="road-maintenance-organization")
    assert agency.parent_id == ministry.id
    for body in await Body.all():
        assert all(body.i18n[loc]["name"] and body.i18n[loc]["description"] for loc in LOCALES)

    publisher = await User.get(email="publisher@example.org")
    p = await load_principal(publisher.id, None)
    assert p.is_official_of(ministry.id) and not p.is_official_of(agency.id)
    admin = await User.get(email="admin@example.org")
    assert admin.is_admin and admin.confirmed
    assert (await User.get(email="shahrvand@example.org")).locale == "fa"
    mod = await load_principal((await User.get(email="moderator@example.org")).id, None)
    assert mod.is_global_moderator
    assert await verify_chain() == (True, None)
