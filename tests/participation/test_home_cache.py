"""The home page is the one every visitor opens: anonymous readers share one reading of it
per process (the read cache), emptied by every commit; signed-in people read fresh data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from consultations.models import Consultation
from consultations.services import advance_consultations
from participation.organisations.models import Body
from tests.conftest import login
from tests.consultations.test_section_page import counting
from tests.factories import make_body, make_consultation, make_user


async def test_home_page_for_anonymous_readers_is_cached_until_a_commit(
    anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient],
    read_cache_on: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    anonymous, member = anonymous_and_member
    ministry = await make_body("ministry", name="Ministry of Roads")
    await make_consultation(ministry, slug="roads", title="Safer school roads")
    first = await anonymous.get("/")
    assert "Safer school roads" in first.text and "Ministry of Roads" in first.text
    with counting(monkeypatch) as seen:
        assert "Safer school roads" in (await anonymous.get("/")).text
    assert seen == []

    await Body.filter(id=ministry.id).update(slug="transport")  # behind the services' back
    assert "/bodies/ministry" in (await anonymous.get("/")).text
    await login(member, (await make_user()).email)
    signed_in = (await member.get("/")).text
    assert "/bodies/transport" in signed_in and "/bodies/ministry" not in signed_in

    # Persian readers get their own entry, rendered right to left
    fa = await anonymous.get("/?lang=fa")
    assert 'dir="rtl"' in fa.text and "/bodies/transport" in fa.text

    # the scheduled job opens a consultation (a commit): it is on the home page at once
    trams = await make_consultation(
        ministry, slug="trams", title="Trams for the east", status="scheduled"
    )  # fmt: skip
    await Consultation.filter(id=trams.id).update(opens_at=datetime.now(UTC))
    assert "Trams for the east" not in (await anonymous.get("/?lang=en")).text
    await advance_consultations(datetime.now(UTC) + timedelta(seconds=1))
    assert "Trams for the east" in (await anonymous.get("/?lang=en")).text
