"""Streamed public exports of a consultation's comments: no personal data, every batch."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest

from consultations import report
from consultations.models import Consultation, Section, Status
from participation.comments.models import Stance
from tests.consultations.test_report import comment, planted
from tests.factories import make_body, make_consultation, make_user


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


async def test_the_exports_hold_the_visible_comments_and_no_personal_data(
    client: httpx.AsyncClient,
) -> None:
    w = await planted()
    base = f"/consultations/{w['c'].slug}/report/comments"
    assert (await client.get(base + ".csv")).status_code == 404  # open: officials only
    await Consultation.filter(id=w["c"].id).update(status=Status.CLOSED)
    r = await client.get(base + ".csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = _csv(r.text)
    texts = sorted(x["text"] for x in rows)
    assert texts == ["a comment", "a comment", "a reply", "liked", "paper", "split"]
    assert list(rows[0]) == list(report.EXPORT_COLUMNS)
    j = (await client.get(base + ".json")).json()
    assert [str(x["id"]) for x in j] == [x["id"] for x in rows]
    assert [x["text"] for x in j] == [x["text"] for x in rows]
    for person in w["people"]:
        assert person.email not in r.text and str(person.email) not in str(j)
    assert (await client.get(base + ".xml")).status_code == 404


async def test_many_batches_come_back_whole(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report, "EXPORT_BATCH", 7)
    c = await make_consultation(await make_body("ministry"), status="closed", sections=2)
    s1, s2 = await Section.filter(consultation_id=c.id).order_by("position")
    author = await make_user()
    made = []
    for n in range(30):
        target = s1 if n % 2 else s2
        made.append(await comment("section", target.id, stance=Stance.FOR, author=author,
                                  text=f"«{n}», \"quoted\"\nnext line"))  # fmt: skip
    r = await client.get(f"/consultations/{c.slug}/report/comments.csv")
    rows = _csv(r.text)
    assert sorted(int(x["id"]) for x in rows) == sorted(m.id for m in made)
    assert {x["text"] for x in rows} == {m.body_raw for m in made}
    j = (await client.get(f"/consultations/{c.slug}/report/comments.json")).json()
    assert len(j) == 30 and {x["section"] for x in j} == {1, 2}


async def test_csv_and_json_writers_on_an_empty_consultation(client: Any) -> None:
    c = await make_consultation(await make_body("ministry"), status="closed", sections=0)
    r = await client.get(f"/consultations/{c.slug}/report/comments.csv")
    assert _csv(r.text) == []
    assert (await client.get(f"/consultations/{c.slug}/report/comments.json")).json() == []
