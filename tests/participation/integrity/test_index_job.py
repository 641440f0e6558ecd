"""The indexing job: a planted campaign (one form letter, lightly edited per copy, posted on
several sections of a consultation) becomes one group of the consultation; people writing
their own comments are not grouped; a run that dies half-way and the run after it give the
same groups as one clean run; ``campaign_groups`` reports size, copies readers see, share."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from consultations.models import Section
from participation.comments.models import Comment
from participation.integrity import queries, services
from participation.integrity.models import CommentCluster, IndexedComment, IntegrityWatermark
from participation.moderation.models import HiddenKind, ModerationState
from participation.sanitize import text_hash
from tests.factories import make_body, make_consultation, make_user
from tests.participation.integrity.letters import ORGANIC, form_letter


async def _comment(section: Section, text: str, at: datetime, **kw: Any) -> Comment:
    author = await make_user()
    return await Comment.create(
        target_type="section", target_id=section.id, author=author, body_raw=text,
        body_html=f"<p>{text}</p>", created_at=at, text_hash=text_hash(text), **kw,
    )  # fmt: skip


async def _planted() -> tuple[int, list[int], list[int]]:
    """A consultation with 3 sections: 12 copies of the letter spread over them, 10 people's
    own comments. Returns (consultation id, campaign ids, organic ids)."""
    rng = random.Random(5)
    c = await make_consultation(await make_body(), sections=3)
    sections = await Section.filter(consultation_id=c.id).order_by("position")
    start = datetime.now(UTC) - timedelta(hours=3)
    campaign, organic = [], []
    for n in range(22):
        at = start + timedelta(minutes=5 * n)
        if n % 2 == 0 or n >= 20:
            row = await _comment(sections[n % 3], form_letter(rng), at)
            campaign.append(row.id)
        else:
            row = await _comment(sections[n % 3], ORGANIC[n // 2], at)
            organic.append(row.id)
    return c.id, campaign, organic


async def _groups(consultation_id: int) -> list[frozenset[int]]:
    found = await queries.campaign_groups("consultation", consultation_id, min_size=2)
    return sorted((frozenset(g.comment_ids) for g in found), key=sorted)


async def test_a_planted_campaign_across_sections_is_one_group_and_people_are_not_grouped(
    db: object,
) -> None:
    cid, campaign, organic = await _planted()
    run = await services.index_new_comments()
    assert run.placed == len(campaign) + len(organic) and run.failed == 0
    groups = await queries.campaign_groups("consultation", cid)
    assert len(groups) == 1
    g = groups[0]
    assert set(g.comment_ids) == set(campaign)
    assert g.size == g.visible == g.authors == len(campaign)
    assert len({t for t in g.targets}) == 3  # on every section
    assert g.share == pytest.approx(len(campaign) / (len(campaign) + len(organic)))
    assert "Riverside Avenue" in g.representative_text
    assert g.first_at <= g.last_at
    # no organic comment is in a group of two or more
    assert not set(organic) & {i for gr in await _groups(cid) for i in gr}
    # one section: the copies on it
    section_id = g.targets[0][1]
    on_section = await queries.campaign_groups("section", section_id, min_size=2)
    assert [x.id for x in on_section] == [g.id]
    assert set(on_section[0].comment_ids) < set(campaign)


async def test_run_twice_changes_nothing_and_new_copies_join_the_group(db: object) -> None:
    cid, campaign, _ = await _planted()
    await services.index_new_comments()
    before = await _groups(cid)
    again = await services.index_new_comments()
    assert again.placed == 0
    assert await _groups(cid) == before
    section = await Section.filter(consultation_id=cid).first()
    assert section is not None
    late = await _comment(section, form_letter(random.Random(99)), datetime.now(UTC))
    await services.index_new_comments()
    (g,) = await queries.campaign_groups("consultation", cid)
    assert set(g.comment_ids) == set(campaign) | {late.id}


async def test_a_run_that_dies_half_way_then_resumes_gives_the_same_groups(
    db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, campaign, organic = await _planted()
    await services.index_new_comments()
    clean = await _groups(cid)
    # forget the index, then crash in the middle of the 9th comment's transaction
    await IndexedComment.all().delete()
    await CommentCluster.all().delete()
    await IntegrityWatermark.all().update(last_id=0)
    real = services._place
    calls = 0

    async def dying(*args: Any) -> str:
        nonlocal calls
        calls += 1
        out = await real(*args)
        if calls == 9:
            raise SystemExit("worker killed")  # not an Exception: the run stops here
        return out

    monkeypatch.setattr(services, "_place", dying)
    with pytest.raises(SystemExit):
        await services.index_new_comments()
    ordered = sorted(campaign + organic)
    # the 9th comment's rows and the watermark were rolled back together
    assert await queries.watermark(services.COMMENTS) == ordered[7]
    assert await IndexedComment.all().count() == 8
    monkeypatch.setattr(services, "_place", real)
    await services.index_new_comments()
    assert await _groups(cid) == clean
    assert await IndexedComment.all().count() == len(ordered)


async def test_a_comment_that_cannot_be_placed_is_passed_and_the_rest_are_placed(
    db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, campaign, organic = await _planted()
    real = services._place
    bad = sorted(organic)[0]

    async def failing(cid_: int, *args: Any) -> str:
        if cid_ == bad:
            raise ValueError("cannot read this one")
        return await real(cid_, *args)

    monkeypatch.setattr(services, "_place", failing)
    run = await services.index_new_comments()
    assert run.failed == 1 and run.placed == len(campaign) + len(organic) - 1
    (g,) = await queries.campaign_groups("consultation", cid)
    assert set(g.comment_ids) == set(campaign)
    assert await queries.watermark(services.COMMENTS) == max(campaign + organic)


async def test_hidden_copies_count_in_size_not_in_visible_and_deleted_ones_not_at_all(
    db: object,
) -> None:
    cid, campaign, _ = await _planted()
    await services.index_new_comments()
    for n, comment_id in enumerate(campaign[:3]):
        await ModerationState.create(
            target_type="comment", target_id=comment_id, hidden_at=datetime.now(UTC),
            hidden_kind=HiddenKind.MODERATOR,
        )  # fmt: skip
        del n
    await Comment.filter(id=campaign[3]).update(deleted_at=datetime.now(UTC))
    (g,) = await queries.campaign_groups("consultation", cid)
    assert g.size == len(campaign) - 1
    assert g.visible == len(campaign) - 4
    assert await queries.campaign_groups("consultation", cid, min_size=len(campaign) - 3,
                                         visible_only=True) == []  # fmt: skip


async def test_a_full_rebuild_gives_the_same_campaign_group(db: object) -> None:
    cid, campaign, organic = await _planted()
    await services.index_new_comments()
    n = await services.rebuild_space("consultation", cid)
    assert n == 1
    (g,) = await queries.campaign_groups("consultation", cid)
    assert set(g.comment_ids) == set(campaign)
    # and the job goes on placing new comments into the rebuilt index
    section = await Section.filter(consultation_id=cid).first()
    assert section is not None
    late = await _comment(section, form_letter(random.Random(7)), datetime.now(UTC))
    await services.index_new_comments()
    (g,) = await queries.campaign_groups("consultation", cid)
    assert late.id in g.comment_ids


async def test_the_hourly_job_rebuilds_only_the_spaces_that_grew(
    db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, campaign, _ = await _planted()
    await services.index_new_comments()
    monkeypatch.setattr(services, "REBUILD_MIN", 10)
    assert await services.rebuild_grown_spaces() == {("consultation", cid): 1}
    assert await services.rebuild_grown_spaces() == {}  # nothing grew since
    (g,) = await queries.campaign_groups("consultation", cid)
    assert set(g.comment_ids) == set(campaign)


async def test_a_comment_committed_after_a_later_one_was_read_is_placed_by_the_sweep(
    db: object,
) -> None:
    cid, campaign, _ = await _planted()
    await services.index_new_comments()
    section = await Section.filter(consultation_id=cid).first()
    assert section is not None
    slow = await _comment(section, form_letter(random.Random(12)), datetime.now(UTC))
    # a later comment was read (and the watermark passed) before this one was committed
    await IntegrityWatermark.all().update(last_id=slow.id + 1)
    assert (await services.index_new_comments()).placed == 0
    late = await services.index_late_comments()
    assert late.placed == 1
    (g,) = await queries.campaign_groups("consultation", cid)
    assert slow.id in g.comment_ids
    assert (await services.index_late_comments()).placed == 0
    assert await queries.watermark(services.COMMENTS) == slow.id + 1
