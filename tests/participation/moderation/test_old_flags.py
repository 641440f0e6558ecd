"""Items flagged before migration 0005 (no scope rows, no author, no space) reach the moderators
of their bodies once migration 0009 has run its data step, not only global moderators; and the
public record counts what was hidden among them."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

from tortoise import connections

from consultations.models import Section
from participation.comments.models import Comment
from participation.moderation import queries
from participation.moderation.models import (
    Flag,
    FlagReason,
    HiddenKind,
    ModerationScope,
    ModerationState,
)
from participation.sanitize import text_hash
from tests.factories import make_body, make_consultation, make_user

MIGRATION = importlib.import_module("migrations.0009_integrity")


async def _old_flagged(target_type: str, target_id: int, text: str, **state: object) -> int:
    author = await make_user()
    c = await Comment.create(
        target_type=target_type, target_id=target_id, author=author, body_raw=text,
        body_html=text, created_at=datetime.now(UTC), text_hash=text_hash(text),
    )  # fmt: skip
    await Flag.create(target_type="comment", target_id=c.id, user=await make_user(),
                      reason=FlagReason.SPAM)  # fmt: skip
    fields = {"queued_at": datetime.now(UTC), **state}
    await ModerationState.create(target_type="comment", target_id=c.id, flag_count=1, **fields)
    return int(c.id)


async def test_flags_from_before_0005_reach_the_moderators_of_their_bodies(db: object) -> None:
    a, b, other = await make_body(), await make_body(), await make_body()
    joint = await make_consultation(a, co_owners=(b,))
    section = await Section.filter(consultation_id=joint.id).first()
    assert section is not None
    elsewhere = await make_consultation(other)
    on_section = await _old_flagged("section", section.id, "Old spam on a section")
    on_whole = await _old_flagged("consultation", joint.id, "Old spam on the whole")
    theirs = await _old_flagged("consultation", elsewhere.id, "Old spam elsewhere")
    hidden = await _old_flagged("section", section.id, "Old hidden one",
                                hidden_at=datetime.now(UTC), hidden_kind=HiddenKind.MODERATOR,
                                hidden_reason=FlagReason.SPAM, queued_at=None)  # fmt: skip
    assert await queries.queue({a.id}) == []  # what body moderators saw before
    db_ = connections.get("default")
    for sql in (MIGRATION.SCOPES_SQL, MIGRATION.AUTHORS_SQL, MIGRATION.SPACES_SQL):
        await db_.execute_script(sql)
    for body, expected in ((a, {on_section, on_whole}), (b, {on_section, on_whole}),
                           (other, {theirs})):  # fmt: skip
        assert {i.target_id for i in await queries.queue({body.id})} == expected
    state = await ModerationState.get(target_type="comment", target_id=on_section)
    comment = await Comment.get(id=on_section)
    assert (state.author_id, state.space_type, state.space_id) == (
        comment.author_id, "consultation", joint.id,
    )  # fmt: skip
    assert (await queries.space_record("consultation", joint.id)).hidden == 1
    assert await ModerationScope.filter(state__target_id=hidden).count() == 2
    # running the step again adds nothing
    before = await ModerationScope.all().count()
    await db_.execute_script(MIGRATION.SCOPES_SQL)
    assert await ModerationScope.all().count() == before
