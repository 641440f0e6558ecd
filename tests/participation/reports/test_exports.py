"""The public export of a consultation's comments: PostgreSQL writes it itself (COPY), SQLite
through Python; both write the same bytes for the same rows (quotes, commas, line ends,
Persian text, empty values, moments), and 100,000 rows come back whole and equal."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from consultations import report
from consultations.models import Section
from participation.comments.models import Channel, Comment, Stance
from participation.moderation.models import HiddenKind, ModerationState
from participation.reports import exports
from participation.reports.exports import moment, stream_csv, stream_json
from tests.consultations.test_report import comment
from tests.factories import make_body, make_consultation, make_user

WHEN = datetime(2026, 3, 1, 10, 0, 0, 123456, tzinfo=UTC)
TEXTS = [
    'He said "no", then left',
    "one, two; three",
    "first line\nsecond line\r\nthird",
    "  spaces around  ",
    "کامنت فارسی با «گیومه» و ۱۲۳",
    "tab\there \\ backslash \u0007 bell \x01 \x02 controls",
    "emoji 🌍 and 'single' quotes",
    "\\.",
    "",
]


async def _join(stream: Any) -> bytes:
    return b"".join([chunk async for chunk in stream])


def _python(consultation_id: int, fmt: str) -> Any:
    body = stream_csv if fmt == "csv" else stream_json
    return body(report.EXPORT_COLUMNS, report.export_comments(consultation_id))


async def test_the_database_and_python_write_the_same_file(client: httpx.AsyncClient) -> None:
    c = await make_consultation(await make_body("ministry"), status="closed", sections=2)
    s1, s2 = await Section.filter(consultation_id=c.id).order_by("position")
    author = await make_user()
    made = []
    for n, text in enumerate(TEXTS):
        target = ("consultation", c.id) if n == 0 else ("section", (s1 if n % 2 else s2).id)
        made.append(await comment(
            *target, author=author, text=text, when=WHEN + timedelta(minutes=n),
            stance=(Stance.FOR, Stance.AGAINST, Stance.NEUTRAL, None)[n % 4],
            language=("en", "fa", "")[n % 3],
            channel=Channel.POST if n == 4 else Channel.ONLINE,
        ))  # fmt: skip
    await comment("section", s1.id, author=author, parent=made[1], text="a reply")
    await ModerationState.create(target_type="comment", target_id=made[2].id, hidden_at=WHEN,
                                 hidden_kind=HiddenKind.PENDING)  # fmt: skip
    for fmt in ("csv", "json"):
        database = await _join(report.public_comments(c.id, fmt))
        assert database == await _join(_python(c.id, fmt)), fmt
        r = await client.get(f"/consultations/{c.slug}/report/comments.{fmt}")
        assert r.status_code == 200 and r.content == database
    rows = list(csv.DictReader(io.StringIO(database_csv := (
        await _join(report.public_comments(c.id, "csv"))).decode().lstrip("\ufeff"))))  # fmt: skip
    assert "\r\n" not in database_csv.replace("second line\r\nthird", "")
    assert [r["text"] for r in rows] == [t for i, t in enumerate(TEXTS) if i != 2] + ["a reply"]
    assert rows[0]["section"] == "" and rows[1]["section"] == "1" and rows[2]["section"] == "1"
    assert rows[0]["created_at"] == "2026-03-01T10:00:00+00:00"  # to the second, UTC
    assert rows[3]["channel"] == "post" and rows[3]["created_at"] == moment(
        WHEN + timedelta(minutes=4)
    )
    assert [r["parent_id"] for r in rows][-1] == str(made[1].id)
    objects = json.loads(await _join(report.public_comments(c.id, "json")))
    assert [o["text"] for o in objects] == [r["text"] for r in rows]
    assert [o["stance"] for o in objects][:2] == ["for", "against"]
    assert objects[0]["section"] is None and objects[1]["language"] == "fa"


ROWS = 100_000


async def test_a_hundred_thousand_rows_parse_back_equal(client: httpx.AsyncClient) -> None:
    c = await make_consultation(await make_body("ministry"), status="closed", sections=2)
    s1, s2 = await Section.filter(consultation_id=c.id).order_by("position")
    author = await make_user()
    expected: dict[str, dict[str, Any]] = {}
    batch: list[Comment] = []
    for n in range(ROWS):
        text = f'comment {n}: «{n * 7919 % 10007}», "quoted"' + (
            "\nwith a line" if n % 9 == 0 else ""
        )
        section = s1 if n % 2 else s2
        batch.append(Comment(
            target_type="section", target_id=section.id, author_id=author.id,
            stance=(Stance.FOR, Stance.AGAINST, None)[n % 3], body_raw=text, body_html=text,
            language="fa" if n % 5 == 0 else "en", channel=Channel.ONLINE, up_count=n % 11,
            down_count=n % 4, created_at=WHEN + timedelta(seconds=n), depth=0,
            text_hash=hashlib.sha256(text.encode()).hexdigest(),
        ))  # fmt: skip
        expected[text] = {
            "section": str(section.position), "up": str(n % 11), "down": str(n % 4),
            "stance": ("for", "against", "")[n % 3], "language": "fa" if n % 5 == 0 else "en",
            "created_at": moment(WHEN + timedelta(seconds=n)),
        }  # fmt: skip
        if len(batch) == 5000:
            await Comment.bulk_create(batch)
            batch = []
    base = f"/consultations/{c.slug}/report/comments"
    r = await client.get(base + ".csv")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert len(rows) == ROWS
    ids = [int(x["id"]) for x in rows]
    assert len(set(ids)) == ROWS
    got = {x["text"]: {k: x[k] for k in ("section", "up", "down", "stance", "language",
                                          "created_at")} for x in rows}  # fmt: skip
    assert got == expected
    objects = (await client.get(base + ".json")).json()
    assert len(objects) == ROWS
    assert [o["id"] for o in objects] == ids
    assert [o["text"] for o in objects] == [x["text"] for x in rows]
    assert all(o["created_at"] == expected[o["text"]]["created_at"] for o in objects)


async def test_a_download_stopped_early_gives_its_connection_back(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader that goes away after the first chunk stops the COPY and returns its pooled
    connection: twenty abandoned downloads later (more than the pool holds), a whole one
    still comes, the same as Python writes it."""
    monkeypatch.setattr(exports, "CHUNK", 512)
    monkeypatch.setattr(exports, "QUEUED", 1)
    c = await make_consultation(await make_body("ministry"), status="closed", sections=1)
    (s1,) = await Section.filter(consultation_id=c.id)
    author = await make_user()
    await Comment.bulk_create([
        Comment(target_type="section", target_id=s1.id, author_id=author.id, body_raw=f"c{n}",
                body_html=f"c{n}", created_at=WHEN, depth=0, text_hash=str(n))
        for n in range(2000)
    ])  # fmt: skip
    for _ in range(20):
        stream = report.public_comments(c.id, "csv")
        first = await stream.__anext__()
        assert first.startswith(b"\xef\xbb\xbfid,")
        await stream.aclose()
    whole = await _join(report.public_comments(c.id, "csv"))
    assert whole == await _join(_python(c.id, "csv"))
    assert whole.count(b"\n") == 2001
