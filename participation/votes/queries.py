"""Reading vote counts and the viewer's own votes."""

from __future__ import annotations

from dataclasses import dataclass

from participation.votes.models import Vote, VoteTally


@dataclass(frozen=True, slots=True)
class Tally:
    up: int = 0
    down: int = 0

    @property
    def total(self) -> int:
        return self.up + self.down


async def tallies(target_type: str, ids: list[int]) -> dict[int, Tally]:
    """target id -> Tally, in one query, for targets counted in ``VoteTally`` (a host that
    keeps its own counters, such as comments, shows them from its own rows)."""
    if not ids:
        return {}
    rows = await VoteTally.filter(target_type=target_type, target_id__in=list(ids)).values_list(
        "target_id", "up", "down"
    )
    return {int(r[0]): Tally(int(r[1]), int(r[2])) for r in rows}


async def tally(target_type: str, target_id: int) -> Tally:
    return (await tallies(target_type, [target_id])).get(int(target_id), Tally())


async def my_votes(user_id: int | None, target_type: str, ids: list[int]) -> dict[int, int]:
    """target id -> the user's vote value, for the targets they voted on."""
    if user_id is None or not ids:
        return {}
    rows = await Vote.filter(
        user_id=user_id, target_type=target_type, target_id__in=list(ids)
    ).values_list("target_id", "value")
    return {int(t): int(v) for t, v in rows}


async def counted(target_type: str, target_id: int) -> Tally:
    """Recount from the vote rows (checks and repairs)."""
    up = await Vote.filter(target_type=target_type, target_id=target_id, value__gt=0).count()
    down = await Vote.filter(target_type=target_type, target_id=target_id, value__lt=0).count()
    return Tally(up, down)
