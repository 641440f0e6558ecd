"""The sessions table: the daily clean-up keeps only what can still sign someone in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from participation.accounts import sessions
from participation.accounts.models import Session
from participation.accounts.principal import ANONYMOUS
from tests.factories import make_user


async def test_old_sessions_are_deleted_and_live_ones_kept(db: object) -> None:
    user = await make_user()
    live = await sessions.start(user.id)
    ended = await sessions.start(user.id)
    idle = await sessions.start(user.id)
    just_ended = await sessions.start(user.id)
    await sessions.end(ended)
    await sessions.end(just_ended)
    long_ago = datetime.now(UTC) - timedelta(days=30)
    await Session.filter(id=sessions.key_of(ended)).update(revoked_at=long_ago)
    await Session.filter(id=sessions.key_of(idle)).update(last_seen=long_ago)

    assert await sessions.delete_old() == 2
    left = set(await Session.all().values_list("id", flat=True))
    assert left == {sessions.key_of(live), sessions.key_of(just_ended)}
    assert (await sessions.principal_for(live)).id == user.id
    assert await sessions.principal_for(just_ended) is ANONYMOUS
    assert await sessions.principal_for("a token nobody was given") is ANONYMOUS
    assert await sessions.active_count(user.id) == 1


async def test_the_database_holds_hashes_not_tokens(db: object) -> None:
    user = await make_user()
    token = await sessions.start(user.id)
    [row] = await Session.filter(user_id=user.id)
    assert row.id != token and len(row.id) == 64 and token not in row.id
