"""A closed (or not yet open) consultation refuses comments, votes and answers with a
translated 403 and changes nothing."""

from __future__ import annotations

import httpx
import pytest

from consultations import queries
from consultations.models import AnswerSet, Question, QuestionKind
from participation.comments.models import Comment
from participation.votes.models import Vote
from tests.conftest import login, post_form
from tests.factories import make_body, make_consultation, make_user


@pytest.mark.parametrize("state", ["closed", "scheduled"])
async def test_everything_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, state: str
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads", status=state)
    q = await Question.create(consultation=c, position=1, kind=QuestionKind.SCALE, required=True,
                              i18n={"en": {"text": "Good?"}}, original_locale="en")  # fmt: skip
    section = (await queries.sections(c.id))[0]
    citizen = await make_user(locale="fa")  # signing in chooses the user's language
    await login(client, citizen.email)
    page = "/consultations/roads/sections/1"

    for target_type, target_id in (("section", section.id), ("consultation", c.id)):
        r = await post_form(client, "/comments/post", {
            "target_type": target_type, "target_id": target_id, "text": "Too late?",
            "stance": "for",
        }, page=page)  # fmt: skip
        assert r.status_code == 403, (target_type, r.status_code)
        assert 'dir="rtl"' in r.text
    r = await post_form(client, "/votes/cast", {
        "target_type": "section", "target_id": section.id, "value": 1}, page=page)  # fmt: skip
    assert r.status_code == 403 and 'dir="rtl"' in r.text
    r = await post_form(client, "/consultations/roads/answers", {f"q{q.id}": "3"},
                        page=page)  # fmt: skip
    assert r.status_code == 403 and 'dir="rtl"' in r.text

    assert await Comment.all().count() == 0
    assert await Vote.all().count() == 0
    assert await AnswerSet.all().count() == 0
    # the page says so and offers no form
    r = await client.get(page)
    assert 'name="value"' not in r.text


async def test_an_open_consultation_takes_answers_which_can_be_changed(
    client: httpx.AsyncClient,
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads")
    q = await Question.create(consultation=c, position=1, kind=QuestionKind.SCALE, required=True,
                              i18n={"en": {"text": "Good?"}}, original_locale="en")  # fmt: skip
    citizen = await make_user()
    await login(client, citizen.email)
    r = await post_form(client, "/consultations/roads/answers", {}, page="/consultations/roads")
    assert r.status_code == 400 and "This field is required." in r.text
    for value in ("2", "5"):
        r = await post_form(client, "/consultations/roads/answers", {f"q{q.id}": value},
                            page="/consultations/roads")  # fmt: skip
        assert r.status_code == 303
    assert [a.answers for a in await AnswerSet.all()] == [{str(q.id): 5}]
    r = await client.get("/consultations/roads")
    assert 'value="5" checked' in r.text
