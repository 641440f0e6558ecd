"""Casting a vote: one per person per target, changeable, 0 withdraws. Counts stay exact under
concurrency: the vote row is locked (or inserted inside a savepoint), and the counters are moved
by the DELTA in one UPDATE in the same transaction, never read-modify-written."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from participation.accounts.principal import Principal, refuse_if_suspended
from participation.db import transaction
from participation.errors import Forbidden, Invalid, NotFound, NotSignedIn
from participation.i18n import gettext as _
from participation.votes.models import Vote, VoteTally
from participation.votes.queries import Tally, tally
from participation.votes.targets import CountingHost, VoteHost, vote_host


def _sign(v: int) -> tuple[int, int]:
    return (1 if v > 0 else 0, 1 if v < 0 else 0)


async def cast_vote(principal: Principal, target_type: str, target_id: int, value: int) -> Tally:
    """Record the person's vote (1 / -1, or 0 to withdraw) and return the new counts."""
    if not principal.authenticated or principal.id is None:
        raise NotSignedIn(_("Please sign in to vote."))
    refuse_if_suspended(principal)
    host = vote_host(target_type)
    try:
        value = int(value)
        target_id = int(target_id)
    except (TypeError, ValueError):
        raise Invalid(_("This vote is not valid.")) from None
    if value != 0 and value not in host.allowed_values:
        raise Invalid(_("This vote is not valid."))
    target = await host.load(target_id)
    if target is None:
        raise NotFound(_("We could not find what you are voting on."))
    if not await host.accepts_votes(target):
        raise Forbidden(_("Voting is closed here. Nothing was changed."))
    if not await host.can_vote(principal, target):
        raise Forbidden(_("You cannot vote on this."))
    user_id = principal.id
    async with transaction():
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
            await _apply(host, target_type, target_id, du, dd)
        if isinstance(host, CountingHost):
            return Tally(*await host.counts(target_id))
        return await tally(target_type, target_id)


async def _apply(host: VoteHost, target_type: str, target_id: int, du: int, dd: int) -> None:
    if isinstance(host, CountingHost):  # the target keeps its own counters
        await host.move_counts(target_id, du, dd)
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
