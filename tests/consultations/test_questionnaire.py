"""One set of answers per person, editable until close; results counted once closed."""

from __future__ import annotations

import pytest

from consultations import queries, services
from consultations.forms import AnswersInput, answers_input
from consultations.models import AnswerSet, Consultation, QuestionKind, Status
from participation.errors import Forbidden
from participation.forms import bind
from participation.web.errors import status_of
from tests.factories import make_consultation


async def questionnaire(world, c):  # type: ignore[no-untyped-def]
    p = world.people["publisher"]
    await Consultation.filter(id=c.id).update(status=Status.DRAFT)
    c.status = Status.DRAFT
    opts = [{"key": "a", "i18n": {"en": "Yes", "fa": "بله"}},
            {"key": "b", "i18n": {"en": "No", "fa": "نه"}}]  # fmt: skip
    q1 = await services.add_question(p, c, kind=QuestionKind.SINGLE, required=True,
                                     i18n={"en": {"text": "Agree?"}}, original_locale="en",
                                     options=opts)  # fmt: skip
    q2 = await services.add_question(p, c, kind=QuestionKind.MULTIPLE, required=False,
                                     i18n={"en": {"text": "Which?"}}, original_locale="en",
                                     options=opts)  # fmt: skip
    q3 = await services.add_question(p, c, kind=QuestionKind.SCALE, required=True,
                                     i18n={"en": {"text": "How much?"}}, original_locale="en",
                                     options=[])  # fmt: skip
    q4 = await services.add_question(p, c, kind=QuestionKind.TEXT, required=False,
                                     i18n={"en": {"text": "Else?"}}, original_locale="en",
                                     options=[])  # fmt: skip
    await Consultation.filter(id=c.id).update(status=Status.OPEN)
    c.status = Status.OPEN
    return q1, q2, q3, q4


async def test_answering_twice_keeps_one_set_with_the_latest_answers(world) -> None:
    c = await make_consultation(world.ministry, status="open")
    q1, q2, q3, _q4 = await questionnaire(world, c)
    citizen = world.people["citizen"]
    await services.submit_answers(citizen, c, {str(q1.id): "a", str(q3.id): 2})
    await services.submit_answers(citizen, c, {str(q1.id): "b", str(q2.id): ["a"], str(q3.id): 5})
    sets = await AnswerSet.filter(consultation_id=c.id)
    assert len(sets) == 1
    assert sets[0].answers == {str(q1.id): "b", str(q2.id): ["a"], str(q3.id): 5}


async def test_a_closed_consultation_refuses_answers_and_keeps_them(world) -> None:
    c = await make_consultation(world.ministry, status="open")
    q1, _q2, q3, _q4 = await questionnaire(world, c)
    citizen = world.people["citizen"]
    await services.submit_answers(citizen, c, {str(q1.id): "a", str(q3.id): 2})
    await services.close_early(world.people["publisher"], c, reason="Enough answers")
    with pytest.raises(Forbidden) as refused:
        await services.submit_answers(citizen, c, {str(q1.id): "b", str(q3.id): 5})
    assert status_of(refused.value) == 403
    assert (await AnswerSet.get(consultation_id=c.id)).answers == {str(q1.id): "a", str(q3.id): 2}


async def test_unconfirmed_people_cannot_answer(world) -> None:
    c = await make_consultation(world.ministry, status="open")
    q1, _q2, q3, _q4 = await questionnaire(world, c)
    with pytest.raises(Forbidden):
        await services.submit_answers(world.people["unconfirmed"], c, {str(q1.id): "a"})
    assert not await AnswerSet.exists(consultation_id=c.id)


async def test_results_count_options_and_average_the_scale(world) -> None:
    c = await make_consultation(world.ministry, status="open")
    q1, q2, q3, q4 = await questionnaire(world, c)
    answers = [
        ("citizen", {str(q1.id): "a", str(q2.id): ["a", "b"], str(q3.id): 5, str(q4.id): "More buses"}),
        ("editor", {str(q1.id): "a", str(q2.id): ["b"], str(q3.id): 2}),
        ("moderator", {str(q1.id): "b", str(q3.id): 4}),
    ]  # fmt: skip
    for role, a in answers:
        await services.submit_answers(world.people[role], c, a)
    total, results = await queries.questionnaire_results(c.id)
    assert total == 3
    r1, r2, r3, r4 = results
    assert [(o.key, o.count) for o in r1.options] == [("a", 2), ("b", 1)]
    assert [(o.key, o.count) for o in r2.options] == [("a", 1), ("b", 2)] and r2.answered == 2
    assert r3.mean == pytest.approx(11 / 3)
    assert [o.count for o in r3.options] == [0, 1, 0, 1, 1]
    assert r4.texts == ["More buses"] and r4.answered == 1


async def test_the_form_checks_required_answers_and_options(world) -> None:
    c = await make_consultation(world.ministry, status="open")
    q1, q2, q3, q4 = await questionnaire(world, c)
    qs = await queries.questions(c.id)
    model = answers_input(AnswersInput, qs)
    form = bind(model, {f"q{q2.id}": ["a", "zzz"], f"q{q3.id}": "9"})
    assert not form.validate()
    assert set(form.errors) == {f"q{q1.id}", f"q{q2.id}", f"q{q3.id}"}
    form = bind(model, {f"q{q1.id}": "b", f"q{q3.id}": "۴", f"q{q4.id}": " hi "})
    assert form.validate(), form.errors
    assert form.data.answers == {str(q1.id): "b", str(q3.id): 4, str(q4.id): "hi"}


@pytest.mark.postgres
async def test_concurrent_first_answers_keep_one_set(world) -> None:
    import asyncio

    c = await make_consultation(world.ministry, status="open")
    q1, _q2, q3, _q4 = await questionnaire(world, c)
    citizen = world.people["citizen"]
    await asyncio.gather(*[
        services.submit_answers(citizen, c, {str(q1.id): "a", str(q3.id): n}) for n in range(1, 6)
    ])  # fmt: skip
    sets = await AnswerSet.filter(consultation_id=c.id)
    assert len(sets) == 1 and sets[0].answers[str(q3.id)] in range(1, 6)
