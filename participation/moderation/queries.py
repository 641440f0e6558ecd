"""Every read of moderation: the queue (items waiting for a moderator, by flags then age), the
recently hidden, appeals, suspensions and the public record per space. What each item says
comes from its host (``targets.ModerationHost``); a body moderator's share of the queue is
selected through ``ModerationScope`` in the same query."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from participation.accounts.models import User
from participation.integrity import queries as integrity
from participation.integrity.variations import Variation, variation
from participation.moderation.models import (
    HELD,
    Appeal,
    Flag,
    FlagReason,
    HiddenKind,
    ModerationScope,
    ModerationState,
)
from participation.moderation.targets import Link, moderated
from participation.organisations.models import Membership, Role

QUEUE_PAGE = 50
VARIATIONS = 3  # latest copies of a campaign shown against its representative


@dataclass(slots=True)
class QueueItem:
    target_type: str
    target_id: int
    flag_count: int
    reasons: dict[str, int]
    hidden_at: datetime | None
    hidden_reason: str | None
    hidden_kind: str | None = None
    queued_at: datetime | None = None
    hidden_by_id: int | None = None
    author_id: int | None = None
    notes: list[str] = field(default_factory=list)  # what flaggers wrote ("other" and notes)
    # what it says, who wrote it, where (filled from its host)
    excerpt: str = ""
    author_name: str = ""
    link: Link | None = None
    context: str = ""
    parent_excerpt: str = ""


def _code(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


_STATE_FIELDS = (
    "target_type", "target_id", "flag_count", "hidden_at", "hidden_reason", "hidden_kind",
    "queued_at", "hidden_by_id", "author_id",
)  # fmt: skip


def _item(row: dict[str, Any]) -> QueueItem:
    return QueueItem(
        row["target_type"], row["target_id"], row["flag_count"], {}, row["hidden_at"],
        _code(row["hidden_reason"]), _code(row["hidden_kind"]), row["queued_at"],
        row["hidden_by_id"], row["author_id"],
    )  # fmt: skip


async def _reasons(items: list[QueueItem]) -> list[QueueItem]:
    """The flags not cleared by an approval: how many per reason, and what people wrote."""
    if not items:
        return items
    index = {(i.target_type, i.target_id): i for i in items}
    flags = await Flag.filter(
        target_id__in=[i.target_id for i in items], cleared_at__isnull=True
    ).values("target_type", "target_id", "reason", "note")
    for f in flags:
        item = index.get((f["target_type"], f["target_id"]))
        if item is None:
            continue
        reason = _code(f["reason"]) or ""
        item.reasons[reason] = item.reasons.get(reason, 0) + 1
        if f["note"]:
            item.notes.append(f["note"])
    return items


def _scoped(qs: QuerySet[ModerationState], body_ids: set[int] | None) -> QuerySet[ModerationState]:
    """Only the states of items of these bodies (None: every item)."""
    if body_ids is None:
        return qs
    return qs.filter(
        id__in=Subquery(ModerationScope.filter(body_id__in=sorted(body_ids)).values("state_id"))
    )


def _waiting() -> QuerySet[ModerationState]:
    return ModerationState.filter(queued_at__isnull=False)


async def queue(body_ids: set[int] | None, limit: int = QUEUE_PAGE) -> list[QueueItem]:
    """Items waiting for a moderator (flagged, hidden pending review, held for approval), most
    flagged first, then those waiting longest."""
    rows = (
        await _scoped(_waiting(), body_ids)
        .order_by("-flag_count", "queued_at", "id")
        .limit(limit)
        .values(*_STATE_FIELDS)
    )
    return await _reasons([_item(r) for r in rows])


async def queue_size(body_ids: set[int] | None) -> int:
    return await _scoped(_waiting(), body_ids).count()


async def recently_hidden(body_ids: set[int] | None, limit: int = QUEUE_PAGE) -> list[QueueItem]:
    """Items hidden by a moderator, latest first (to restore one)."""
    rows = (
        await _scoped(ModerationState.filter(hidden_kind=HiddenKind.MODERATOR), body_ids)
        .filter(hidden_at__isnull=False)
        .order_by("-hidden_at", "-id")
        .limit(limit)
        .values(*_STATE_FIELDS)
    )
    return await _reasons([_item(r) for r in rows])


async def state_of(target_type: str, target_id: int) -> ModerationState | None:
    return await ModerationState.get_or_none(target_type=target_type, target_id=target_id)


async def flagged_by(user_id: int, target_type: str, target_id: int) -> bool:
    return await Flag.exists(target_type=target_type, target_id=target_id, user_id=user_id)


async def to_alert(min_flags: int, limit: int = 500) -> list[ModerationState]:
    """Waiting items that passed the alert flag count and whose moderators were not told."""
    return (
        await _waiting()
        .filter(flag_count__gte=min_flags, alerted_at__isnull=True)
        .order_by("queued_at", "id")
        .limit(limit)
    )


async def scope_bodies(state_ids: list[int]) -> dict[int, list[int]]:
    """state id -> the bodies whose moderators may act on its item."""
    out: dict[int, list[int]] = {}
    if state_ids:
        for r in await ModerationScope.filter(state_id__in=state_ids).values("state_id", "body_id"):
            out.setdefault(r["state_id"], []).append(r["body_id"])
    return out


# ---- moderators -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Moderators:
    """Who moderates: global moderators (and administrators) and each body's moderators."""

    everywhere: tuple[int, ...]
    by_body: dict[int, tuple[int, ...]]

    def of(self, body_ids: list[int] | tuple[int, ...]) -> list[int]:
        ids = set(self.everywhere)
        for b in body_ids:
            ids.update(self.by_body.get(b, ()))
        return sorted(ids)


def _not_suspended(prefix: str = "") -> Q:
    now = datetime.now(UTC)
    unset: dict[str, Any] = {f"{prefix}suspended_until__isnull": True}
    over: dict[str, Any] = {f"{prefix}suspended_until__lte": now}
    return Q(**unset) | Q(**over)


async def moderators(*, admins: bool = True) -> Moderators:
    """Every active, not suspended person who may moderate; ``admins=False``: those who hold
    the moderator role only (alerts go to them: administrators may act, but are not on the
    rota)."""
    members = (
        await Membership.filter(role=Role.MODERATOR, user__is_active=True)
        .filter(_not_suspended("user__"))
        .values("user_id", "body_id")
    )
    everywhere: set[int] = set()
    if admins:
        staff = User.filter(_not_suspended(), is_admin=True, is_active=True)
        everywhere.update(u.id for u in await staff.only("id"))
    by_body: dict[int, set[int]] = {}
    for m in members:
        if m["body_id"] is None:
            everywhere.add(m["user_id"])
        else:
            by_body.setdefault(m["body_id"], set()).add(m["user_id"])
    return Moderators(tuple(sorted(everywhere)), {b: tuple(sorted(u)) for b, u in by_body.items()})


async def open_appeal_counts(user_ids: list[int]) -> dict[int, int]:
    """How many undecided appeals each of these moderators holds."""
    if not user_ids:
        return {}
    rows = (
        await Appeal.filter(assigned_to_id__in=user_ids, decided_at__isnull=True)
        .annotate(n=Count("id"))
        .group_by("assigned_to_id")
        .values("assigned_to_id", "n")
    )
    return {r["assigned_to_id"]: r["n"] for r in rows}


async def users_by_id(ids: set[int]) -> dict[int, User]:
    return {u.id: u for u in await User.filter(id__in=sorted(ids))} if ids else {}


# ---- appeals --------------------------------------------------------------------------------


async def appeal_states(target_type: str, ids: list[int]) -> dict[int, str]:
    """target id -> "open", "restored" or "upheld" for the items that were appealed."""
    if not ids:
        return {}
    rows = await Appeal.filter(target_type=target_type, target_id__in=list(ids)).values(
        "target_id", "outcome"
    )
    return {int(r["target_id"]): _code(r["outcome"]) or "open" for r in rows}


async def appeal_of(target_type: str, target_id: int) -> Appeal | None:
    return await Appeal.get_or_none(target_type=target_type, target_id=target_id)


async def appeal_by_id(appeal_id: int) -> Appeal | None:
    return await Appeal.get_or_none(id=appeal_id)


async def open_appeals(limit: int = QUEUE_PAGE) -> list[Appeal]:
    """Undecided appeals, oldest first (the view keeps those the moderator may decide)."""
    return await Appeal.filter(decided_at__isnull=True).order_by("created_at", "id").limit(limit)


# ---- suspensions ----------------------------------------------------------------------------


async def suspended_people(limit: int = 200) -> list[User]:
    """People suspended from taking part now, the soonest back first."""
    return (
        await User.filter(suspended_until__gt=datetime.now(UTC))
        .order_by("suspended_until", "id")
        .limit(limit)
    )


async def person(user_id: int) -> User | None:
    return await User.get_or_none(id=user_id)


# ---- the public record ------------------------------------------------------------------------


@dataclass(slots=True)
class SpaceRecord:
    """What moderation did in one space, in numbers."""

    hidden_by_reason: dict[str, int] = field(default_factory=dict)
    pending_review: int = 0  # hidden by flags, waiting for a moderator
    awaiting_approval: int = 0  # held by pre-moderation or the word list
    appeals_restored: int = 0
    appeals_upheld: int = 0
    appeals_open: int = 0

    @property
    def hidden(self) -> int:
        return sum(self.hidden_by_reason.values())


async def space_record(space_type: str, space_id: int) -> SpaceRecord:
    rows = (
        await ModerationState.filter(
            space_type=space_type, space_id=space_id, hidden_at__isnull=False
        )
        .annotate(n=Count("id"))
        .group_by("hidden_kind", "hidden_reason")
        .values("hidden_kind", "hidden_reason", "n")
    )
    record = SpaceRecord()
    for r in rows:
        kind = _code(r["hidden_kind"]) or HiddenKind.MODERATOR.value
        if kind == HiddenKind.FLAGS.value:
            record.pending_review += r["n"]
        elif kind in (k.value for k in HELD):
            record.awaiting_approval += r["n"]
        else:
            reason = _code(r["hidden_reason"]) or FlagReason.OTHER.value
            record.hidden_by_reason[reason] = record.hidden_by_reason.get(reason, 0) + r["n"]
    in_space = ModerationState.filter(space_type=space_type, space_id=space_id)
    appeals: list[dict[str, Any]] = []
    for target_type in await in_space.distinct().values_list("target_type", flat=True):
        ids = Subquery(in_space.filter(target_type=target_type).values("target_id"))
        appeals += (
            await Appeal.filter(target_type=target_type, target_id__in=ids)
            .annotate(n=Count("id"))
            .group_by("outcome")
            .values("outcome", "n")
        )
    for a in appeals:
        outcome = _code(a["outcome"])
        if outcome == "restored":
            record.appeals_restored += a["n"]
        elif outcome == "upheld":
            record.appeals_upheld += a["n"]
        else:
            record.appeals_open += a["n"]
    return record


async def spaces_with_hidden(limit: int = 200) -> list[dict[str, Any]]:
    """Spaces where something is hidden, the most first: space_type, space_id, n."""
    return (
        await ModerationState.filter(hidden_at__isnull=False)
        .exclude(space_type="")
        .annotate(n=Count("id"))
        .group_by("space_type", "space_id")
        .order_by("-n", "space_type", "space_id")
        .limit(limit)
        .values("space_type", "space_id", "n")
    )


# ---- campaigns ------------------------------------------------------------------------------


@dataclass(slots=True)
class CampaignRow:
    """A group of near-duplicate comments (``participation.integrity``) as one queue row."""

    group_id: int
    copies: int  # copies readers still see
    size: int  # every copy, hidden ones included
    authors: int
    places: int  # sections (targets) the copies are on
    excerpt: str  # the representative's words, plain text
    first_at: datetime
    last_at: datetime
    representative_id: int
    context: str = ""  # where the representative was said (filled from its host)
    link: Link | None = None
    variations: list[Variation] = field(default_factory=list)  # the latest copies, as diffs


async def campaigns(
    allowed: Callable[[Sequence[int]], bool] | None, min_size: int, limit: int
) -> list[CampaignRow]:
    """Near-duplicate groups with ``min_size`` copies or more that readers still see, largest
    first; with ``allowed`` (a body moderator), only the groups of spaces whose bodies it
    accepts (every copy of a group is in one space: the same bodies)."""
    out: list[CampaignRow] = []
    for space_type, space_id in await integrity.spaces_with_groups(min_size):
        for g in await integrity.campaign_groups(space_type, space_id, min_size=min_size,
                                                 visible_only=True):  # fmt: skip
            if allowed is not None:
                item = await moderated("comment", g.representative_id)
                if item is None or not allowed(item.body_ids):
                    continue
            row = CampaignRow(
                g.id, g.visible, g.size, g.authors, len(g.targets), g.representative_text,
                g.first_at, g.last_at, g.representative_id,
            )  # fmt: skip
            samples = [i for i in reversed(g.comment_ids) if i != g.representative_id]
            said = await integrity.texts(samples[:VARIATIONS])
            row.variations = [
                variation(i, g.representative_text, said[i]) for i in samples[:VARIATIONS]
                if i in said
            ]  # fmt: skip
            out.append(row)
    out.sort(key=lambda r: (-r.copies, r.first_at, r.group_id))
    return out[:limit]


async def campaign_member_ids(group_id: int) -> list[int]:
    """The comments of one near-duplicate group, oldest first."""
    return await integrity.group_member_ids(group_id)
