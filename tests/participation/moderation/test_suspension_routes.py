"""A suspension holds on every write path, generated from the app's route table: for every
unsafe route, the person whom the authorisation table lets do it (tests/security) is
suspended from taking part, sends the same valid form with their own token, and is refused
(403, or 404 where what they would act on is no longer theirs to see, such as a draft of
their body) with nothing stored changed. The only writes left to them are their own account
(signing in and out, profile, password, language), appealing what a moderator hid and
disowning what was made in their name (``/integrity/disown/``). A
route missing from the table is the authorisation suite's to report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from participation.accounts.models import User
from tests.security.conftest import backend, module_app, world  # noqa: F401 - the fixtures
from tests.security.routes import endpoint_of, unsafe_pairs
from tests.security.test_authorisation import ROWS, Row, outcome, request_as
from tests.security.world import ROLES, World

pytestmark = pytest.mark.asyncio(loop_scope="module")

REASON = "Flooding the consultation"
# What a suspended person may still write: their account (a copy of their data, erasing it
# included), an appeal, a disowning.
STILL_THEIRS = (
    "/language", "/account/register", "/account/confirm/resend", "/account/login",
    "/account/password/reset", "/account/profile", "/account/logout",
    "/account/logout/everywhere", "/account/data/", "/account/erase",
    "/moderation/appeal/", "/integrity/disown/",
)  # fmt: skip
# Administrators cannot be suspended (services.suspensions): their routes are refused to
# everyone else by the authorisation table already.
NOT_SUSPENDABLE = ("anonymous", "admin", "suspended")


def _still_theirs(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in STILL_THEIRS)


async def _suspend(w: World, role: str, until: datetime | None) -> None:
    await User.filter(id=w.users[role].id).update(
        suspended_until=until, suspension_reason=REASON if until else ""
    )


async def test_every_unsafe_route_refuses_a_suspended_persons_write(world: World) -> None:  # noqa: F811
    reaches: dict[str, str] = {}
    for row in ROWS:
        e = endpoint_of(await world.resolve(row.path, {}))
        if e is not None:
            reaches[row.key] = e.path
    problems: list[str] = []
    checked = 0
    # sign-outs last, everywhere before this one (as in the table)
    pairs = sorted(unsafe_pairs(), key=lambda em: ("/logout" in em[0].path,
                                                   em[0].path == "/account/logout"))  # fmt: skip
    for e, method in pairs:
        rows = [r for r in ROWS if r.method == method and reaches.get(r.key) == e.path]
        for row in rows:
            role = next((r for r in ROLES if r not in NOT_SUSPENDABLE
                         and row.expected[r] == "ok"), None)  # fmt: skip
            if role is None:
                continue  # nobody who can be suspended may do it at all
            checked += 1
            await _suspend(world, role, datetime.now(UTC) + timedelta(days=3))
            try:
                problem = await _try(world, role, row)
            finally:
                await _suspend(world, role, None)
            if problem:
                problems.append(problem)
    assert checked > 30, checked
    assert not problems, "\n".join(problems)


async def _try(w: World, role: str, row: Row) -> str | None:
    r, changed = await request_as(w, role, row, row.method)
    got = outcome(r)
    if _still_theirs(row.path):
        return None if got == "ok" else f"{row.key} as suspended {role}: refused ({r.status_code})"
    if got == "ok" or r.status_code not in (403, 404):
        return f"{row.key} as suspended {role}: {r.status_code}, not refused"
    if changed:
        return f"{row.key} as suspended {role}: {changed}"
    return None
