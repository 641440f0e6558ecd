"""Casting a vote: one per person per target, changeable, 0 withdraws. Counts stay exact under
concurrency: the vote row is locked (or inserted inside a savepoint), and the counters are moved
by the DELTA in one UPDATE in the same transaction, never read-modify-written."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from participation.accounts.principal import Principal
from participation.comments.hosts import vote_host
from participation.comments.models import CONTESTED_FACTOR, Comment
from participation.db import transaction
from participation.i18n import gettext as _
from participation.votes.models import Vote, VoteTally
from participation.votes.queries import Tally, tally
from participation.web.errors import Refused


class VoteRefused(Refused):
    """A vote was not accepted (status and a translated sentence)."""


def _sign(v: int) -> tuple[int, int]:
    return (1 if v > 0 else 0, 1 if v < 0 else 0)


async def cast_vote(principal: Principal, target_type: str, target_id: int, value: int) -> Tally:
    """Record the person's vote (1 / -1, or 0 to withdraw) and return the new counts."""
    if not principal.authenticated or principal.id is None:
        raise VoteRefused(401, _("Please sign in to vote."))
    host = vote_host(target_type)
    try:
        value = int(value)
        target_id = int(target_id)
    except (TypeError, ValueError):
        raise VoteRefused(400, _("This vote is not valid.")) from None
    if value != 0 and value not in host.allowed_values:
        raise VoteRefused(400, _("This vote is not valid."))
    target = await host.load(target_id)
    if target is None:
        raise VoteRefused(404, _("We could not find what you are voting on."))
    if not await host.accepts_votes(target):
        raise VoteRefused(403, _("Voting is closed here. Nothing was changed."))
    if not await host.can_vote(principal, target):
        raise VoteRefused(403, _("You cannot vote on this."))
    user_id = principal.id
    async with transaction() as txn:
        mine = Vote.filter(target_type=target_type, target_id=target_id, user_id=user_id)
        existing = await mine.select_for_update().first()
        old = 0
        if existing is None and value != 0:
            try:
                async with transaction():  # a savepoint: a concurrent insert by the same person
                    await Vote.create(
                        target_type=target_type, target_id=target_id, user_id=user_id, value=value
                    )
            except IntegrityError:
                existing = await mine.select_for_update().first()
        if existing is not None:
            old = existing.value
            if value == 0:
                await mine.delete()
            elif value != old:
                await mine.update(value=value)
        new_up, new_down = _sign(value)
        old_up, old_down = _sign(old)
        du, dd = new_up - old_up, new_down - old_down
        if du or dd:
            await _apply(txn, target_type, target_id, du, dd)
        return await tally(target_type, target_id)


async def _apply(
    txn: BaseDBAsyncClient, target_type: str, target_id: int, du: int, dd: int
) -> None:
    if target_type == "comment":
        # one statement: the counters and the "contested" sort key move together
        table = Comment._meta.db_table
        up, down = f"(up_count + {int(du)})", f"(down_count + {int(dd)})"
        await txn.execute_query(
            f'UPDATE "{table}" SET up_count = {up}, down_count = {down}, '  # noqa: S608
            f"contested = (CASE WHEN {up} < {down} THEN {up} ELSE {down} END) "
            f"* CAST({CONTESTED_FACTOR} AS BIGINT) + {up} + {down} WHERE id = {int(target_id)}"
        )
        return
    updated = await VoteTally.filter(target_type=target_type, target_id=target_id).update(
        up=F("up") + du, down=F("down") + dd
    )
    if updated:
        return
    try:
        async with transaction():
            await VoteTally.create(target_type=target_type, target_id=target_id, up=0, down=0)
    except IntegrityError:
        pass  # created by a concurrent vote
    await VoteTally.filter(target_type=target_type, target_id=target_id).update(
        up=F("up") + du, down=F("down") + dd
    )
