"""The demo's accountability: the city's consultation answered late, the ministry's one closed
long ago overdue (listed publicly, "overdue by N days"), recorded again on a later run."""

from __future__ import annotations

from datetime import UTC, datetime

from consultations import seed as consultation_seed
from consultations.models import Consultation
from participation.accountability import queries
from participation.accountability import seed as accountability_seed
from participation.accountability.deadlines import State, standing
from participation.accountability.models import Obligation, Response
from participation.accounts import seed as account_seed
from participation.organisations import seed as organisation_seed
from participation.settings import Settings


async def test_the_demo_shows_an_answer_given_late_and_one_overdue(
    db: object, settings: Settings
) -> None:
    lines: list[str] = []
    await account_seed.seed_demo(settings, lines.append)
    await organisation_seed.seed_demo(settings, lines.append)
    await consultation_seed.seed_demo(settings, lines.append)
    await accountability_seed.seed_demo(settings, lines.append)
    now = datetime.now(UTC)

    library = await Consultation.get(slug=consultation_seed.CLOSED_SLUG)
    answered = await queries.obligation("consultation", library.id)
    assert answered is not None and answered.answered_at is not None
    assert standing(answered.due_at, answered.answered_at, now).state == State.LATE

    lighting = await Consultation.get(slug=consultation_seed.OVERDUE_SLUG)
    owed = await queries.obligation("consultation", lighting.id)
    assert owed is not None and owed.answered_at is None and owed.overdue_at is not None
    s = standing(owed.due_at, None, now)
    assert s.state == State.OVERDUE and s.days >= consultation_seed.OVERDUE_CLOSED_DAYS - 84
    assert s.sentence == f"overdue by {s.days} days"

    # a later run (a demo seeded before the overdue consultation existed) records it too,
    # and publishes no second response
    await Obligation.filter(id=owed.id).delete()
    await accountability_seed.seed_demo(settings, lines.append)
    again = await queries.obligation("consultation", lighting.id)
    assert again is not None and again.overdue_at is not None
    assert await Response.all().count() == 1
