"""The sessions table: the daily clean-up keeps only what can still sign someone in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from participation.accounts import personal_data, sessions
from participation.accounts.models import Session, User
from participation.accounts.principal import ANONYMOUS, load_principal
from participation.organisations.models import Membership, Role
from participation.organisations.services import appoint, revoke
from participation.storage import LocalStorage
from tests.factories import PASSWORD, make_body, make_official, make_user


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


async def test_the_session_its_person_and_their_roles_come_in_one_query(db: object) -> None:
    """principal_for reads the person and every role they hold (per body, and global) in the
    one query of a request: the same principal as loading the person and their roles apart."""
    body, other = await make_body(), await make_body()
    user = await make_official(body, Role.EDITOR, name="Ada")
    await Membership.create(user=user, body=body, role=Role.PUBLISHER)
    await Membership.create(user=user, body=other, role=Role.MODERATOR)
    await Membership.create(user=user, body=None, role=Role.MODERATOR)
    token = await sessions.start(user.id)

    p = await sessions.principal_for(token)
    expected = await load_principal(user.id)
    assert (
        p.roles
        == expected.roles
        == {
            body.id: {Role.EDITOR, Role.PUBLISHER},
            other.id: {Role.MODERATOR},
            None: {Role.MODERATOR},
        }
    )
    assert p.user is not None and p.user.display_name == "Ada" and p.user.email == user.email
    assert p.user.created_at.tzinfo is not None and p.suspended_until is None
    assert p.is_global_moderator and p.is_official_of(body.id) and not p.is_official_of(other.id)
    citizen = await make_user()
    plain = await sessions.principal_for(await sessions.start(citizen.id))
    assert plain.id == citizen.id and plain.roles == {}


async def test_a_change_of_roles_counts_on_the_next_request(db: object) -> None:
    body = await make_body()
    user = await make_user()
    token = await sessions.start(user.id)
    assert not (await sessions.principal_for(token)).is_official_of(body.id)
    membership = await appoint(None, user, Role.PUBLISHER, body, notify=False)
    assert (await sessions.principal_for(token)).is_official_of(body.id)
    await revoke(None, membership)
    after = await sessions.principal_for(token)
    assert after.id == user.id and not after.is_official_of(body.id) and after.roles == {}


async def test_a_suspension_or_an_erasure_counts_on_the_next_request(
    db: object, tmp_path: Path
) -> None:
    user = await make_user()
    token = await sessions.start(user.id)
    until = datetime.now(UTC) + timedelta(days=3)
    await User.filter(id=user.id).update(suspended_until=until, suspension_reason="spam")
    p = await sessions.principal_for(token)
    assert p.suspended and p.suspension_reason == "spam" and p.active_roles == {}
    await User.filter(id=user.id).update(suspended_until=None)

    await personal_data.erase_account(
        await User.get(id=user.id),
        password=PASSWORD,
        keep_comments=True,
        storage=LocalStorage(tmp_path),
    )
    assert await sessions.principal_for(token) is ANONYMOUS


async def test_a_deactivated_person_or_a_revoked_session_signs_nobody_in(db: object) -> None:
    user = await make_user()
    token, other = await sessions.start(user.id), await sessions.start(user.id)
    await sessions.end(other)
    assert await sessions.principal_for(other) is ANONYMOUS
    await User.filter(id=user.id).update(is_active=False)
    assert await sessions.principal_for(token) is ANONYMOUS


async def test_last_seen_is_written_at_most_once_an_hour(db: object) -> None:
    user = await make_user()
    token = await sessions.start(user.id)
    key = sessions.key_of(token)
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    await Session.filter(id=key).update(last_seen=two_hours_ago)
    assert (await sessions.principal_for(token)).id == user.id
    seen = (await Session.get(id=key)).last_seen
    assert seen > datetime.now(UTC) - timedelta(minutes=1)
    assert (await sessions.principal_for(token)).id == user.id
    assert (await Session.get(id=key)).last_seen == seen
