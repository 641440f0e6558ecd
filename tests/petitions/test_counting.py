"""The counter job, thresholds, the nightly recount, count.json, and the rate rules."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import pytest

from petitions import counting, tasks
from petitions.models import Petition, ResponseObligation, Signature
from petitions.signing import NewSignature, insert_signature
from tests.factories import make_body, make_user, sent_mails
from tests.petitions.conftest import add_signatures, make_petition


async def test_counter_adds_confirmed_signatures_once_by_region(db):
    p = await make_petition(await make_body())
    await add_signatures(p, 3, region="fars")
    await add_signatures(p, 2, region="gilan")
    await add_signatures(p, 4, confirmed=False)
    await counting.count_signatures()
    await counting.count_signatures()
    p = await Petition.get(id=p.id)
    assert p.signature_count == 5
    assert p.region_counts == {"fars": 3, "gilan": 2}


async def test_count_json_is_cached_for_the_counting_interval(client):
    p = await make_petition(await make_body())
    await add_signatures(p, 2)
    await counting.count_signatures()
    r = await client.get(f"/petitions/{p.id}/count.json")
    assert r.status_code == 200
    assert r.json()["count"] == 2
    assert r.headers["cache-control"] == f"public, max-age={counting.COUNT_INTERVAL_SECONDS}"
    # no signer's address or network (the time it was counted may well contain "10.")
    assert "email" not in r.text and not re.search(r"\b\d{1,3}(\.\d{1,3}){3}\b", r.text)


async def test_more_than_one_signature_a_minute_from_one_ip_is_suspect(db):
    p = await make_petition(await make_body())
    start = datetime.now(UTC) - timedelta(hours=1)
    first = await add_signatures(p, 2, ip="198.51.100.7", at=start, spacing=timedelta(seconds=30))
    steady = await add_signatures(p, 6, ip="198.51.100.8", at=start, spacing=timedelta(seconds=60))
    await add_signatures(p, 3)  # each from its own address
    result = await counting.count_signatures()
    suspects = set(
        await Signature.filter(petition_id=p.id, suspect=True).values_list("id", flat=True)
    )
    later_of_pair = max(s.id for s in first)
    sixth_in_five_minutes = max(s.id for s in steady)
    assert suspects == {later_of_pair, sixth_in_five_minutes}
    assert result.suspects == 2
    # kept, but not counted until a moderator decides
    assert await Signature.filter(petition_id=p.id).count() == 11
    assert (await Petition.get(id=p.id)).signature_count == 9


async def test_rate_rules_mark_later_signatures_only(db):
    t = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [{"id": i, "petition_id": 1, "ip": "a", "created_at": t + timedelta(seconds=s)}
            for i, s in enumerate([0, 30, 100, 170, 240, 290, 299, 401])]  # fmt: skip
    # 30 s after 0; 290 is the sixth in five minutes; 299 is 9 s after 290; 401 is clear.
    assert counting.rate_suspects(rows, rows) == {1, 5, 6}


async def test_response_and_debate_thresholds_fire_exactly_once(db, settings):
    body = await make_body(settings={"petition_response_threshold": 3,
                                     "petition_debate_threshold": 5})  # fmt: skip
    p = await make_petition(body)
    await add_signatures(p, 3, opt_in=True)
    await counting.count_signatures()
    p = await Petition.get(id=p.id)
    assert p.response_threshold_at is not None and p.debate_threshold_at is None
    obligation = await ResponseObligation.get(petition_id=p.id)
    assert obligation.deadline.date() == (p.response_threshold_at + timedelta(days=90)).date()
    assert len(sent_mails(settings)) == 3 + 1  # the opted-in signers and the creator
    await add_signatures(p, 3, opt_in=True)
    await counting.count_signatures()
    await counting.recount_all()
    await counting.count_signatures()
    p = await Petition.get(id=p.id)
    assert p.debate_threshold_at is not None
    assert await ResponseObligation.filter(petition_id=p.id).count() == 1
    subjects = [m["Subject"] for m in sent_mails(settings)]
    assert subjects.count("A petition you signed will get a response") == 3
    assert subjects.count("A petition you signed can be debated") == 6
    assert subjects.count("Your petition has enough signatures for a response") == 1
    assert subjects.count("Your petition can now be debated") == 1


async def test_nightly_recount_fixes_a_planted_drift(db, caplog):
    p = await make_petition(await make_body())
    await add_signatures(p, 4)
    await counting.count_signatures()
    await Petition.filter(id=p.id).update(signature_count=40, region_counts={"tehran": 40})
    drift = await counting.recount_all()
    assert drift == {p.id: 36}
    assert (await Petition.get(id=p.id)).signature_count == 4
    assert "drifted by +36" in caplog.text


@pytest.mark.postgres
async def test_counts_equal_confirmed_rows_under_concurrent_signing(db):
    p = await make_petition(await make_body())

    async def sign(i: int) -> bool:
        return await insert_signature(NewSignature(
            petition_id=p.id, name=f"S{i}", email=f"s{i}@example.net", region="fars",
            opt_in=False, ip=f"10.1.{i // 250}.{i % 250}", locale="en", confirmed=True,
        ))  # fmt: skip

    async def count_while_signing() -> None:
        for _ in range(20):
            await counting.count_signatures()
            await asyncio.sleep(0)

    results = await asyncio.gather(*(sign(i) for i in range(300)), count_while_signing())
    assert all(results[:300])
    await counting.count_signatures()
    confirmed = await Signature.filter(petition_id=p.id, status="confirmed").count()
    assert confirmed == 300
    assert (await Petition.get(id=p.id)).signature_count == confirmed


@pytest.mark.postgres
async def test_two_concurrent_counters_count_each_row_once(db):
    p = await make_petition(await make_body())
    await add_signatures(p, 500)
    results = await asyncio.gather(counting.count_signatures(), counting.count_signatures())
    assert (
        sorted(r.locked for r in results) == [False, True] or sum(r.added for r in results) == 500
    )
    assert sum(r.added for r in results) == 500
    assert (await Petition.get(id=p.id)).signature_count == 500
    assert await Signature.filter(petition_id=p.id, counted=False).count() == 0


async def test_signers_are_told_in_batches_and_only_if_they_opted_in(db, settings, monkeypatch):
    monkeypatch.setattr(counting, "NOTIFY_BATCH", 2)
    body = await make_body(settings={"petition_response_threshold": 5})
    creator = await make_user()
    p = await make_petition(body, creator=creator)
    await add_signatures(p, 5, opt_in=True)
    await add_signatures(p, 2, opt_in=False)
    await counting.count_signatures()
    told = sorted(m["To"] for m in sent_mails(settings) if m["To"] != creator.email)
    opted = sorted(
        await Signature.filter(petition_id=p.id, opt_in=True).values_list("email", flat=True)
    )
    assert told == opted


async def test_scheduling_a_debate_tells_opted_in_signers(client, settings):
    from participation.organisations.models import Role
    from tests.conftest import login, post_form
    from tests.factories import make_official

    body = await make_body(settings={"petition_debate_threshold": 2})
    p = await make_petition(body)
    await add_signatures(p, 2, opt_in=True)
    await counting.count_signatures()
    official = await make_official(body, Role.EDITOR)
    await login(client, official.email)
    page = await client.get(f"/petitions/{p.id}")
    assert "Schedule the debate" in page.text
    before = len(sent_mails(settings))
    r = await post_form(client, f"/petitions/{p.id}/debate",
                        {"debate_at": "2027-03-01T10:00", "debate_link": "https://example.org/d"})  # fmt: skip
    assert r.status_code == 303
    mails = sent_mails(settings)[before:]
    assert len(mails) == 2 and "debate is scheduled" in mails[0]["Subject"]
    page = await client.get(f"/petitions/{p.id}")
    assert "https://example.org/d" in page.text


async def test_body_page_lists_its_petitions_and_owed_responses(client):
    body = await make_body("city", settings={"petition_response_threshold": 1})
    p = await make_petition(body, title="Open the swimming pools earlier")
    await add_signatures(p, 1)
    await counting.count_signatures()
    page = await client.get("/bodies/city")
    assert "Open the swimming pools earlier" in page.text
    assert "response due by" in page.text


async def test_a_petition_that_cannot_be_counted_does_not_stop_the_others(db, caplog):
    body = await make_body()
    good, bad = await make_petition(body), await make_petition(body)
    await add_signatures(good, 2)
    await add_signatures(bad, 3)
    await Petition.filter(id=bad.id).update(region_counts={"tehran": "many"})  # a broken row
    result = await counting.count_signatures()
    assert (await Petition.get(id=good.id)).signature_count == 2
    assert result.failed == 1 and f"petition {bad.id}" in caplog.text
    assert await Signature.filter(petition_id=bad.id, counted=False).count() == 3
    await Petition.filter(id=bad.id).update(region_counts={})  # repaired: counted next run
    await counting.count_signatures()
    assert (await Petition.get(id=bad.id)).signature_count == 3


async def test_a_mistyped_body_setting_falls_back_to_its_default(client, caplog):
    mistyped = await make_body(settings={"petition_response_threshold": "ten"})
    fine = await make_body(settings={"petition_response_threshold": 2})
    p, q = await make_petition(mistyped), await make_petition(fine)
    await add_signatures(p, 2)
    await add_signatures(q, 2)
    await counting.count_signatures()
    p, q = await Petition.get(id=p.id), await Petition.get(id=q.id)
    assert q.response_threshold_at is not None  # the other bodies' petitions are processed
    assert p.signature_count == 2 and p.response_threshold_at is None  # default: 10,000
    assert "petition_response_threshold" in caplog.text
    page = await client.get(f"/petitions/{p.id}")
    assert page.status_code == 200 and "At 10,000 signatures the body must respond" in page.text
    assert (await client.get(f"/api/v1/petitions/{p.id}")).status_code == 200


async def test_the_periodic_jobs_run_past_a_broken_petition(db, caplog):
    body = await make_body()
    broken, fine = await make_petition(body), await make_petition(body)
    await add_signatures(broken, 2)
    await add_signatures(fine, 2)
    await Petition.filter(id=broken.id).update(region_counts={"tehran": "many"})
    ctx = {"settings": db.state.settings}
    assert await tasks.count_petition_signatures(ctx) == 2  # the fine petition's
    await tasks.recount_petitions(ctx)  # the nightly recount rewrites the row from its rows
    assert await tasks.count_petition_signatures(ctx) == 2  # the broken petition's, at last
    past = datetime.now(UTC) - timedelta(days=1)
    await Petition.filter(id__in=[broken.id, fine.id]).update(closes_at=past)
    assert sorted(await tasks.close_petitions(ctx)) == sorted([broken.id, fine.id])
