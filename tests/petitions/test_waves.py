"""Scripted waves in the periodic counting: held as suspect for review, never dropped; the
creator sees them as under review; a moderator's decision sticks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from petitions import counting, invalidations, queries
from petitions.models import Petition, Signature, SignatureStatus
from petitions.signing import canonical_email
from tests.factories import make_body, make_moderator
from tests.petitions.conftest import make_petition

FIRST = ["Sara", "Ali", "Marie", "Jean", "Omid", "Leila", "Paul", "Nina", "Reza", "Claire"]
LAST = ["Ahmadi", "Rezaei", "Dupont", "Martin", "Karimi", "Hosseini", "Durand", "Moradi"]


def _row(petition_id: int, n: int, name: str, email: str, ip: str, at: datetime, **kw) -> Signature:
    return Signature(
        petition_id=petition_id, name=name, email=email, canonical_email=canonical_email(email),
        region="tehran", ip=ip, locale="fa", status=SignatureStatus.CONFIRMED, created_at=at,
        confirmed_at=at, **kw,
    )  # fmt: skip


async def _planted(p: Petition, now: datetime) -> tuple[set[int], set[int], set[int]]:
    """People over two days, a scripted wave in the last quarter of an hour (one /24, made-up
    names and addresses, one every ten seconds), and sponsors behind that same network."""
    rnd = random.Random(7)
    rows = []
    for i in range(300):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        at = now - timedelta(hours=40) + timedelta(seconds=rnd.uniform(0, 39 * 3600))
        ip = f"{rnd.randint(1, 220)}.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}"
        rows.append(
            _row(p.id, i, f"{first} {last}", f"{first}.{last}{i}@gmail.com".lower(), ip, at)
        )
    for k in range(60):
        junk = "".join(rnd.choice("bcdfghjklmnpqrstvwxz") for _ in range(7)) + str(
            rnd.randint(1000, 9999)
        )
        at = now - timedelta(minutes=12) + timedelta(seconds=10 * k)
        rows.append(
            _row(p.id, k, junk.capitalize(), f"{junk}@example.net", f"203.0.113.{k + 1}", at)
        )
    for k in range(3):
        junk = "".join(rnd.choice("bcdfghjklmnpqrstvwxz") for _ in range(7)) + str(
            rnd.randint(1000, 9999)
        )
        at = now - timedelta(minutes=11) + timedelta(seconds=10 * k)
        rows.append(
            _row(p.id, k, junk, f"{junk}@example.org", f"203.0.113.{100 + k}", at, sponsor=True)
        )
    await Signature.bulk_create(rows)
    ids = {
        r["email"]: r["id"] for r in await Signature.filter(petition_id=p.id).values("id", "email")
    }
    wave = {ids[r.email] for r in rows if r.email.endswith("@example.net")}
    sponsors = {ids[r.email] for r in rows if r.sponsor}
    people = set(ids.values()) - wave - sponsors
    return people, wave, sponsors


async def test_a_wave_is_held_for_review_and_people_and_sponsors_are_not(db):
    now = datetime.now(UTC)
    p = await make_petition(await make_body())
    people, wave, sponsors = await _planted(p, now)
    accepted = min(wave)  # a moderator already judged this one genuine
    await Signature.filter(id=accepted).update(reviewed=True)
    await counting.count_signatures()
    assert (await Petition.get(id=p.id)).signature_count == len(people) + len(wave) + 3

    held = await counting.hold_waves(now)

    assert held == {p.id: len(wave) - 1}
    suspect = set(
        await Signature.filter(petition_id=p.id, suspect=True).values_list("id", flat=True)
    )
    assert suspect == wave - {accepted}
    assert not suspect & (people | sponsors)
    # kept, not counted, and shown to the creator as under review
    assert await Signature.filter(petition_id=p.id).count() == len(people) + len(wave) + 3
    p = await Petition.get(id=p.id)
    assert p.signature_count == len(people) + 1 + 3 and p.under_review == len(wave) - 1
    assert (await queries.progress(p.id)).under_review == len(wave) - 1
    # a second run holds nothing more
    assert await counting.hold_waves(now) == {}

    # the moderator counts them after all: the rules do not hold them again
    moderator = await make_moderator(None)
    await invalidations.accept_suspects(moderator.id, p.id, sorted(suspect))
    assert await counting.hold_waves(now) == {}
    assert (await Petition.get(id=p.id)).signature_count == len(people) + len(wave) + 3


async def test_one_petition_failing_the_wave_check_does_not_stop_the_others(db, monkeypatch):
    now = datetime.now(UTC)
    body = await make_body()
    broken, fine = await make_petition(body), await make_petition(body)
    await _planted(broken, now)
    _people, wave, _sponsors = await _planted(fine, now)
    real = counting._hold_waves_of

    async def fails_for_one(petition_id: int, at: datetime) -> int:
        if petition_id == broken.id:
            raise RuntimeError("a row the rules cannot read")
        return await real(petition_id, at)

    monkeypatch.setattr(counting, "_hold_waves_of", fails_for_one)
    assert await counting.hold_waves(now) == {fine.id: len(wave)}


async def test_everyone_sees_how_many_signatures_are_under_review(client):
    now = datetime.now(UTC)
    p = await make_petition(await make_body())
    _people, wave, _sponsors = await _planted(p, now)
    await counting.count_signatures()
    await counting.hold_waves(now)
    page = (await client.get(f"/petitions/{p.id}")).text
    assert f"{len(wave)} more signatures are under review" in page


async def test_the_wave_check_reads_a_petition_again_only_when_it_was_signed_since(db, monkeypatch):
    now = datetime.now(UTC)
    p = await make_petition(await make_body())
    await _planted(p, now)
    await counting.hold_waves(now)
    read: list[int] = []
    real = queries.wave_rows

    async def counted(petition_id, since, limit):
        read.append(petition_id)
        return await real(petition_id, since, limit)

    monkeypatch.setattr(queries, "wave_rows", counted)
    assert await counting.hold_waves(now + timedelta(minutes=1)) == {}
    assert read == []  # nothing new: not read again
    later = now + timedelta(minutes=2)
    await Signature.bulk_create(
        [_row(p.id, 0, "Sara Karimi", "sara.k@gmail.com", "192.0.2.7", later)]
    )
    await counting.hold_waves(later + timedelta(seconds=5))
    assert read == [p.id]
