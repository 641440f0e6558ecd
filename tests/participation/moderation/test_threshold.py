"""Auto-hide at the space's flag threshold: exactly the flag that reaches it hides the item,
pending review (a repeated flag is refused and counts for nothing), under concurrency too; the
consultation's own threshold wins over its body's default (3), and 0 turns it off."""

from __future__ import annotations

import asyncio

import pytest

from consultations.models import Consultation
from participation.audit.models import AuditEvent
from participation.comments import queries as comment_queries
from participation.comments import services as comments
from participation.errors import Conflict, Invalid
from participation.moderation import services
from participation.moderation.models import Flag, HiddenKind, ModerationState
from participation.settings import Settings
from tests.factories import make_body, make_consultation, make_moderator, make_user
from tests.participation.comments.fakehost import Hosts, as_principal


async def _flaggers(n: int) -> list:
    return [await as_principal(await make_user()) for _ in range(n)]


async def _state(comment_id: int) -> ModerationState:
    return await ModerationState.get(target_type="comment", target_id=comment_id)


async def test_the_third_flag_hides_the_second_does_not_and_a_repeat_is_refused(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)  # the fake space's threshold: 3, the default
    author = await as_principal(await make_user())
    c = await comments.post_comment(author, "fake", 1, "Buy cheap pills", settings=settings)
    a, b, third = await _flaggers(3)
    await services.flag(a, "comment", c.id, "spam")
    await services.flag(b, "comment", c.id, "spam")
    state = await _state(c.id)
    assert (state.flag_count, state.hidden_at) == (2, None)
    assert state.queued_at is not None  # waiting for a moderator from the first flag
    with pytest.raises(Conflict):
        await services.flag(a, "comment", c.id, "offensive")  # once per person and item
    assert (await _state(c.id)).hidden_at is None  # the repeat counted for nothing
    await services.flag(third, "comment", c.id, "off_topic")
    state = await _state(c.id)
    assert state.flag_count == 3 and state.hidden_kind == HiddenKind.FLAGS
    assert state.hidden_at is not None and state.queued_at is not None  # pending review
    page = await comment_queries.comment_page("fake", 1)
    assert [(x.id, x.hidden, x.text) for x in page.items] == [(c.id, "flags", "")]
    counts = await comment_queries.counts_by_target("fake", [1])
    assert 1 not in counts
    assert await AuditEvent.filter(action="moderation.auto_hide").count() == 1


async def test_other_needs_a_few_words(db: object, hosts: Hosts, settings: Settings) -> None:
    hosts.fake.add(1)
    c = await comments.post_comment(
        await as_principal(await make_user()), "fake", 1, "Hello", settings=settings
    )
    [flagger] = await _flaggers(1)
    with pytest.raises(Invalid) as exc:
        await services.flag(flagger, "comment", c.id, "other", "   ")
    assert exc.value.field == "note"
    await services.flag(flagger, "comment", c.id, "other", "It names my neighbour")
    assert (await Flag.get(target_id=c.id)).note == "It names my neighbour"


async def test_zero_turns_auto_hide_off(db: object, hosts: Hosts, settings: Settings) -> None:
    hosts.fake.add(1, flag_threshold=0)
    c = await comments.post_comment(
        await as_principal(await make_user()), "fake", 1, "Hello", settings=settings
    )
    for p in await _flaggers(6):
        await services.flag(p, "comment", c.id, "spam")
    state = await _state(c.id)
    assert state.flag_count == 6 and state.hidden_at is None and state.queued_at is not None


async def test_a_consultation_threshold_wins_over_its_bodys_default(
    db: object, settings: Settings
) -> None:
    body = await make_body(settings={"flag_threshold": 5})
    strict = await make_consultation(body)
    await Consultation.filter(id=strict.id).update(flag_threshold=1)
    loose = await make_consultation(body)  # no threshold of its own: the body's 5
    author = await as_principal(await make_user())
    flaggers = await _flaggers(5)
    made = {}
    for c in (strict, loose):
        section = await c.sections.all().order_by("position").first()  # type: ignore[attr-defined]
        made[c.id] = await comments.post_comment(
            author, "section", section.id, "A sharp remark", settings=settings
        )
    await services.flag(flaggers[0], "comment", made[strict.id].id, "offensive")
    assert (await _state(made[strict.id].id)).hidden_kind == HiddenKind.FLAGS
    for i, p in enumerate(flaggers, start=1):
        await services.flag(p, "comment", made[loose.id].id, "offensive")
        hidden = (await _state(made[loose.id].id)).hidden_at is not None
        assert hidden == (i >= 5), i
    state = await _state(made[loose.id].id)
    assert (state.space_type, state.space_id) == ("consultation", loose.id)


async def test_approving_clears_the_flags_and_new_flags_count_from_zero(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    c = await comments.post_comment(
        await as_principal(await make_user()), "fake", 1, "A hard truth", settings=settings
    )
    first = await _flaggers(3)
    for p in first:
        await services.flag(p, "comment", c.id, "offensive")
    moderator = await as_principal(await make_moderator(None))
    await services.approve(moderator, "comment", c.id, "A fair criticism")
    state = await _state(c.id)
    assert (state.flag_count, state.hidden_at, state.queued_at) == (0, None, None)
    assert await Flag.filter(target_id=c.id, cleared_at__isnull=True).count() == 0
    with pytest.raises(Conflict):  # cleared flags still say who reported it
        await services.flag(first[0], "comment", c.id, "spam")
    later = await _flaggers(2)
    for p in later:
        await services.flag(p, "comment", c.id, "offensive")
    assert (await _state(c.id)).hidden_at is None  # two new flags: not yet
    await services.approve(moderator, "comment", c.id)
    with pytest.raises(Conflict):
        await services.approve(moderator, "comment", c.id)  # nothing waits any more


@pytest.mark.postgres
async def test_concurrent_flags_hide_exactly_once(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    """Ten people flag at the same moment: ten flags counted, one auto-hide."""
    hosts.fake.add(1)
    c = await comments.post_comment(
        await as_principal(await make_user()), "fake", 1, "Contested words", settings=settings
    )
    flaggers = await _flaggers(10)
    await asyncio.gather(*(services.flag(p, "comment", c.id, "spam") for p in flaggers))
    state = await _state(c.id)
    assert state.flag_count == 10 and state.hidden_kind == HiddenKind.FLAGS
    assert await Flag.filter(target_id=c.id).count() == 10
    assert await AuditEvent.filter(action="moderation.auto_hide").count() == 1


@pytest.mark.postgres
async def test_concurrent_repeats_of_one_persons_flag_count_once(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    c = await comments.post_comment(
        await as_principal(await make_user()), "fake", 1, "Contested words", settings=settings
    )
    [p] = await _flaggers(1)
    results = await asyncio.gather(
        *(services.flag(p, "comment", c.id, "spam") for _ in range(5)), return_exceptions=True
    )
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, BaseException))
    state = await _state(c.id)
    assert state.flag_count == 1 and state.hidden_at is None
