"""The public audit log and its integrity check."""

from __future__ import annotations

import httpx

from participation.audit.models import AuditEvent
from participation.audit.services import record
from participation.db import transaction
from participation.organisations import services
from participation.organisations.models import Role
from tests.factories import make_body, make_user


async def test_the_log_shows_who_did_what_newest_first(client: httpx.AsyncClient) -> None:
    admin = await make_user(name="Admin Azadeh", admin=True)
    body = await make_body("health")
    official = await make_user()
    await services.appoint(admin.id, official, Role.EDITOR, body)
    async with transaction():
        await record(None, "system.cleanup", "thing", 7)
    r = await client.get("/audit/")
    assert r.status_code == 200
    first, second = r.text.index("system.cleanup"), r.text.index("role.appoint")
    assert first < second  # newest first
    assert "Admin Azadeh" in r.text and "system" in r.text
    appoint = await AuditEvent.get(action="role.appoint")
    assert appoint.hash[:16] in r.text and f"Account <bdi>#{official.id}</bdi>" in r.text
    assert "Role appointed" in r.text  # the action's label; an unknown code is shown as is


async def test_the_log_is_paged_by_keyset(client: httpx.AsyncClient) -> None:
    async with transaction():
        for i in range(60):
            await record(None, f"test.n{i:02d}", "thing", i)
    r = await client.get("/audit/")
    assert "test.n59" in r.text and "test.n10" in r.text and "test.n09" not in r.text
    assert "before=" in r.text
    last_id = (await AuditEvent.get(action="test.n10")).id
    r = await client.get(f"/audit/?before={last_id}")
    assert "test.n09" in r.text and "test.n00" in r.text and "test.n10" not in r.text
    assert f"after={(await AuditEvent.get(action='test.n09')).id}" in r.text
    r = await client.get(f"/audit/?after={(await AuditEvent.get(action='test.n09')).id}")
    assert "test.n10" in r.text and "test.n59" in r.text and "test.n09" not in r.text
    r = await client.get("/audit/?before=abc")
    assert r.status_code == 200


async def test_the_verify_page_tells_whether_the_chain_is_intact(
    client: httpx.AsyncClient,
) -> None:
    async with transaction():
        for i in range(3):
            await record(None, "test.action", "thing", i, {"n": i})
    r = await client.get("/audit/verify")
    assert r.status_code == 200 and "The log is intact" in r.text
    second = (await AuditEvent.all().order_by("id"))[1]
    await AuditEvent.filter(id=second.id).update(data={"n": 99})
    r = await client.get("/audit/verify")
    assert "tampered" in r.text and "The log is intact" not in r.text
