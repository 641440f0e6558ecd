"""Server-side sessions: signing out ends a session at once, even where its cookie was copied.

The session cookie is signed (Starlette's ``SessionMiddleware``) and carries ``sid``, a random
token of 32 bytes. The ``sessions`` table holds one row per signed-in browser, keyed by the
sha256 of that token (so the table alone cannot be turned into cookies), with ``user_id``,
``created_at``, ``last_seen`` and ``revoked_at``. The database is the truth:

- signing in starts a new row and a new token (the cookie before sign-in is worth nothing
  after it; a session the browser already had is revoked);
- signing out revokes the row; "sign out everywhere", a new password and a suspension revoke
  every row of the person (``end_all``, called inside their service's transaction);
- a row not seen for ``IDLE`` (the cookie's own lifetime) is over; ``last_seen`` is written at
  most once per ``TOUCH_EVERY``, by a plain UPDATE outside any unit of work: it is
  bookkeeping, and a commit would empty the read caches of the process;
- rows revoked or idle for long are deleted by a daily job (``delete_old``).

What a request pays: ``principal_for(token)`` reads the session, its person and their roles
in one plain SQL query (``revoked_at IS NULL``, the person active; a row per role), with no
ORM query building: about a fifth of the CPU of the two ORM queries it replaces (the session
with its person, then the roles), which were a quarter of a signed-in page. So a sign-out,
a new password, a suspension, an erasure or a change of roles takes effect at once in every
process, with no cache to forget and nothing stale: the database is the truth. (A memo of
principals would save this one indexed query but make any of those late by its lifetime in
the other processes, or need a message to every process on each of them.)
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from participation.accounts import queries
from participation.accounts.models import Session
from participation.accounts.principal import ANONYMOUS, Principal
from participation.db import transaction
from participation.organisations.models import Role

IDLE = timedelta(days=14)  # the session cookie's max_age (participation.app)
TOUCH_EVERY = timedelta(hours=1)
KEEP_REVOKED = timedelta(days=1)


def key_of(token: str) -> str:
    """The row id of a session token (its sha256)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


async def start(user_id: int, *, replacing: str | None = None) -> str:
    """A new session for the user; its token goes into the cookie. ``replacing``: the token
    of the session the browser had, revoked in the same transaction."""
    token = secrets.token_urlsafe(32)
    now = _now()
    async with transaction():
        if replacing:
            await _revoke(replacing, now)
        await Session.create(id=key_of(token), user_id=user_id, created_at=now, last_seen=now)
    return token


async def _revoke(token: str, now: datetime) -> None:
    await Session.filter(id=key_of(token), revoked_at=None).update(revoked_at=now)


async def end(token: str) -> None:
    """Sign this session out (its cookie, wherever copied, no longer signs anyone in)."""
    async with transaction():
        await _revoke(token, _now())


async def end_all(user_id: int) -> int:
    """Revoke every session of the person (inside the service's transaction, if any)."""
    async with transaction():
        return await Session.filter(user_id=user_id, revoked_at=None).update(revoked_at=_now())


async def principal_for(token: str) -> Principal:
    """Who this session's cookie signs in: ANONYMOUS when the session is unknown, revoked,
    idle for too long or its person no longer active. One query (the session, its person and
    their roles)."""
    key = key_of(token)
    found = await queries.session_with_user(key)
    now = _now()
    if found is None or found[0] < now - IDLE:
        return ANONYMOUS
    last_seen, user, memberships = found
    if last_seen < now - TOUCH_EVERY:
        await Session.filter(id=key).update(last_seen=now)  # bookkeeping, see the docstring
    roles: dict[int | None, set[Role]] = {}
    for body_id, role in memberships:
        roles.setdefault(body_id, set()).add(Role(role))
    return Principal(user, roles)


async def active_count(user_id: int) -> int:
    """How many browsers the person is signed in on (shown on the profile page)."""
    return await Session.filter(
        user_id=user_id, revoked_at=None, last_seen__gte=_now() - IDLE
    ).count()


async def delete_old() -> int:
    """Delete sessions revoked a day ago or idle beyond IDLE (the daily job)."""
    now = _now()
    revoked = await Session.filter(revoked_at__lt=now - KEEP_REVOKED).delete()
    idle = await Session.filter(last_seen__lt=now - IDLE).delete()
    return revoked + idle
