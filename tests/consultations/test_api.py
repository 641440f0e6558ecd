"""The read-only JSON API: list with filters and cursor, results once closed, OpenAPI."""

from __future__ import annotations

import httpx

from consultations import services
from consultations.models import QuestionKind, Status
from participation.accounts.principal import load_principal
from participation.settings import Settings
from tests.factories import make_body, make_consultation, make_official, make_user


async def test_openapi_documents_the_consultation_paths(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/api/v1/openapi.json")).json()
    for path in ("/api/v1/consultations", "/api/v1/consultations/{slug}",
                 "/api/v1/consultations/{slug}/sections/{number}/comments",
                 "/api/v1/consultations/{slug}/results"):  # fmt: skip
        assert "get" in doc["paths"][path], path
    schemas = doc["components"]["schemas"]
    assert {"ConsultationItemPage", "ConsultationOut", "CommentOutPage", "ResultsOut"} <= set(
        schemas
    )
    # no personal data in any schema
    text = str(schemas).lower()
    assert "email" not in text and "user_id" not in text


async def test_list_filters_and_pages_by_cursor(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", name="Ministry")
    city = await make_body("city", name="City")
    for i in range(3):
        await make_consultation(ministry, slug=f"m{i}", topic="health")
    await make_consultation(city, slug="c-closed", status="closed")
    await make_consultation(city, slug="c-draft", status="draft")
    r = await client.get("/api/v1/consultations", params={"limit": 2})
    assert r.status_code == 200
    page = r.json()
    assert [i["slug"] for i in page["items"]] == ["c-closed", "m2"]
    r = await client.get(
        "/api/v1/consultations", params={"limit": 2, "cursor": page["next_cursor"]}
    )
    assert [i["slug"] for i in r.json()["items"]] == ["m1", "m0"]
    assert r.json()["next_cursor"] is None
    r = await client.get("/api/v1/consultations", params={"body": "city"})
    assert [i["slug"] for i in r.json()["items"]] == ["c-closed"]
    item = r.json()["items"][0]
    assert item["bodies"] == [{"slug": "city", "name": "City"}] and item["status"] == "closed"
    r = await client.get("/api/v1/consultations", params={"status": "open", "topic": "health"})
    assert len(r.json()["items"]) == 3


async def test_results_are_a_409_until_closed_then_counted(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", name="Ministry")
    publisher = await load_principal((await make_official(ministry)).id, None)
    c = await make_consultation(ministry, slug="hours", status="draft")
    q = await services.add_question(
        publisher, c, kind=QuestionKind.SINGLE, required=True, original_locale="en",
        i18n={"en": {"text": "Friday?"}, "fa": {"text": "جمعه؟"}},
        options=[{"key": "a", "i18n": {"en": "Yes", "fa": "بله"}},
                 {"key": "b", "i18n": {"en": "No"}}],
    )  # fmt: skip
    assert (await client.get("/api/v1/consultations/hours/results")).status_code == 404  # draft
    from consultations.models import Consultation

    await Consultation.filter(id=c.id).update(status=Status.OPEN)
    c.status = Status.OPEN
    for _ in range(2):
        citizen = await load_principal((await make_user()).id, None)
        await services.submit_answers(citizen, c, {str(q.id): "a"})
    r = await client.get("/api/v1/consultations/hours/results?lang=fa")
    assert r.status_code == 409
    assert r.json()["detail"]  # a sentence, in the asked language
    await services.close_early(publisher, c, reason="Done early")
    r = await client.get("/api/v1/consultations/hours/results?lang=fa")
    assert r.status_code == 200
    body = r.json()
    assert body["respondents"] == 2
    [question] = body["questions"]
    assert question["text"] == "جمعه؟"
    assert [(o["key"], o["label"], o["count"]) for o in question["options"]] == [
        ("a", "بله", 2), ("b", "No", 0)]  # fmt: skip


async def test_one_consultation_with_sections_and_its_section_comments(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    from consultations import queries
    from participation.comments import services as comment_services
    from participation.votes import services as vote_services

    ministry = await make_body("ministry", name="Ministry")
    agency = await make_body("agency", name="Agency", parent=ministry)
    c = await make_consultation(ministry, slug="roads", co_owners=(agency,), sections=3)
    section = (await queries.sections(c.id))[1]
    author = await make_user(email="private@example.org", name="Ana Author")
    pa = await load_principal(author.id, None)
    top = None
    for i in range(52):
        top = await comment_services.post_comment(pa, "section", section.id, f"Point {i}",
                                                  stance="for" if i % 2 else "against", settings=settings)  # fmt: skip
    assert top is not None
    voter = await load_principal((await make_user()).id, None)
    await comment_services.post_comment(
        voter, "section", section.id, "A reply", parent_id=top.id, settings=settings
    )
    await vote_services.cast_vote(voter, "section", section.id, 1)

    r = await client.get("/api/v1/consultations/roads")
    assert r.status_code == 200
    body = r.json()
    assert [b["slug"] for b in body["bodies"]] == ["ministry", "agency"]
    assert [s["number"] for s in body["sections"]] == [1, 2, 3]
    s2 = body["sections"][1]
    assert (s2["comments"], s2["comments_for"], s2["comments_against"]) == (53, 26, 26)
    assert (s2["support"], s2["oppose"]) == (1, 0)

    r = await client.get(s2["comments_url"].replace("http://testserver", ""))
    page = r.json()
    assert r.status_code == 200 and page["next_cursor"]
    texts = [i["text"] for i in page["items"]]
    assert texts[:2] == ["Point 51", "A reply"]  # newest first, replies after their parent
    assert page["items"][1]["parent_id"] == top.id
    assert page["items"][0]["author"] == "Ana Author"
    assert "private@example.org" not in r.text
    r = await client.get(s2["comments_url"].replace("http://testserver", ""),
                         params={"cursor": page["next_cursor"]})  # fmt: skip
    assert [i["text"] for i in r.json()["items"]] == ["Point 1", "Point 0"]
    assert (await client.get("/api/v1/consultations/roads/sections/9/comments")).status_code == 404


async def test_the_report_and_the_response_once_published(client: httpx.AsyncClient) -> None:
    from consultations import services
    from consultations.models import OutcomeKind
    from participation.organisations.models import Role
    from tests.factories import make_official

    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads", status="closed")
    body = (await client.get("/api/v1/consultations/roads")).json()
    assert body["report"] is None and body["response"] is None
    publisher = await load_principal((await make_official(ministry, Role.PUBLISHER)).id, None)
    await services.publish_outcome(publisher, c, OutcomeKind.REPORT, original_locale="en",
                                   i18n={"en": {"text": "Nobody wrote."}})  # fmt: skip
    r = await client.get("/api/v1/consultations/roads", params={"lang": "fa"})
    report = r.json()["report"]
    assert report["text"] == "Nobody wrote." and report["translated"] is False
    assert report["published_by"]["slug"] == "ministry"
    assert report["figures"]["comments"] == 0 and len(report["figures"]["sections"]) == 2
    assert r.json()["response"] is None
    assert set(report["published_by"]) == {"slug", "name"}  # a body, never a person


async def test_a_bad_query_parameter_is_a_400_naming_it(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", name="Ministry")
    await make_consultation(ministry, slug="roads", status="open")
    for query, name in (({"limit": 0}, "limit"), ({"limit": 101}, "limit"),
                        ({"status": "draft"}, "status"), ({"lang": "de"}, "lang"),
                        ({"cursor": "abc"}, "cursor"), ({"topic": "x" * 81}, "topic")):  # fmt: skip
        r = await client.get("/api/v1/consultations", params=query)
        assert r.status_code == 400 and name in r.json()["detail"], query
    r = await client.get("/api/v1/consultations", params={"status": "", "topic": "", "limit": 100})
    assert r.status_code == 200 and [i["slug"] for i in r.json()["items"]] == ["roads"]
    r = await client.get("/api/v1/consultations/roads/sections/1/comments", params={"sort": "x"})
    assert r.status_code == 400 and "sort" in r.json()["detail"]
    assert (await client.get("/api/v1/consultations/roads?lang=xx")).status_code == 400
    assert (await client.get("/api/v1/consultations/roads/sections/0/comments")).status_code == 404


async def test_the_document_declares_the_parameters(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/api/v1/openapi.json")).json()
    listing = doc["paths"]["/api/v1/consultations"]["get"]
    params = {p["name"]: p for p in listing["parameters"]}
    assert {"body", "status", "topic", "region", "q", "cursor", "limit", "lang"} <= set(params)
    assert params["limit"]["schema"]["maximum"] == 100 and params["limit"]["schema"]["minimum"] == 1
    assert "400" in listing["responses"]
    detail = doc["paths"]["/api/v1/consultations/{slug}"]["get"]
    [slug] = [p for p in detail["parameters"] if p["in"] == "path"]
    assert slug["required"] and slug["schema"]["maxLength"] == 120
