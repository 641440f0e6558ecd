"""Paper and in-person submissions enter the same record, marked and counted, audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from consultations import queries
from consultations.models import AnswerSet, QuestionKind
from participation.audit.models import AuditEvent
from participation.comments import queries as comment_queries
from participation.comments.models import Comment
from participation.organisations.models import Role
from tests.conftest import login, post_form
from tests.factories import make_body, make_consultation, make_official, make_user


async def test_an_official_enters_a_letter_that_is_shown_and_counted(
    client: httpx.AsyncClient,
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    agency = await make_body("agency", name="Road Agency", parent=ministry)
    c = await make_consultation(ministry, slug="roads", co_owners=(agency,))
    from consultations.models import Question

    q = await Question.create(consultation=c, position=1, kind=QuestionKind.SCALE, required=True,
                              i18n={"en": {"text": "Good?"}}, original_locale="en")  # fmt: skip
    editor = await make_official(agency, Role.EDITOR)  # an editor of the co-owning body
    await login(client, editor.email)
    received = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    r = await post_form(client, "/consultations/roads/paper", {
        "body_id": agency.id, "channel": "post", "received_at": received, "section": "2",
        "author_name": "Parvin R.", "stance": "against", "text": "Please keep the old bus line.",
        f"q{q.id}": "2",
    }, page="/consultations/roads/paper")  # fmt: skip
    assert r.status_code == 303, r.text[-1500:]

    section = (await queries.sections(c.id))[1]
    comment = await Comment.get(target_type="section", target_id=section.id)
    assert comment.channel == "post" and comment.entered_by_body_id == agency.id
    assert comment.author_name == "Parvin R." and comment.author_id is None
    counts = await comment_queries.counts_by_target("section", [section.id])
    assert counts[section.id].total == 1 and counts[section.id].against == 1
    answers = await AnswerSet.get(consultation_id=c.id)
    assert answers.channel == "post" and answers.user_id is None
    assert answers.answers == {str(q.id): 2}
    assert await AuditEvent.exists(action="consultation.paper_submission", actor_id=editor.id)

    page = await client.get("/consultations/roads/sections/2")
    assert "Please keep the old bus line." in page.text and "Road Agency" in page.text
    detail = await client.get("/consultations/roads")
    assert "1 against" in detail.text


async def test_citizens_and_other_bodies_cannot_enter_submissions(
    client: httpx.AsyncClient,
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    city = await make_body("city", name="City")
    await make_consultation(ministry, slug="roads")
    for user in (await make_user(), await make_official(city, Role.PUBLISHER)):
        await login(client, user.email)
        assert (await client.get("/consultations/roads/paper")).status_code == 403
        r = await post_form(client, "/consultations/roads/paper", {
            "body_id": city.id, "channel": "post", "received_at": "2020-01-01T10:00",
            "text": "A letter",
        })  # fmt: skip
        assert r.status_code == 403
    assert await Comment.all().count() == 0


async def test_a_bad_paper_form_shows_errors_and_keeps_the_text(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", name="Ministry")
    await make_consultation(ministry, slug="roads")
    official = await make_official(ministry, Role.EDITOR)
    await login(client, official.email)
    r = await post_form(client, "/consultations/roads/paper", {
        "body_id": ministry.id, "channel": "pigeon", "received_at": "2999-01-01T10:00",
        "text": "Kept text",
    }, page="/consultations/roads/paper")  # fmt: skip
    assert r.status_code == 400
    assert "Please choose one of the options." in r.text
    assert "The date received cannot be in the future." in r.text
    assert "Kept text" in r.text
    assert await Comment.all().count() == 0
