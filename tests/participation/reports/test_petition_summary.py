"""The daily summary of each open petition (a report snapshot built by a periodic job, each
petition on its own) and the per-body petition figures of the accountability pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from petitions import summary, tasks
from petitions.models import PetitionStatus, ResponseObligation, Signature
from tests.factories import make_body
from tests.petitions.conftest import add_signatures, make_petition

DAY1 = datetime(2026, 3, 1, 9, tzinfo=UTC)


async def _signed() -> Any:
    body = await make_body("ministry")
    p = await make_petition(body)
    await add_signatures(p, 3, region="tehran", at=DAY1)
    await add_signatures(p, 2, region="isfahan", at=DAY1 + timedelta(days=1))
    await add_signatures(p, 1, confirmed=False)
    suspect = await add_signatures(p, 1, region="fars", at=DAY1)
    await Signature.filter(id=suspect[0].id).update(suspect=True)
    void = await add_signatures(p, 1, region="fars", at=DAY1)
    await Signature.filter(id=void[0].id).update(invalidation_id=1)
    return body, p


async def test_the_daily_summary_counts_per_day_region_and_what_is_not_counted(db: Any) -> None:
    _body, p = await _signed()
    closed = await make_petition(await make_body("city"), status=PetitionStatus.CLOSED)
    assert await tasks.refresh_petition_summaries({}) == 1  # open petitions only
    snap = await summary.latest_summary(p.id)
    assert snap is not None and snap.trigger == "daily"
    d = snap.data
    assert (d["signatures"], d["pending"], d["suspect"], d["invalidated"]) == (5, 1, 1, 1)
    assert d["by_day"] == [{"day": "2026-03-01", "count": 3}, {"day": "2026-03-02", "count": 2}]
    assert d["by_region"] == [{"region": "tehran", "count": 3}, {"region": "isfahan", "count": 2}]
    assert "@" not in str(d) and "Signer" not in str(d)  # no personal data
    # run again the same day (a restarted worker): nothing more is queued
    assert await tasks.refresh_petition_summaries({}) == 0
    assert await summary.latest_summary(closed.id) is None


async def test_one_petition_that_fails_never_stops_the_others(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = await make_body("ministry")
    first, second = await make_petition(body), await make_petition(body)
    real = summary.request_summary

    async def flaky(petition_id: int) -> Any:
        if petition_id == first.id:
            raise RuntimeError("a malformed row")
        return await real(petition_id)

    monkeypatch.setattr(summary, "request_summary", flaky)
    assert await tasks.refresh_petition_summaries({}) == 1
    assert await summary.latest_summary(first.id) is None
    assert await summary.latest_summary(second.id) is not None


async def test_the_petition_page_shows_the_summary_to_everyone_in_their_digits(
    client: httpx.AsyncClient,
) -> None:
    _body, p = await _signed()
    await tasks.refresh_petition_summaries({})
    r = await client.get(f"/petitions/{p.id}?lang=fa")
    assert r.status_code == 200
    part = r.text.split('id="summary-heading"')[1].split("</section>")[0]
    assert "<svg" in part and "<table" in part and "۱۰ اسفند ۱۴۰۴" in part
    assert "Signer" not in part and "@" not in part
    en = (await client.get(f"/petitions/{p.id}?lang=en")).text
    assert "Daily summary" in en and "Held as suspect, not counted" in en


async def test_body_figures_count_petitions_signatures_and_answers(db: Any) -> None:
    now = datetime.now(UTC)
    ministry, city = await make_body("ministry"), await make_body("city")
    a, b = await make_petition(ministry), await make_petition(ministry)
    c = await make_petition(ministry, status=PetitionStatus.CLOSED)
    await make_petition(ministry, status=PetitionStatus.MODERATION)  # not published: left out
    d = await make_petition(city)
    for pet, n in ((a, 10), (b, 5), (c, 7), (d, 1)):
        pet.signature_count = n
        await pet.save(update_fields=["signature_count"])
    # answered in 10 days, on time; answered late; owed and overdue; owed, not yet due
    await ResponseObligation.create(petition=a, body_id=ministry.id, deadline=now,
                                    responded_at=now - timedelta(days=20))  # fmt: skip
    await ResponseObligation.filter(petition_id=a.id).update(created_at=now - timedelta(days=30))
    late = await ResponseObligation.create(petition=b, body_id=ministry.id,
                                           deadline=now - timedelta(days=5), responded_at=now)  # fmt: skip
    await ResponseObligation.filter(id=late.id).update(created_at=now - timedelta(days=40))
    await ResponseObligation.create(petition=c, body_id=ministry.id,
                                    deadline=now - timedelta(days=1))  # fmt: skip
    await ResponseObligation.create(petition=d, body_id=city.id, deadline=now + timedelta(days=9))
    figures = await summary.body_figures(now=now)
    m = figures[ministry.id]
    assert (m.petitions, m.open, m.closed, m.signatures) == (3, 2, 1, 22)
    assert (m.owed, m.answered, m.answered_late, m.overdue) == (3, 2, 1, 1)
    assert m.mean_days_to_answer == 25.0
    cf = figures[city.id]
    assert (cf.petitions, cf.owed, cf.answered, cf.overdue, cf.mean_days_to_answer) == (
        1, 1, 0, 0, None,
    )  # fmt: skip
    assert list(await summary.body_figures([city.id], now=now)) == [city.id]
