"""The report page, its build button and its JSON: who sees what, in every language."""

from __future__ import annotations

import re
from typing import Any

import httpx

from consultations import report
from consultations.models import Consultation, Status
from participation.comments.models import Stance
from participation.organisations.models import Role
from participation.reports.models import ReportSnapshot, ReportStatus
from tests.conftest import csrf_token, login, post_form
from tests.consultations.test_report import comment, planted
from tests.factories import make_official, make_user


async def _closed_with_report() -> dict[str, Any]:
    w = await planted()
    await Consultation.filter(id=w["c"].id).update(status=Status.CLOSED)
    await report.request(w["c"].id, "closed")
    return w


async def test_everyone_reads_a_closed_consultations_report_in_every_language(
    client: httpx.AsyncClient,
) -> None:
    w = await _closed_with_report()
    url = f"/consultations/{w['c'].slug}/report"
    r = await client.get(url + "?lang=en")
    assert r.status_code == 200
    assert "<script" not in r.text.split("<main", 1)[-1]
    assert r.text.count("<svg") >= 4 and r.text.count("<table") >= 4
    assert "Most supported comments" in r.text and "liked" in r.text
    assert "By post" in r.text and "on paper or in person" in r.text
    # six voters on two comments: too few to tell opinion groups apart, and said so
    assert "Too few people voted on enough comments to find opinion groups." in r.text
    assert "spam" not in r.text.split("Most supported")[1].split("Moderation")[0]
    for lang, digit in (("fa", "۶"), ("ar", "٦"), ("fr", "6")):
        r = await client.get(f"{url}?lang={lang}")
        assert r.status_code == 200, lang
        people = re.search(r"<dd>([^<]+)</dd>", r.text)
        assert people is not None and people.group(1) == digit, lang
        if lang in ("fa", "ar"):
            assert 'dir="rtl"' in r.text and 'direction="rtl"' in r.text
    j = await client.get(f"/api/v1/consultations/{w['c'].slug}/report")
    assert j.status_code == 200
    body = j.json()
    assert body["version"] == 1 and body["data"]["participation"]["people"] == 6
    assert "author" not in str(body["data"]["supported"])


async def test_an_open_consultations_report_is_for_its_officials_who_build_it_on_demand(
    client: httpx.AsyncClient,
) -> None:
    w = await planted()
    slug = w["c"].slug
    url = f"/consultations/{slug}/report"
    assert (await client.get(url)).status_code == 404
    assert (await client.get(f"/api/v1/consultations/{slug}/report")).status_code == 404
    official = await make_official(w["body"], Role.EDITOR)
    await login(client, official.email)
    r = await client.get(url)
    assert r.status_code == 200 and "No report has been built yet." in r.text
    assert "Build a fresh report now" in r.text
    # without the form's token the request is refused and nothing is built
    refused = await client.post(url, data={})
    assert refused.status_code == 403
    assert await ReportSnapshot.filter(target_id=w["c"].id).count() == 0
    r = await post_form(client, url, page=url)
    assert r.status_code == 303
    page = await client.get(url)
    assert "Version 1 is ready." in page.text and "Who took part" in page.text
    # new comments arrive; a second build is version 2, the page shows it
    await comment("section", (await w["c"].sections.all())[0].id, stance=Stance.FOR,
                  author=await make_user(), text="late")  # fmt: skip
    await post_form(client, url, page=url)
    snaps = await ReportSnapshot.filter(target_id=w["c"].id).order_by("version")
    assert [(s.version, s.status) for s in snaps] == [
        (1, ReportStatus.DONE),
        (2, ReportStatus.DONE),
    ]
    assert "Version 2 is ready." in (await client.get(url)).text


async def test_officials_see_a_build_in_progress_and_a_failure_with_its_reason(
    client: httpx.AsyncClient,
) -> None:
    w = await planted()
    url = f"/consultations/{w['c'].slug}/report"
    official = await make_official(w["body"], Role.EDITOR)
    await login(client, official.email)
    await ReportSnapshot.create(target_type="consultation", target_id=w["c"].id, version=1,
                                status=ReportStatus.RUNNING, progress=40)  # fmt: skip
    r = await client.get(url)
    assert "Version 1 is being built: 40% done." in r.text
    assert 'http-equiv="refresh"' in r.text and "Build a fresh report now" not in r.text
    await ReportSnapshot.filter(target_id=w["c"].id).update(
        status=ReportStatus.FAILED, reason="the database went away"
    )
    r = await client.get(url + "?lang=en")
    assert "could not be built: the database went away" in r.text
    assert 'http-equiv="refresh"' not in r.text and "Build a fresh report now" in r.text


async def test_other_officials_cannot_build_it(client: httpx.AsyncClient, db: Any) -> None:
    from tests.factories import make_body

    w = await _closed_with_report()
    url = f"/consultations/{w['c'].slug}/report"
    stranger = await make_official(await make_body("city"), Role.PUBLISHER)
    await login(client, stranger.email)
    token = await csrf_token(client, url)
    r = await client.post(url, data={"csrf_token": token})
    assert r.status_code == 403
    assert await ReportSnapshot.filter(target_id=w["c"].id).count() == 1
