"""Admins create bodies in four languages and appoint officials and moderators."""

from __future__ import annotations

import httpx

from participation.accounts.models import User
from participation.audit.models import AuditEvent
from participation.audit.services import verify_chain
from participation.organisations.body_settings import DEFAULTS
from participation.organisations.models import Body, Membership, Role
from participation.settings import Settings
from tests.conftest import login, post_form
from tests.factories import make_body, make_user, sent_mails

SETTINGS = {
    "petition_open_days": "182",
    "petition_response_threshold": "10000",
    "petition_debate_threshold": "100000",
    "petition_response_days": "90",
}


async def _admin(client: httpx.AsyncClient, locale: str = "en") -> None:
    await make_user("admin@example.org", admin=True, locale=locale)
    await login(client, "admin@example.org")


async def test_creating_a_body_in_four_languages_under_a_parent(
    client: httpx.AsyncClient,
) -> None:
    ministry = await make_body("roads", name="Ministry of Roads")
    await _admin(client)
    r = await post_form(
        client,
        "/admin/bodies/new",
        {
            "slug": "road-agency",
            "parent": str(ministry.id),
            "original_locale": "fa",
            "name_fa": "سازمان راهداری",
            "name_en": "Road Agency",
            "name_ar": "هيئة الطرق",
            "name_fr": "Agence des routes",
            "description_en": "Keeps roads open.",
            **SETTINGS,
            "petition_response_threshold": "۱۰۰۰",  # Persian digits
            "petition_officials_moderate": "1",
        },
        "/admin/bodies/new",
    )
    assert r.status_code == 303
    body = await Body.get(slug="road-agency")
    assert body.parent_id == ministry.id and body.original_locale == "fa"
    assert body.i18n["ar"] == {"name": "هيئة الطرق"}
    assert body.i18n["en"] == {"name": "Road Agency", "description": "Keeps roads open."}
    assert body.settings == {
        **DEFAULTS.stored(),  # every setting is stored, as the form showed it
        "petition_response_threshold": 1000,
        "petition_officials_moderate": True,
    }
    assert await AuditEvent.filter(action="body.create", target_id=str(body.id)).count() == 1

    page = await client.get("/admin/bodies/road-agency/edit")
    assert 'value="Agence des routes"' in page.text


async def test_bad_body_input_is_shown_next_to_the_fields(client: httpx.AsyncClient) -> None:
    await make_body("taken")
    await _admin(client)
    r = await post_form(
        client,
        "/admin/bodies/new",
        {"slug": "taken", "original_locale": "en", "name_en": "X", **SETTINGS,
         "petition_response_days": "[1,"},
        "/admin/bodies/new",
    )  # fmt: skip
    assert r.status_code == 400
    assert 'id="petition_response_days-error"' in r.text and 'value="[1,"' in r.text
    r = await post_form(
        client, "/admin/bodies/new",
        {"slug": "taken", "original_locale": "en", "name_en": "X", **SETTINGS},
        "/admin/bodies/new",
    )  # fmt: skip
    assert r.status_code == 400 and 'id="slug-error"' in r.text
    r = await post_form(
        client, "/admin/bodies/new",
        {"slug": "new-one", "original_locale": "fr", "name_en": "X", **SETTINGS},
        "/admin/bodies/new",
    )  # fmt: skip
    assert r.status_code == 400 and 'id="name_fr-error"' in r.text
    assert await Body.all().count() == 1


async def test_appointing_and_revoking_members_by_email(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    body = await make_body("health")
    official = await make_user("official@example.org")
    await _admin(client)
    page = "/admin/bodies/health/members"
    r = await post_form(client, page, {"email": "Official@example.org", "role": "editor"}, page)
    assert r.status_code == 303
    membership = await Membership.get(user_id=official.id, body_id=body.id)
    assert membership.role == Role.EDITOR
    assert "official@example.org" in (await client.get(page)).text

    r = await post_form(client, page, {"email": "ghost@example.org", "role": "editor"}, page)
    assert r.status_code == 400 and "No account uses this e-mail address" in r.text

    r = await post_form(client, f"{page}/{membership.id}/revoke", {}, page)
    assert r.status_code == 303
    assert await Membership.filter(user_id=official.id).count() == 0
    actions = await AuditEvent.filter(target_id=str(official.id)).values_list("action", flat=True)
    assert sorted(actions) == ["role.appoint", "role.revoke"]
    assert await verify_chain() == (True, None)
    assert len([m for m in sent_mails(settings) if m["To"] == "official@example.org"]) == 2


async def test_a_membership_of_another_body_cannot_be_revoked_through_this_one(
    client: httpx.AsyncClient,
) -> None:
    await make_body("health")
    city = await make_body("city")
    official = await make_user()
    m = await Membership.create(user=official, body=city, role=Role.PUBLISHER)
    await _admin(client)
    r = await post_form(client, f"/admin/bodies/health/members/{m.id}/revoke", {})
    assert r.status_code == 404
    assert await Membership.filter(id=m.id).exists()


async def test_global_moderators_are_appointed_and_revoked(client: httpx.AsyncClient) -> None:
    mod = await make_user("mod@example.org")
    await _admin(client)
    r = await post_form(
        client, "/admin/moderators", {"email": "mod@example.org"}, "/admin/moderators"
    )
    assert r.status_code == 303
    m = await Membership.get(user_id=mod.id)
    assert m.body_id is None and m.role == Role.MODERATOR
    r = await post_form(client, f"/admin/moderators/{m.id}/revoke", {})
    assert r.status_code == 303
    assert not await Membership.filter(user_id=mod.id).exists()


async def test_an_appointment_without_csrf_token_is_refused(client: httpx.AsyncClient) -> None:
    await make_body("health")
    user = await make_user("official@example.org")
    await _admin(client)
    r = await client.post(
        "/admin/bodies/health/members", data={"email": "official@example.org", "role": "editor"}
    )
    assert r.status_code == 403
    assert not await Membership.filter(user_id=user.id).exists()
    assert await AuditEvent.filter(action="role.appoint").count() == 0


async def test_an_admin_can_make_another_user_admin_and_back(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    other = await make_user("other@example.org")
    await _admin(client)
    r = await post_form(client, f"/admin/users/{other.id}/admin", {"grant": "1"}, "/admin/")
    assert r.status_code == 303
    assert (await User.get(id=other.id)).is_admin
    assert "Remove administrator role" in (await client.get("/admin/?q=other")).text
    r = await post_form(client, f"/admin/users/{other.id}/admin", {"grant": "0"}, "/admin/")
    assert not (await User.get(id=other.id)).is_admin
    actions = await AuditEvent.filter(target_id=str(other.id)).values_list("action", flat=True)
    assert sorted(actions) == ["account.role_grant", "account.role_revoke"]
    assert await verify_chain() == (True, None)
    assert len([m for m in sent_mails(settings) if m["To"] == "other@example.org"]) == 2


async def test_an_admin_cannot_remove_their_own_role(client: httpx.AsyncClient) -> None:
    await _admin(client)
    me = await User.get(email="admin@example.org")
    r = await post_form(client, f"/admin/users/{me.id}/admin", {"grant": "0"}, "/admin/")
    assert r.status_code == 400
    assert (await User.get(id=me.id)).is_admin


async def test_body_settings_are_typed_fields_with_translated_errors(
    client: httpx.AsyncClient,
) -> None:
    await make_body("health", settings={"petition_response_threshold": 500})
    await _admin(client, locale="fa")
    page = "/admin/bodies/health/edit"
    r = await client.get(page)
    assert 'name="petition_response_threshold" type="text" value="500"' in r.text
    assert 'name="petition_open_days" type="text" value="182"' in r.text  # the default
    assert "settings-error" not in r.text and 'name="settings"' not in r.text
    bad = {
        "original_locale": "en", "name_en": "Health", **SETTINGS,
        "petition_open_days": "0", "petition_response_days": "NaN",
        "petition_response_threshold": "9" * 40,
    }  # fmt: skip
    r = await post_form(client, page, bad, page)
    assert r.status_code == 400 and 'dir="rtl"' in r.text
    assert 'id="petition_open_days-error"' in r.text and "۳۶۵۰" in r.text  # in its digits
    assert 'id="petition_response_days-error"' in r.text
    assert 'id="petition_response_threshold-error"' in r.text
    assert 'value="NaN"' in r.text  # what was typed is kept
    lower = {**SETTINGS, "petition_response_threshold": "2000", "petition_debate_threshold": "10"}
    r = await post_form(client, page, {"original_locale": "en", "name_en": "Health", **lower}, page)
    assert r.status_code == 400 and 'id="petition_debate_threshold-error"' in r.text
    assert (await Body.get(slug="health")).settings == {"petition_response_threshold": 500}
    r = await post_form(
        client, page, {"original_locale": "en", "name_en": "Health", **SETTINGS}, page
    )
    assert r.status_code == 303
    saved = await Body.get(slug="health")
    assert saved.settings["petition_response_threshold"] == 10000
    assert saved.settings["petition_officials_moderate"] is False


async def test_a_bad_stored_setting_shows_its_default(client: httpx.AsyncClient) -> None:
    await make_body("health", settings={"petition_open_days": "soon", "petition_response_days": 7})
    await _admin(client)
    r = await client.get("/admin/bodies/health/edit")
    assert r.status_code == 200
    assert 'name="petition_open_days" type="text" value="182"' in r.text
    assert 'name="petition_response_days" type="text" value="7"' in r.text
