"""Bodies and appointments: every change audited, the chain intact, no cycles."""

from __future__ import annotations

import pytest

from participation.accounts.principal import load_principal
from participation.audit.models import AuditEvent
from participation.audit.services import verify_chain
from participation.errors import DomainError
from participation.organisations import services
from participation.organisations.models import Body, Membership, Role
from participation.settings import Settings
from tests.factories import make_body, make_user, sent_mails

NAMES = {"en": {"name": "Ministry of Health", "description": "Health policy."}}


async def test_appointing_and_revoking_an_official_is_audited_and_mailed(
    db: object, settings: Settings
) -> None:
    admin = await make_user(admin=True)
    body = await make_body("health")
    other = await make_body("city")
    official = await make_user("nurse@example.org")

    membership = await services.appoint(admin.id, official, Role.PUBLISHER, body)
    p = await load_principal(official.id, None)
    assert p.is_official_of(body.id) and not p.is_official_of(other.id)

    again = await services.appoint(admin.id, official, Role.PUBLISHER, body)
    assert again.id == membership.id  # appointing twice changes nothing

    await services.revoke(admin.id, membership)
    assert not (await load_principal(official.id, None)).is_official_of(body.id)

    events = await AuditEvent.filter(target_type="user", target_id=str(official.id)).order_by("id")
    assert [(e.action, e.actor_id, e.data) for e in events] == [
        ("role.appoint", admin.id, {"role": "publisher", "body_id": body.id}),
        ("role.revoke", admin.id, {"role": "publisher", "body_id": body.id}),
    ]
    assert await verify_chain() == (True, None)
    assert [m["To"] for m in sent_mails(settings)] == ["nurse@example.org"] * 2


async def test_a_global_role_can_only_be_moderator(db: object) -> None:
    user = await make_user()
    with pytest.raises(DomainError):
        await services.appoint(None, user, Role.EDITOR, None)
    await services.appoint(None, user, Role.MODERATOR, None)
    assert (await load_principal(user.id, None)).is_global_moderator


async def test_creating_and_editing_a_body_is_audited(db: object) -> None:
    admin = await make_user(admin=True)
    ministry = await services.create_body(admin.id, slug="health", i18n=NAMES, original_locale="en")
    agency = await services.create_body(
        admin.id, slug="vaccines", i18n={"fa": {"name": "سازمان واکسن"}},
        original_locale="fa", parent_id=ministry.id,
    )  # fmt: skip
    await services.update_body(
        admin.id, ministry,
        i18n={**NAMES, "fa": {"name": "وزارت بهداشت"}}, original_locale="en", parent_id=None,
    )  # fmt: skip
    assert (await Body.get(id=ministry.id)).i18n["fa"] == {"name": "وزارت بهداشت"}
    assert (await Body.get(id=agency.id)).parent_id == ministry.id
    actions = (
        await AuditEvent.filter(target_type="body").order_by("id").values_list("action", flat=True)
    )
    assert list(actions) == ["body.create", "body.create", "body.update"]
    assert await verify_chain() == (True, None)


async def test_a_body_cannot_be_put_under_its_own_unit(db: object) -> None:
    ministry = await make_body("ministry")
    agency = await make_body("agency", parent=ministry)
    with pytest.raises(DomainError) as err:
        await services.update_body(
            None, ministry, i18n=NAMES, original_locale="en", parent_id=agency.id
        )
    assert err.value.field == "parent"
    assert (await Body.get(id=ministry.id)).parent_id is None


async def test_slugs_are_unique_and_well_formed(db: object) -> None:
    await make_body("health")
    for slug in ("health", "Not A Slug", "-x"):
        with pytest.raises(DomainError):
            await services.create_body(None, slug=slug, i18n=NAMES, original_locale="en")
    assert await Body.all().count() == 1
    assert await AuditEvent.all().count() == 0


async def test_a_name_in_the_original_language_is_required(db: object) -> None:
    with pytest.raises(DomainError):
        await services.create_body(
            None, slug="x", i18n={"fa": {"name": "ایکس"}}, original_locale="en"
        )
    assert await Membership.all().count() == 0
