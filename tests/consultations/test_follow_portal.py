"""Following a consultation (the hook for report and response e-mails) and the home page."""

from __future__ import annotations

import httpx

from consultations import services
from consultations.hosts import ConsultationHost, SectionHost
from tests.conftest import login, post_form
from tests.factories import make_body, make_consultation, make_user


async def test_follow_and_unfollow(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads")
    citizen = await make_user()
    await login(client, citizen.email)
    for _ in range(2):  # following twice keeps one follow
        r = await post_form(client, "/consultations/roads/follow", {"action": "follow"},
                            page="/consultations/roads")  # fmt: skip
        assert r.status_code == 303
    assert await services.followers(c.id) == [citizen.id]
    target = await SectionHost().load((await c.sections.all())[0].id)
    assert target is not None
    assert await SectionHost().followers_to_notify(target) == [citizen.id]
    assert "Stop following" in (await client.get("/consultations/roads")).text
    await post_form(client, "/consultations/roads/follow", {"action": "unfollow"},
                    page="/consultations/roads")  # fmt: skip
    whole = await ConsultationHost().load(c.id)
    assert whole is not None and await ConsultationHost().followers_to_notify(whole) == []


async def test_the_home_page_lists_consultations_open_now(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", name="Ministry")
    await make_consultation(ministry, slug="open-one", title="Open consultation")
    await make_consultation(ministry, slug="closed-one", title="Closed consultation",
                            status="closed")  # fmt: skip
    await make_consultation(ministry, slug="draft-one", title="Draft consultation",
                            status="draft")  # fmt: skip
    r = await client.get("/")
    assert "Consultations open now" in r.text and "Open consultation" in r.text
    assert "Closed consultation" not in r.text and "Draft consultation" not in r.text
