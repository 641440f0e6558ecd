"""The public audit log: official acts by role, filters, keyset pages, reasons, checkpoints, and
never a citizen's name or address (the chain keeps everything; the public sees an allow-list)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from participation.accounts import services as accounts
from participation.audit.models import AuditEvent
from participation.audit.services import record, record_checkpoint
from participation.db import transaction
from participation.organisations import services
from participation.organisations.models import Role
from tests.factories import make_body, make_user

SECRET = "test-secret-key-that-is-long-enough-0123456789"


async def _citizen_events() -> list[str]:
    """A citizen's life in the log, and public acts whose data name them: what must never be
    shown. Returns the words that must not appear."""
    citizen = await accounts.create_user(
        email="kamran.citizen@example.org", password="password123", display_name="Kamran Citizen"
    )
    moderator = await make_user(name="Moderator Mina", email="mina.mod@example.org")
    async with transaction():
        await record(
            citizen.id,
            "account.profile",
            "user",
            citizen.id,
            {"changed": ["display_name"], "display_name": "Kamran Citizen"},
        )
        await record(
            moderator.id,
            "moderation.suspend",
            "user",
            citizen.id,
            {"reason": "Kamran Citizen insulted people", "days": 3},
        )
        await record(
            moderator.id,
            "moderation.hide",
            "comment",
            5,
            {"reason": "offensive", "note": "Kamran Citizen again, kamran.citizen@example.org"},
        )
        await record(
            moderator.id,
            "petition.block_network",
            "blocked_network",
            2,
            {"cidr": "10.9.8.7/32", "reason": "a script signing"},
        )
    return ["Kamran", "kamran.citizen@example.org", "Moderator Mina", "mina.mod@example.org",
            "10.9.8.7"]  # fmt: skip


async def test_the_log_shows_acts_by_role_with_reasons_newest_first(
    client: httpx.AsyncClient,
) -> None:
    admin = await make_user(name="Admin Azadeh", admin=True)
    body = await make_body("health", name="Ministry of Health")
    official = await make_user(name="Official Omid")
    await services.appoint(admin.id, official, Role.EDITOR, body)
    async with transaction():
        await record(official.id, "consultation.close_early", "consultation", 7,
                     {"reason": "The law was voted early.", "body_id": body.id})  # fmt: skip
    r = await client.get("/audit/")
    assert r.status_code == 200
    close, appoint = r.text.index("Consultation closed early"), r.text.index("Role appointed")
    assert close < appoint  # newest first
    assert "The law was voted early." in r.text  # the official's reason
    assert "An official" in r.text and "An administrator" in r.text
    assert "Admin Azadeh" not in r.text and "Official Omid" not in r.text  # roles, not names
    assert f"#{official.id}</bdi>" not in r.text  # a person's account is not even numbered
    assert "Ministry of Health" in r.text  # the body concerned
    event = await AuditEvent.get(action="role.appoint")
    assert event.hash[:16] in r.text


async def test_no_citizen_is_ever_named_on_the_page_or_in_the_api(
    client: httpx.AsyncClient,
) -> None:
    secrets = await _citizen_events()
    for locale in ("en", "fa"):
        page = await client.get(f"/audit/?lang={locale}")
        data = await client.get(f"/api/v1/audit?lang={locale}")
        assert page.status_code == data.status_code == 200
        for word in secrets:
            assert word not in page.text and word not in data.text, (locale, word)
    actions = [e["action"] for e in data.json()["items"]]
    assert actions == ["petition.block_network", "moderation.hide"]  # nothing about a person
    english = (await client.get("/api/v1/audit?lang=en")).json()["items"]
    assert english[1]["reasons"] == ["Offensive or abusive"]  # the code, in words, no note
    assert english[0]["reasons"] == ["a script signing"]  # the reason, not the network
    assert await AuditEvent.filter(action="account.register").count() == 1  # still in the chain
    for kind in ("account.register", "moderation.suspend"):  # not even when asked by name
        assert (await client.get(f"/api/v1/audit?kind={kind}")).json()["items"] == []
        assert "Kamran" not in (await client.get(f"/audit/?kind={kind}")).text


async def test_the_log_is_filtered_by_body_kind_and_date(client: httpx.AsyncClient) -> None:
    health, water = await make_body("health"), await make_body("water")
    async with transaction():
        await record(None, "consultation.open", "consultation", 1, {"owners": [health.id]})
        await record(None, "consultation.open", "consultation", 2, {"owners": [water.id]})
        await record(None, "petition.publish", "petition", 3, {"body_id": water.id})
        await record(None, "body.update", "body", health.id, {"changed": []})
    old = await AuditEvent.get(action="petition.publish")
    await AuditEvent.filter(id=old.id).update(created_at=datetime(2025, 1, 10, 12, tzinfo=UTC))

    async def shown(query: str) -> list[str]:
        r = await client.get(f"/api/v1/audit?{query}")
        assert r.status_code == 200, r.text
        return [f"{e['action']} {e['target_id']}" for e in r.json()["items"]]

    assert await shown("body=health") == ["body.update " + str(health.id), "consultation.open 1"]
    assert await shown("body=water") == ["petition.publish 3", "consultation.open 2"]
    assert await shown("kind=consultation.open") == ["consultation.open 2", "consultation.open 1"]
    assert await shown("until=2025-01-10") == ["petition.publish 3"]
    assert await shown("since=2025-01-11&body=water") == ["consultation.open 2"]
    assert await shown("body=nowhere") == []
    page = await client.get("/audit/?body=water&kind=petition.publish")
    assert page.status_code == 200 and "Petition published" in page.text
    assert "Consultation opened" not in page.text.split("</select>")[-1]
    bad = await client.get("/audit/?since=tomorrow&lang=fa")
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.text
    assert (await client.get("/audit/?body=nowhere")).status_code == 400
    assert (await client.get("/api/v1/audit?since=tomorrow")).status_code == 400


async def test_the_log_is_paged_by_keyset(client: httpx.AsyncClient) -> None:
    async with transaction():
        for i in range(60):
            await record(None, "petition.publish", "petition", 1000 + i)
    r = await client.get("/audit/")
    assert "#1059" in r.text and "#1010" in r.text and "#1009" not in r.text
    n10 = (await AuditEvent.get(target_id="1010")).id
    n09 = (await AuditEvent.get(target_id="1009")).id
    assert f"before={n10}" in r.text
    r = await client.get(f"/audit/?before={n10}&kind=petition.publish")
    assert "#1009" in r.text and "#1000" in r.text and "#1010" not in r.text
    assert f"after={n09}" in r.text and "kind=petition.publish" in r.text
    r = await client.get(f"/audit/?after={n09}")
    assert "#1010" in r.text and "#1059" in r.text and "#1009" not in r.text
    assert (await client.get("/audit/?before=abc")).status_code == 200
    # the API: a cursor per page, every event once
    seen: list[str] = []
    cursor = ""
    while True:
        page = (await client.get(f"/api/v1/audit?limit=25{cursor}")).json()
        seen.extend(e["target_id"] for e in page["items"])
        if not page["next_cursor"]:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert seen == [str(1059 - i) for i in range(60)]


async def test_checkpoints_are_on_the_page_and_in_json(client: httpx.AsyncClient) -> None:
    async with transaction():
        await record(None, "petition.publish", "petition", 1)
    cp = await record_checkpoint(SECRET, now=datetime.now(UTC) - timedelta(minutes=1))
    assert cp is not None
    page = await client.get("/audit/")
    assert cp.head_hash[:16] in page.text and cp.signature[:16] in page.text
    data = (await client.get("/api/v1/audit/checkpoints")).json()
    assert data["items"] == [{
        "id": cp.id, "created_at": data["items"][0]["created_at"], "event_count": 1,
        "head_id": cp.head_id, "head_hash": cp.head_hash, "signature": cp.signature,
    }]  # fmt: skip


async def test_the_verify_page_tells_whether_the_log_is_intact(
    client: httpx.AsyncClient,
) -> None:
    async with transaction():
        for i in range(3):
            await record(None, "petition.publish", "petition", i, {"n": i})
    await record_checkpoint(SECRET)
    r = await client.get("/audit/verify")
    assert r.status_code == 200 and "The log is intact" in r.text
    assert "It reaches its 1 checkpoint." in r.text
    newest = await AuditEvent.all().order_by("-id").first()
    assert newest is not None
    await AuditEvent.filter(id=newest.id).delete()
    r = await client.get("/audit/verify")
    assert "tampered" in r.text and "The log is intact" not in r.text
    assert "the newest entries were removed" in r.text


async def test_an_event_without_a_body_counts_for_the_bodies_of_its_target(
    client: httpx.AsyncClient,
) -> None:
    health, water = await make_body("health"), await make_body("water")
    async with transaction():
        await record(None, "consultation.create", "consultation", 1, {"owners": [health.id]})
        await record(None, "consultation.publish", "consultation", 1, {"status": "open"})
        await record(None, "consultation.update", "consultation", 1, {"owners": [water.id]})
        await record(None, "consultation.close", "consultation", 1, {"by": "schedule"})
        await record(None, "consultation.close", "consultation", 2, {"by": "schedule"})

    async def shown(slug: str) -> list[str]:
        r = await client.get(f"/api/v1/audit?body={slug}")
        return [f"{e['action']} {e['target_id']}" for e in r.json()["items"]]

    assert await shown("health") == ["consultation.publish 1", "consultation.create 1"]
    assert await shown("water") == ["consultation.close 1", "consultation.update 1"]
