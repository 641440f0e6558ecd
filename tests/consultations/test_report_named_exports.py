"""Officials' files with names: comments, questionnaire answers and paper submissions of
their own consultations, streamed now or built by a job, every download audited; nobody
else gets them, and the public files keep holding no names."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest

from consultations import report
from consultations.models import AnswerSet, Consultation, Status
from participation.accounts.models import User
from participation.audit.models import AuditEvent
from participation.organisations.models import Role
from participation.reports import services as report_services
from participation.reports.models import ReportExport, ReportStatus
from participation.storage import LocalStorage
from tests.conftest import login, post_form
from tests.consultations.test_report import planted
from tests.factories import make_body, make_official


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


async def _named(w: dict[str, Any]) -> dict[str, str]:
    """Give the planted people names to look for."""
    names = {}
    for n, person in enumerate(w["people"]):
        name = f"Person Number{n}"
        await User.filter(id=person.id).update(display_name=name)
        names[person.id] = name
    return names


async def test_officials_download_comments_answers_and_paper_with_names_and_it_is_audited(
    client: httpx.AsyncClient,
) -> None:
    w = await planted()
    names = await _named(w)
    slug = w["c"].slug
    official = await make_official(w["body"], Role.EDITOR)
    await login(client, official.email)
    page = await client.get(f"/consultations/{slug}/report/exports")
    assert page.status_code == 200 and "audit log" in page.text
    r = await client.get(f"/consultations/{slug}/report/exports/comments.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = _csv(r.text)
    by_text = {x["text"]: x for x in rows}
    assert by_text["liked"]["author"] == names[w["people"][0].id]
    assert by_text["paper"]["author"] == "Post" and by_text["paper"]["channel"] == "post"
    # hidden and held comments are in the officials' file, marked
    assert by_text["spam"]["moderation"] == "hidden" and by_text["held"]["moderation"] == "pending"
    assert len(rows) == 8
    answers = (await client.get(f"/consultations/{slug}/report/exports/answers.json")).json()
    assert sorted(a["author"] for a in answers if a["author"]) == sorted(
        names[p.id] for p in w["people"][:3]
    )
    assert {"q1", "q2", "q3"} <= set(answers[0])
    paper = _csv((await client.get(f"/consultations/{slug}/report/exports/paper.csv")).text)
    assert [(x["kind"], x["text"]) for x in paper if x["kind"] == "comment"] == [
        ("comment", "paper")
    ]
    events = await AuditEvent.filter(action="report.export", target_id=str(w["c"].id))
    assert sorted((e.data["kind"], e.data["format"]) for e in events) == [
        ("answers", "json"), ("comments", "csv"), ("paper", "csv"),
    ]  # fmt: skip
    assert {e.actor_id for e in events} == {official.id}
    # the public file of the same consultation, once closed, names nobody
    await Consultation.filter(id=w["c"].id).update(status=Status.CLOSED)
    public = (await client.get(f"/consultations/{slug}/report/comments.csv")).text
    assert not any(name in public for name in names.values())
    assert "author" not in public.splitlines()[0]


async def test_nobody_else_gets_the_files_with_names(client: httpx.AsyncClient) -> None:
    w = await planted()
    slug = w["c"].slug
    url = f"/consultations/{slug}/report/exports"
    r = await client.get(url + "/comments.csv")
    assert r.status_code in (302, 303) and "/account/login" in r.headers["location"]
    stranger = await make_official(await make_body("city"), Role.PUBLISHER)
    await login(client, stranger.email)
    for path in ("", "/comments.csv", "/answers.json", "/paper.csv"):
        assert (await client.get(url + path)).status_code == 403, path
    refused = await post_form(client, url, {"kind": "comments", "fmt": "csv"}, page="/")
    assert refused.status_code == 403
    assert await ReportExport.all().count() == 0
    assert not await AuditEvent.filter(action__startswith="report.export").exists()


async def test_a_large_file_is_prepared_by_a_job_and_offered_when_ready(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await planted()
    names = await _named(w)
    slug = w["c"].slug
    url = f"/consultations/{slug}/report/exports"
    monkeypatch.setattr(report, "DIRECT_MAX", 3)
    monkeypatch.setattr(report_services, "PART_BYTES", 200)  # several parts
    official = await make_official(w["body"], Role.EDITOR)
    await login(client, official.email)
    r = await client.get(url + "/comments.csv")
    assert r.status_code == 303  # too large for now: back to the page, which says so
    page = await client.get(url)
    assert "prepare the file" in page.text.lower()
    assert not await AuditEvent.filter(action="report.export").exists()
    r = await post_form(client, url, {"kind": "comments", "fmt": "json"}, page=url)
    assert r.status_code == 303
    (row,) = await ReportExport.all()
    assert row.status == ReportStatus.DONE and row.rows == 8 and len(row.parts) > 1
    assert await AuditEvent.filter(action="report.export_request", actor_id=official.id).exists()
    page = await client.get(url)
    link = f"{url}/{row.id}"
    assert link in page.text
    got = (await client.get(link)).json()
    assert len(got) == 8 and names[w["people"][0].id] in {x["author"] for x in got}
    assert await AuditEvent.filter(action="report.export", actor_id=official.id).count() == 1
    # a bad choice is a 400 with the form, not a build
    bad = await post_form(client, url, {"kind": "votes", "fmt": "csv"}, page=url)
    assert bad.status_code == 400 and await ReportExport.all().count() == 1
    assert (await client.get(f"{url}/{row.id + 1}")).status_code == 404


async def test_a_build_left_running_by_a_killed_worker_is_built_again_whole(
    db: Any, tmp_path: Any
) -> None:
    w = await planted()
    storage = LocalStorage(tmp_path)
    stale = storage.save("export-stale.csv", b"half a file")
    row = await ReportExport.create(target_type="consultation", target_id=w["c"].id,
                                    kind="answers", fmt="csv", status=ReportStatus.RUNNING,
                                    parts=[stale])  # fmt: skip
    assert await report.build_export(row.id, storage) == "done"
    row = await ReportExport.get(id=row.id)
    assert stale not in row.parts and not (tmp_path / stale).exists()
    body = b"".join([storage.open(k) for k in row.parts]).decode()
    assert len(_csv(body)) == row.rows == await AnswerSet.filter(consultation_id=w["c"].id).count()
    assert await report.build_export(row.id, storage) == "skipped"  # done: left alone
