"""Moderators review held signatures wave by wave: each wave shown once with its size, times,
rule and reasons in words and a few minimised samples; one act counts it or removes it,
audited with its reasons and count; the count changes at once."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from participation.audit.models import AuditEvent
from petitions import counting, invalidations, queries
from petitions.models import Invalidation, Petition, Signature, SignatureWave
from tests.conftest import login, post_form
from tests.factories import make_body, make_moderator, make_official
from tests.petitions.conftest import add_signatures, make_petition
from tests.petitions.test_waves import _planted, _row

PERSIAN_DIGITS = re.compile("[۰-۹]")


async def _held_wave(now: datetime) -> tuple[Petition, set[int], set[int]]:
    body = await make_body()
    p = await make_petition(body)
    people, wave, sponsors = await _planted(p, now)
    await counting.count_signatures()
    assert await counting.hold_waves(now) == {p.id: len(wave)}
    return await Petition.get(id=p.id), people | sponsors, wave


async def test_a_wave_is_kept_together_and_shown_with_its_reasons_and_minimised_samples(client):
    now = datetime.now(UTC)
    p, people, wave = await _held_wave(now)
    waves = await SignatureWave.filter(petition_id=p.id)
    assert len(waves) == 1 and waves[0].reasons
    assert set(
        await Signature.filter(wave_id=waves[0].id).values_list("id", flat=True)
    ) == wave  # fmt: skip
    groups = await queries.held_groups(p.id)
    assert [(g.wave.id if g.wave else None, g.count) for g in groups] == [(waves[0].id, len(wave))]
    moderator = await make_moderator(await p.body)
    await login(client, moderator.email)
    page = (await client.get(f"/petitions/{p.id}/signatures")).text
    assert f"Wave {waves[0].id}" in page and f"{len(wave)} signatures" in page
    assert "they arrived too regularly for people" in page or "made by a program" in page
    # samples: the network and the e-mail domain, never the full address or mailbox
    sample = await Signature.filter(wave_id=waves[0].id).order_by("id").first()
    assert sample is not None
    assert "203.0.113.0/24" in page and sample.ip not in page
    assert "example.net" in page and sample.email not in page
    assert page.count('name="decision"') == 2  # one wave, one form per act


async def test_counting_a_wave_is_one_audited_act_and_the_count_moves_at_once(client):
    now = datetime.now(UTC)
    p, people, wave = await _held_wave(now)
    assert p.signature_count == len(people) and p.under_review == len(wave)
    w = await SignatureWave.get(petition_id=p.id)
    moderator = await make_moderator(await p.body)
    await login(client, moderator.email)
    r = await post_form(client, f"/petitions/{p.id}/waves/{w.id}",
                        {"decision": "accept", "upto": str(max(wave))},
                        page=f"/petitions/{p.id}/signatures")  # fmt: skip
    assert r.status_code == 303
    p = await Petition.get(id=p.id)
    assert p.signature_count == len(people) + len(wave) and p.under_review == 0
    event = await AuditEvent.get(action="petition.accept_wave")
    assert event.data["count"] == len(wave) and event.data["reasons"] == w.reasons
    assert event.data["rule"] == w.rule and event.actor_id == moderator.id
    page = (await client.get(f"/petitions/{p.id}/signatures")).text
    assert f"{len(wave)} signatures now count." in page
    assert "No signatures are held for review." in page
    # judged genuine: the rules do not hold them again
    await Petition.filter(id=p.id).update(waves_checked_at=None)
    assert await counting.hold_waves(now) == {}


async def test_removing_a_wave_is_one_audited_act_that_can_be_undone(client):
    now = datetime.now(UTC)
    p, people, wave = await _held_wave(now)
    w = await SignatureWave.get(petition_id=p.id)
    moderator = await make_moderator(await p.body)
    await login(client, moderator.email)
    r = await post_form(client, f"/petitions/{p.id}/waves/{w.id}",
                        {"decision": "remove", "upto": str(max(wave))},
                        page=f"/petitions/{p.id}/signatures")  # fmt: skip
    assert r.status_code == 303
    p = await Petition.get(id=p.id)
    assert p.signature_count == len(people) and p.under_review == 0
    inv = await Invalidation.get(petition_id=p.id)
    assert inv.affected == len(wave) and inv.criteria["wave"] == w.id
    assert await Signature.filter(invalidation_id=inv.id).count() == len(wave)  # kept
    event = await AuditEvent.get(action="petition.remove_wave")
    assert event.data["count"] == len(wave) and event.data["invalidation"] == inv.id
    # undone: held for review again, still one wave
    await invalidations.undo_invalidation(moderator.id, inv.id)
    p = await Petition.get(id=p.id)
    assert p.under_review == len(wave) and p.signature_count == len(people)
    assert [g.count for g in await queries.held_groups(p.id)] == [len(wave)]


async def test_signatures_joining_a_wave_after_the_page_was_shown_are_not_decided_unseen(db):
    now = datetime.now(UTC)
    p, people, wave = await _held_wave(now)
    w = await SignatureWave.get(petition_id=p.id)
    shown = (await queries.held_groups(p.id))[0]
    # the wave goes on: more of the same a minute later, held in the same wave
    later = now + timedelta(minutes=2)
    await Signature.bulk_create([
        _row(p.id, k, f"Qzxkvbt{k}", f"qzxkvbt{k}x@example.net", f"203.0.113.{70 + k}",
             later - timedelta(seconds=100 - 10 * k))
        for k in range(10)
    ])  # fmt: skip
    await counting.count_signatures()
    assert await counting.hold_waves(later) == {p.id: 10}
    assert await SignatureWave.filter(petition_id=p.id).count() == 1
    moderator = await make_moderator(None)
    n = await invalidations.decide_wave(moderator.id, p.id, w.id, invalidations.WaveDecision.ACCEPT,
                                        shown.upto, reason="")  # fmt: skip
    assert n == len(wave)
    p = await Petition.get(id=p.id)
    assert p.under_review == 10 and p.signature_count == len(people) + len(wave)


async def test_the_per_address_rule_s_holds_are_one_group_too(client):
    p = await make_petition(await make_body())
    await add_signatures(p, 4, ip="198.51.100.9", spacing=timedelta(seconds=5))
    await counting.count_signatures()
    assert (await Petition.get(id=p.id)).signature_count == 1
    moderator = await make_moderator(None)
    await login(client, moderator.email)
    page = (await client.get(f"/petitions/{p.id}/signatures")).text
    assert "Held by the per-address rule" in page and "198.51.100.0/24" in page
    upto = (await queries.held_groups(p.id))[0].upto
    r = await post_form(client, f"/petitions/{p.id}/waves/{invalidations.RATE_GROUP}",
                        {"decision": "accept", "upto": str(upto)},
                        page=f"/petitions/{p.id}/signatures")  # fmt: skip
    assert r.status_code == 303
    assert (await Petition.get(id=p.id)).signature_count == 4


async def test_only_moderators_of_the_body_decide_and_bad_input_is_a_clear_4xx(client):
    now = datetime.now(UTC)
    p, _people, wave = await _held_wave(now)
    w = await SignatureWave.get(petition_id=p.id)
    url = f"/petitions/{p.id}/waves/{w.id}"
    data = {"decision": "remove", "upto": str(max(wave))}
    other_body = await make_body()
    for who in (await make_moderator(other_body), await make_official(await p.body)):
        await login(client, who.email)
        r = await post_form(client, url, data, page="/")
        assert r.status_code == 403
        await client.post("/account/logout", data={})
    moderator = await make_moderator(await p.body)
    await login(client, moderator.email)
    r = await post_form(client, url, {"decision": "shred", "upto": "1"}, page="/")
    assert r.status_code == 400 and "count or remove" in r.text
    r = await post_form(client, f"/petitions/{p.id}/waves/{w.id + 1000}", data, page="/")
    assert r.status_code == 404
    r = await client.post(url, data=data)  # no CSRF token
    assert r.status_code == 403
    assert (await Petition.get(id=p.id)).under_review == len(wave)


async def test_the_review_page_in_persian(client):
    now = datetime.now(UTC)
    p, _people, wave = await _held_wave(now)
    moderator = await make_moderator(await p.body)
    await login(client, moderator.email)
    await post_form(client, "/language", {"lang": "fa", "next": "/"})
    page = (await client.get(f"/petitions/{p.id}/signatures")).text
    assert 'lang="fa"' in page and "Wave" not in page and "Signatures held" not in page
    assert "۶۰" in page  # the wave's size in Persian digits


@pytest.mark.postgres
async def test_deciding_a_wave_on_postgres_moves_the_count_at_once(db):
    now = datetime.now(UTC)
    p, people, wave = await _held_wave(now)
    w = await SignatureWave.get(petition_id=p.id)
    moderator = await make_moderator(None)
    n = await invalidations.decide_wave(moderator.id, p.id, w.id, invalidations.WaveDecision.REMOVE,
                                        max(wave), reason="scripted")  # fmt: skip
    assert n == len(wave)
    p = await Petition.get(id=p.id)
    assert p.signature_count == len(people) and p.under_review == 0
    truth = await queries.valid_counts([p.id])
    assert sum(truth[p.id].values()) == p.signature_count
