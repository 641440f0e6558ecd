"""The demo data: an open joint consultation, a scheduled one, a closed one with results, and
one closed long ago that nobody answered."""

from __future__ import annotations

from consultations import queries, seed
from consultations.models import AnswerSet, Consultation, OutcomeKind, SectionVersion, Status
from participation.accounts import seed as account_seed
from participation.comments.models import Comment
from participation.organisations import seed as organisation_seed
from participation.settings import Settings
from participation.votes.models import Vote


async def test_seed_creates_the_demo_consultations_once(db: object, settings: Settings) -> None:
    lines: list[str] = []
    await account_seed.seed_demo(settings, lines.append)
    await organisation_seed.seed_demo(settings, lines.append)
    await seed.seed_demo(settings, lines.append)
    await seed.seed_demo(settings, lines.append)  # idempotent

    opened = await Consultation.get(slug=seed.OPEN_SLUG)
    assert opened.status == Status.OPEN
    assert set(opened.i18n) == {"en", "fa", "ar", "fr"}
    assert len(await queries.owner_ids(opened.id)) == 2  # joint with the agency
    sections = await queries.sections(opened.id)
    assert len(sections) == 5 and all(set(s.i18n) == {"en", "fa", "ar", "fr"} for s in sections)
    assert await SectionVersion.filter(section_id=sections[1].id).count() == 2
    assert len(await queries.questions(opened.id)) == 4
    comments = await Comment.filter(target_type="section", target_id__in=[s.id for s in sections])
    assert {c.language for c in comments} >= {"fa", "ar", "fr", "en"}
    assert any(c.parent_id for c in comments)  # a reply
    assert any(c.channel == "post" for c in comments)  # a paper submission
    assert await Vote.filter(target_type="section").count() == 3

    assert (await Consultation.get(slug=seed.SCHEDULED_SLUG)).status == Status.SCHEDULED
    closed = await Consultation.get(slug=seed.CLOSED_SLUG)
    assert closed.status == Status.CLOSED
    total, results = await queries.questionnaire_results(closed.id)
    assert total == 2 and results[1].mean == 4.5
    overdue = await Consultation.get(slug=seed.OVERDUE_SLUG)  # closed long ago, unanswered
    assert overdue.status == Status.CLOSED and set(overdue.i18n) == {"en", "fa", "ar", "fr"}
    assert overdue.closes_at is not None
    assert (overdue.closed_at - overdue.closes_at).days >= seed.OVERDUE_CLOSED_DAYS
    assert not await queries.outcome(overdue.id, OutcomeKind.RESPONSE)
    assert await Consultation.all().count() == 4
    assert await AnswerSet.filter(consultation_id=closed.id).count() == 2
