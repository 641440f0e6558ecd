"""The pages and the JSON of responses and commitments, in English and Persian: the states
(due, overdue, answered late) as sentences, the consultation, section and petition pages
showing what answers them, following a commitment, and refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from participation.accountability import queries, services
from participation.accountability.models import CommitmentStatus
from participation.models import OutboxJob
from tests.conftest import login, post_form
from tests.factories import make_user
from tests.participation.accountability.conftest import World, answers

DAY = timedelta(days=1)


async def _respond(world: World, late_days: int = 0) -> tuple[int, int]:
    due = world.closed_at + 30 * DAY
    r = await services.publish_response(
        world.publisher, "consultation", world.consultation.id, locale="en",
        summary="We will build bike lanes.", parts=answers(world), now=due + late_days * DAY,
    )  # fmt: skip
    await services.translate_response(world.publisher, r, locale="fa", summary="مسیر دوچرخه می‌سازیم.",
                                      parts={})  # fmt: skip
    s1 = world.sections[0]
    c = await services.create_commitment(
        world.publisher, r, locale="en", title="Paint the bike lanes", description="All of them.",
        due_on=(due + 90 * DAY).date(), part_keys=[f"section:{s1.id}"],
    )  # fmt: skip
    return r.id, c.id


async def _get(client: httpx.AsyncClient, url: str, lang: str = "en") -> httpx.Response:
    return await client.get(url, params={"lang": lang})


async def test_pages_show_late_due_and_overdue_in_english_and_persian(
    world: World, client: httpx.AsyncClient
) -> None:
    # an overdue consultation (not answered) and a responded one, three days late
    rid, cid = await _respond(world, late_days=3)
    r = await _get(client, f"/accountability/responses/{rid}")
    assert r.status_code == 200
    assert "answered 3 days late" in r.text and "Paint the bike lanes" in r.text
    assert "version 3 of the report" in r.text and "120 people took part" in r.text
    fa = await _get(client, f"/accountability/responses/{rid}", "fa")
    assert fa.status_code == 200 and "۳" in fa.text and "answered 3 days late" not in fa.text
    assert "مسیر دوچرخه می‌سازیم." in fa.text
    # the consultation and its section show what answers them
    page = await _get(client, f"/consultations/{world.consultation.slug}")
    assert "answered 3 days late" in page.text and f"/accountability/responses/{rid}" in page.text
    section = await _get(client, f"/consultations/{world.consultation.slug}/sections/1")
    assert "Paint the bike lanes" in section.text and "It works as it is." in section.text
    commitment = await _get(client, f"/accountability/commitments/{cid}")
    assert commitment.status_code == 200 and "Commitment made." in commitment.text


async def test_the_overdue_list_and_a_due_consultation(
    world: World, client: httpx.AsyncClient
) -> None:
    from tests.factories import make_consultation

    late = await make_consultation(world.body, status="closed")
    await services.record_obligations()
    r = await _get(client, "/accountability/overdue")
    assert r.status_code == 200
    # made by the factory a day ago: due in 29 days, not overdue; the world's is long overdue
    assert world.consultation.tr("title").text in r.text
    assert late.tr("title").text not in r.text and "overdue by" in r.text
    due = await _get(client, f"/consultations/{late.slug}")
    assert "due in 29 days" in due.text or "due in 30 days" in due.text
    fa = await _get(client, "/accountability/overdue", "fa")
    assert fa.status_code == 200 and "overdue by" not in fa.text


async def test_publishing_through_the_form(world: World, client: httpx.AsyncClient) -> None:
    publisher = await world.publisher.user.__class__.get(id=world.publisher.id)  # type: ignore[union-attr]
    await login(client, publisher.email)
    url = f"/accountability/respond/consultation/{world.consultation.id}"
    page = await client.get(url)
    assert page.status_code == 200 and "Decision" in page.text
    data = {"locale": "en", "summary": "We did it."}
    for key in answers(world):
        data[f"decision_{key.replace(':', '_')}"] = "kept"
    missing = await post_form(client, url, {**data, "summary": ""}, page=url)
    assert missing.status_code == 400 and "This field is required." in missing.text
    done = await post_form(client, url, data, page=url)
    assert done.status_code == 303
    assert await queries.response_for("consultation", world.consultation.id) is not None


async def test_refusals_over_http(world: World, client: httpx.AsyncClient) -> None:
    rid, cid = await _respond(world)
    citizen = await make_user()
    await login(client, citizen.email)
    url = f"/accountability/commitments/{cid}/update"
    r = await post_form(client, url, {"locale": "en", "status": "done", "progress": "100"},
                        page=f"/accountability/commitments/{cid}")  # fmt: skip
    assert r.status_code == 403
    r = await client.get(f"/accountability/respond/consultation/{world.consultation.id}")
    assert r.status_code == 403
    assert (await client.get("/accountability/responses/99999999999999")).status_code == 404
    # following works for any signed-in person, and updates are mailed to followers
    r = await post_form(client, f"/accountability/commitments/{cid}/follow",
                        page=f"/accountability/commitments/{cid}")  # fmt: skip
    assert r.status_code == 303
    assert await queries.is_following(cid, citizen.id)
    c = await queries.commitment(cid)
    assert c is not None
    await services.update_commitment(world.publisher, c, status=CommitmentStatus.IN_PROGRESS,
                                     progress=30, text="Started.", locale="en")  # fmt: skip
    mails = await OutboxJob.filter(name="send_email").order_by("id")
    assert any(m.kwargs["template"] == "accountability-commitment-update"
               and m.kwargs["to_user_id"] == citizen.id for m in mails)  # fmt: skip


async def test_the_json_has_no_personal_data(world: World, client: httpx.AsyncClient) -> None:
    rid, cid = await _respond(world)
    r = await client.get("/api/v1/responses")
    assert r.status_code == 200
    items = r.json()["items"]
    assert [i["id"] for i in items] == [rid]
    assert items[0]["body"]["name"] == "Ministry of Roads"
    assert items[0]["deadline"]["state"] == "on_time"
    one = (await client.get(f"/api/v1/responses/{rid}")).json()
    assert one["report"]["version"] == 3 and one["commitments"] == [cid]
    assert [p["decision"] for p in one["parts"]] == ["changed", "kept", "kept"]
    c = (await client.get(f"/api/v1/commitments/{cid}")).json()
    assert c["status"] == "planned" and c["history"][0]["kind"] == "created"
    text = r.text + str(one) + str(c)
    user = await world.publisher.user.__class__.get(id=world.publisher.id)  # type: ignore[union-attr]
    assert user.email not in text and user.display_name not in text
    assert "published_by" not in text and "actor" not in text
    page = (await client.get("/api/v1/commitments", params={"limit": 1})).json()
    assert page["next_cursor"] is None and len(page["items"]) == 1
    assert (await client.get("/api/v1/responses/0")).status_code == 404
    # the answers owed, by state: this one is answered; another closed one is due
    from tests.factories import make_consultation

    due = await make_consultation(world.body, status="closed")
    await services.record_obligations()
    owed = (await client.get("/api/v1/obligations", params={"state": "due"})).json()["items"]
    assert [(o["target_id"], o["deadline"]["state"]) for o in owed] == [(due.id, "due")]
    assert owed[0]["url"].endswith(f"/consultations/{due.slug}")
    answered = (await client.get("/api/v1/obligations?state=answered")).json()["items"]
    assert [o["response_id"] for o in answered] == [rid]
    assert (await client.get("/api/v1/obligations?state=late")).status_code == 400
    assert datetime.now(UTC)  # the clock of the page is the real one
