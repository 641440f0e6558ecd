"""On the day a petition goes viral its page is read by everyone: anonymous readers share the
read cache, signed-in people read fresh data, and a change committed through a service shows
to everyone at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from participation.caching import read_cache
from petitions import lifecycle
from petitions.forms import DebateInput
from petitions.models import Petition
from tests.conftest import login
from tests.consultations.test_section_page import counting
from tests.factories import make_body, make_user
from tests.petitions.conftest import make_petition


async def test_petition_page_for_anonymous_readers_is_cached_until_a_commit(
    anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient],
    read_cache_on: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    anonymous, member = anonymous_and_member
    body = await make_body("ministry", name="Ministry")
    p = await make_petition(body, title="Keep the night buses running")
    url = f"/petitions/{p.id}"
    assert "Keep the night buses running" in (await anonymous.get(url)).text
    with counting(monkeypatch) as seen:
        again = await anonymous.get(url)
    assert again.status_code == 200 and "Keep the night buses running" in again.text
    assert seen == []  # the petition, its body and its extras all came from the cache

    # changed behind the services' back: the cached page stays, a signed-in reader sees it
    await Petition.filter(id=p.id).update(
        title="Keep the night buses", debate_threshold_at=datetime.now(UTC)
    )  # fmt: skip
    assert "Keep the night buses running" in (await anonymous.get(url)).text
    await login(member, (await make_user()).email)
    assert "Keep the night buses running" not in (await member.get(url)).text

    # a committed change (a debate scheduled) reaches anonymous readers at once
    await lifecycle.schedule_debate((await make_user()).id, p.id, DebateInput(
        debate_at=datetime.now(UTC) + timedelta(days=9),
        debate_link="https://parliament.example/debates/1",
    ))  # fmt: skip
    fresh = (await anonymous.get(url)).text
    assert "https://parliament.example/debates/1" in fresh
    assert "Keep the night buses running" not in fresh


async def test_a_missing_petition_is_not_kept_in_the_cache(
    client: httpx.AsyncClient, read_cache_on: None
) -> None:
    assert (await client.get("/petitions/987654")).status_code == 404
    assert len(read_cache) == 0
