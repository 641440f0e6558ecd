"""The public export of petitions' signature counts by region (and by day), CSV and JSON,
streamed: counted signatures only (not pending, suspect, invalidated or not yet counted),
published petitions only, never a signer's name, e-mail or address; the same bytes from
PostgreSQL's COPY as from Python."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from participation.moderation.models import HiddenKind, ModerationState
from petitions import exports
from petitions.models import PetitionStatus, Signature
from tests.factories import make_body
from tests.petitions.conftest import add_signatures, make_petition

DAY1 = datetime(2026, 3, 1, 9, tzinfo=UTC)
API = "/api/v1/petitions"


def _csv(r: httpx.Response) -> list[dict[str, str]]:
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))


async def _world() -> dict[str, Any]:
    body = await make_body("ministry")
    p = await make_petition(body)
    signed = await add_signatures(p, 3, region="tehran", at=DAY1)
    signed += await add_signatures(p, 2, region="isfahan", at=DAY1 + timedelta(days=1))
    signed += await add_signatures(p, 1, region="tehran", at=DAY1 + timedelta(days=1))
    signed += await add_signatures(p, 1, region="", at=DAY1)
    await Signature.filter(petition_id=p.id).update(counted=True)
    await add_signatures(p, 1, confirmed=False)  # pending
    await add_signatures(p, 1, region="gilan", at=DAY1)  # confirmed, not yet counted
    suspect = await add_signatures(p, 1, region="fars", at=DAY1)
    void = await add_signatures(p, 1, region="fars", at=DAY1)
    await Signature.filter(id=suspect[0].id).update(suspect=True, counted=True)
    await Signature.filter(id=void[0].id).update(invalidation_id=1, counted=True)
    closed = await make_petition(body, status=PetitionStatus.CLOSED)
    await add_signatures(closed, 2, region="kerman", at=DAY1)
    draft = await make_petition(body, status=PetitionStatus.MODERATION)
    await add_signatures(draft, 2, region="kerman", at=DAY1)
    hidden = await make_petition(body)
    await add_signatures(hidden, 2, region="kerman", at=DAY1)
    await Signature.filter(petition_id__in=[closed.id, draft.id, hidden.id]).update(counted=True)
    await ModerationState.create(target_type="petition", target_id=hidden.id, hidden_at=DAY1,
                                 hidden_kind=HiddenKind.MODERATOR)  # fmt: skip
    emails = [s.email for s in await Signature.all()]
    return {"p": p, "closed": closed, "draft": draft, "hidden": hidden, "emails": emails}


async def test_counts_by_region_hold_counted_signatures_of_published_petitions_only(
    client: httpx.AsyncClient,
) -> None:
    w = await _world()
    p, closed = w["p"].id, w["closed"].id
    rows = _csv(await client.get(f"{API}/signatures.csv"))
    assert [(r["petition"], r["region"], r["signatures"]) for r in rows] == [
        (str(p), "", "1"), (str(p), "isfahan", "2"), (str(p), "tehran", "4"),
        (str(closed), "kerman", "2"),
    ]  # fmt: skip
    assert list(rows[0]) == list(exports.COLUMNS)
    r = await client.get(f"{API}/signatures.json")
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == [
        {"petition": p, "region": "", "signatures": 1},
        {"petition": p, "region": "isfahan", "signatures": 2},
        {"petition": p, "region": "tehran", "signatures": 4},
        {"petition": closed, "region": "kerman", "signatures": 2},
    ]
    # open data: readable from any site; streamed, so without an ETag
    assert r.headers["access-control-allow-origin"] == "*" and "etag" not in r.headers
    by_day = (await client.get(f"{API}/{p}/signatures.json", params={"by": "day"})).json()
    assert by_day == [
        {"petition": p, "region": "", "day": "2026-03-01", "signatures": 1},
        {"petition": p, "region": "isfahan", "day": "2026-03-02", "signatures": 2},
        {"petition": p, "region": "tehran", "day": "2026-03-01", "signatures": 3},
        {"petition": p, "region": "tehran", "day": "2026-03-02", "signatures": 1},
    ]
    day_rows = _csv(await client.get(f"{API}/{p}/signatures.csv?by=day"))
    assert [list(r.values()) for r in day_rows] == [
        [str(o["petition"]), o["region"], o["day"], str(o["signatures"])] for o in by_day
    ]
    every = b""
    for path in ("signatures.csv", "signatures.json", f"{p}/signatures.csv?by=day"):
        every += (await client.get(f"{API}/{path}")).content
    assert not any(e.encode() in every for e in w["emails"])
    assert b"Signer" not in every and b"10." not in every
    page = (await client.get(f"/petitions/{p}")).text  # the petition's page links its files
    assert f"{API}/{p}/signatures.csv" in page and f"{API}/{p}/signatures.json" in page


async def test_an_unpublished_or_hidden_petition_is_not_found_and_bad_input_is_a_400(
    client: httpx.AsyncClient,
) -> None:
    w = await _world()
    for p in (w["draft"], w["hidden"]):
        for fmt in ("csv", "json"):
            assert (await client.get(f"{API}/{p.id}/signatures.{fmt}")).status_code == 404
    assert (await client.get(f"{API}/999999/signatures.csv")).status_code == 404
    assert (await client.get(f"{API}/signatures.csv?by=week")).status_code == 400
    assert _csv(await client.get(f"{API}/{w['closed'].id}/signatures.csv"))[0]["region"] == "kerman"


async def test_the_database_and_python_write_the_same_file(db: Any) -> None:
    w = await _world()
    for pid in (None, w["p"].id):
        for fmt in ("csv", "json"):
            for by_day in (False, True):
                database = b"".join(
                    [c async for c in exports.signature_counts(pid, fmt, by_day=by_day)]
                )
                python = b"".join([c async for c in exports.python_export(pid, fmt, by_day=by_day)])
                assert database == python, (pid, fmt, by_day)
