"""Every read of accountability: obligations, responses, commitments (the scoreboard reads
these too). Lists are keyset-paginated by id (``after``: the last id of the previous page;
``limit + 1`` rows are read so the caller knows whether there is more)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from participation.accountability.deadlines import Standing, standing
from participation.accountability.models import (
    Commitment,
    CommitmentFollow,
    CommitmentLink,
    CommitmentStatus,
    CommitmentUpdate,
    Milestone,
    Obligation,
    Response,
    ResponsePart,
)
from participation.accountability.targets import find_host
from participation.organisations.models import Membership, Role

# ---- obligations ------------------------------------------------------------------------------


async def obligation(target_type: str, target_id: int) -> Obligation | None:
    return await Obligation.get_or_none(target_type=target_type, target_id=target_id)


async def obligations_of(keys: list[tuple[str, int]]) -> dict[tuple[str, int], Obligation]:
    """The obligations of these (target type, target id) pairs, in one query per type."""
    out: dict[tuple[str, int], Obligation] = {}
    for kind in sorted({k for k, _ in keys}):
        ids = sorted({i for k, i in keys if k == kind})
        for ob in await Obligation.filter(target_type=kind, target_id__in=ids):
            out[(ob.target_type, ob.target_id)] = ob
    return out


async def obligation_by_id(obligation_id: int) -> Obligation | None:
    return await Obligation.get_or_none(id=obligation_id)


async def obligations(
    *, body_id: int | None = None, target_type: str | None = None
) -> list[Obligation]:
    """Every obligation (of one body, of one kind of target), oldest deadline first."""
    qs = Obligation.all()
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    if target_type is not None:
        qs = qs.filter(target_type=target_type)
    return await qs.order_by("due_at", "id")


async def overdue(now: datetime, *, body_id: int | None = None) -> list[Obligation]:
    """Unanswered obligations whose deadline has passed at ``now``, longest overdue first."""
    qs = Obligation.filter(answered_at=None, due_at__lt=now)
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    return await qs.order_by("due_at", "id")


async def obligations_page(
    now: datetime, *, after: int = 0, limit: int = 50, body_id: int | None = None,
    target_type: str | None = None, state: str | None = None,
) -> list[Obligation]:  # fmt: skip
    """Obligations by id ascending after ``after`` (``limit + 1`` rows); ``state``: "due"
    (unanswered, deadline ahead at ``now``), "overdue" (unanswered, deadline passed) or
    "answered"."""
    qs = Obligation.filter(id__gt=after)
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    if target_type is not None:
        qs = qs.filter(target_type=target_type)
    if state == "due":
        qs = qs.filter(answered_at=None, due_at__gte=now)
    elif state == "overdue":
        qs = qs.filter(answered_at=None, due_at__lt=now)
    elif state == "answered":
        qs = qs.filter(answered_at__not_isnull=True)
    return await qs.order_by("id").limit(limit + 1)


async def to_mark_overdue(now: datetime) -> list[int]:
    """Ids of the obligations overdue at ``now`` that the daily job has not marked yet."""
    rows = (
        await Obligation.filter(answered_at=None, due_at__lt=now, overdue_at=None)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return [int(r) for r in rows]  # type: ignore[call-overload]


async def recorded_targets(target_type: str) -> set[int]:
    """Ids of the targets of one type that have an obligation row."""
    rows = await Obligation.filter(target_type=target_type).values_list("target_id", flat=True)
    return {int(r) for r in rows}  # type: ignore[call-overload]


# ---- responses --------------------------------------------------------------------------------


async def response(response_id: int) -> Response | None:
    return await Response.get_or_none(id=response_id)


async def response_for(target_type: str, target_id: int) -> Response | None:
    return await Response.get_or_none(target_type=target_type, target_id=target_id)


async def parts(response_id: int) -> list[ResponsePart]:
    return await ResponsePart.filter(response_id=response_id).order_by("position", "id")


async def parts_answering(target_type: str, target_id: int) -> list[ResponsePart]:
    """The response parts about one target (a section), newest response first."""
    return await ResponsePart.filter(target_type=target_type, target_id=target_id).order_by(
        "-response_id"
    )


async def responses(
    *, after: int = 0, limit: int = 50, target_type: str | None = None,
    body_id: int | None = None,
) -> list[Response]:  # fmt: skip
    """Responses by id ascending after ``after`` (``limit + 1`` rows)."""
    qs = Response.filter(id__gt=after)
    if target_type is not None:
        qs = qs.filter(target_type=target_type)
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    return await qs.order_by("id").limit(limit + 1)


async def recent_responses(limit: int = 20) -> list[Response]:
    return await Response.all().order_by("-published_at", "-id").limit(limit)


# ---- commitments ------------------------------------------------------------------------------


async def commitment(commitment_id: int) -> Commitment | None:
    return await Commitment.get_or_none(id=commitment_id)


async def commitments_of_response(response_id: int) -> list[Commitment]:
    return await Commitment.filter(response_id=response_id).order_by("id")


async def commitments_of_responses(response_ids: list[int]) -> dict[int, list[Commitment]]:
    out: dict[int, list[Commitment]] = {rid: [] for rid in response_ids}
    if response_ids:
        for c in await Commitment.filter(response_id__in=response_ids).order_by("id"):
            out[c.response_id].append(c)
    return out


async def commitments_answering(target_type: str, target_id: int) -> list[Commitment]:
    """The commitments that name this target (a section, a comment, a petition...) among
    what they answer."""
    ids = await CommitmentLink.filter(target_type=target_type, target_id=target_id).values_list(
        "commitment_id", flat=True
    )
    if not ids:
        return []
    return await Commitment.filter(id__in=list(ids)).order_by("id")


async def commitments(
    *, after: int = 0, limit: int = 50, body_id: int | None = None,
    status: CommitmentStatus | None = None,
) -> list[Commitment]:  # fmt: skip
    """Commitments by id ascending after ``after`` (``limit + 1`` rows)."""
    qs = Commitment.filter(id__gt=after)
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    if status is not None:
        qs = qs.filter(status=status)
    return await qs.order_by("id").limit(limit + 1)


async def commitments_of_body(body_id: int) -> list[Commitment]:
    return await Commitment.filter(body_id=body_id).order_by("id")


async def links(commitment_id: int) -> list[CommitmentLink]:
    return await CommitmentLink.filter(commitment_id=commitment_id).order_by("id")


async def links_of(commitment_ids: list[int]) -> list[CommitmentLink]:
    """The links of these commitments, in one query."""
    if not commitment_ids:
        return []
    return await CommitmentLink.filter(commitment_id__in=commitment_ids).order_by(
        "commitment_id", "id"
    )


async def milestones(commitment_id: int) -> list[Milestone]:
    return await Milestone.filter(commitment_id=commitment_id).order_by("due_on", "id")


async def milestone(milestone_id: int) -> Milestone | None:
    return await Milestone.get_or_none(id=milestone_id)


async def updates(commitment_id: int) -> list[CommitmentUpdate]:
    """The history of a commitment, oldest first."""
    return await CommitmentUpdate.filter(commitment_id=commitment_id).order_by("created_at", "id")


async def update(update_id: int) -> CommitmentUpdate | None:
    return await CommitmentUpdate.get_or_none(id=update_id)


async def is_following(commitment_id: int, user_id: int) -> bool:
    return await CommitmentFollow.exists(commitment_id=commitment_id, user_id=user_id)


async def follower_ids(commitment_id: int, *, after: int = 0, limit: int = 500) -> list[int]:
    """User ids following a commitment, ascending after ``after``."""
    rows = (
        await CommitmentFollow.filter(commitment_id=commitment_id, user_id__gt=after)
        .order_by("user_id")
        .limit(limit)
        .values_list("user_id", flat=True)
    )
    return [int(r) for r in rows]  # type: ignore[call-overload]


async def official_ids(body_id: int, roles: Iterable[Role]) -> list[int]:
    """Users holding one of ``roles`` in a body (whom its overdue answers are mailed to)."""
    rows = await Membership.filter(body_id=body_id, role__in=list(roles)).values_list(
        "user_id", flat=True
    )
    return sorted({int(r) for r in rows})  # type: ignore[call-overload]


# ---- what a page of a host shows --------------------------------------------------------------


@dataclass
class Panel:
    """What accountability shows on a host's page (a consultation, a section, a petition):
    the obligation and where it stands, the response, the parts that answer this target,
    and the commitments that answer it."""

    obligation: Obligation | None = None
    standing: Standing | None = None
    response: Response | None = None
    parts: list[ResponsePart] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.obligation or self.response or self.parts or self.commitments)


async def panel(target_type: str, target_id: int, now: datetime) -> Panel:
    """What a host's page shows; an obligation not yet recorded (the hourly job records it)
    is shown from what the host says is owed."""
    out = Panel()
    host = find_host(target_type)
    if host is None:  # a part (a section): only the response parts and commitments about it
        out.parts = await parts_answering(target_type, target_id)
        if out.parts:
            out.response = await response(out.parts[0].response_id)
            out.parts = [p for p in out.parts if p.response_id == out.parts[0].response_id]
        out.commitments = await commitments_answering(target_type, target_id)
        return out
    out.obligation = await obligation(target_type, target_id)
    if out.obligation is None:
        target = await host.load(target_id)
        owed = await host.owed(target) if target is not None else None
        if owed is not None:  # owed, not yet recorded by the hourly job: shown as owed
            out.obligation = Obligation(
                target_type=target_type, target_id=target_id, body_id=owed.body_id,
                opened_at=owed.opened_at, due_at=owed.due_at, answered_at=owed.answered_at,
            )  # fmt: skip
    if out.obligation is not None:
        out.standing = standing(out.obligation.due_at, out.obligation.answered_at, now)
    out.response = await response_for(target_type, target_id)
    if out.response is not None:
        out.parts = [
            p for p in await parts(out.response.id)
            if (p.target_type, p.target_id) == (target_type, target_id)
        ]  # fmt: skip
    out.commitments = await commitments_answering(target_type, target_id)
    return out
