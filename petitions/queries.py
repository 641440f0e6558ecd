"""Every read of the petitions domain. Queries never commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count, Max, Min

from participation.caching import memo
from participation.db import conn
from participation.integrity.text import normalise
from participation.moderation.models import ModerationState
from participation.organisations.models import Body
from petitions.models import (
    BlockedDomain,
    BlockedNetwork,
    Invalidation,
    Petition,
    ResponseObligation,
    Signature,
    SignatureStatus,
    SignatureWave,
    Status,
)

PAGE = 20
SEARCH_WORDS = 8  # words of a search that are used
_SEARCH_WORD = re.compile(r"[^\W_]+")


def search_text(*texts: str) -> str:
    """What the petition search compares: the words of a petition's title and texts, written
    one way whatever the keyboard (case, accents, Arabic and Persian letter variants, half
    spaces, Persian and Arabic-Indic digits: ``participation.integrity.text.normalise``)."""
    return " ".join(_SEARCH_WORD.findall(normalise(" ".join(texts))))


def search_words(q: str) -> list[str]:
    """The words of a search, written as ``search_text`` writes them."""
    return _SEARCH_WORD.findall(normalise(q))[:SEARCH_WORDS]


def _hidden_by_moderation() -> Subquery:
    return Subquery(
        ModerationState.filter(target_type="petition", hidden_at__isnull=False).values("target_id")
    )


async def petition_by_id(petition_id: int) -> Petition | None:
    """The petition, marked when the generic moderation hides it (``Petition.hidden``)."""
    p = await Petition.get_or_none(id=petition_id)
    if p is not None:
        state = await ModerationState.filter(
            target_type="petition", target_id=p.id, hidden_at__isnull=False
        ).values("hidden_kind", "hidden_reason")
        if state:
            kind, reason = state[0]["hidden_kind"], state[0]["hidden_reason"]
            p.moderation_hidden = str(getattr(kind, "value", kind) or "moderator")
            p.moderation_reason = str(getattr(reason, "value", reason)) if reason else None
    return p


async def petitions_by_ids(ids: list[int]) -> dict[int, Petition]:
    """Petitions by id (for the moderation queue), whatever their state."""
    return {p.id: p for p in await Petition.filter(id__in=ids)} if ids else {}


async def body_of(petition: Petition) -> Body:
    return await Body.get(id=petition.body_id)


async def bodies_by_id(ids: set[int]) -> dict[int, Body]:
    return {b.id: b for b in await Body.filter(id__in=ids)} if ids else {}


async def public_list(
    *, status: str = "open", body_id: int | None = None, sort: str = "count",
    cursor: tuple[int, int] | None = None, limit: int = PAGE, q: str = "",
) -> tuple[list[Petition], tuple[int, int] | None]:  # fmt: skip
    """Keyset pages ordered by (signature_count | id) desc, id desc; none hidden by the
    moderation. ``q``: only petitions whose title or texts contain every word of it (a part
    of a word is enough), in whatever language they are written."""
    qs = Petition.filter(status=status).exclude(id__in=_hidden_by_moderation())
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    for word in search_words(q):
        qs = qs.filter(search_text__contains=word)
    key = "signature_count" if sort == "count" else "id"
    if cursor is not None:
        value, last_id = cursor
        if key == "id":
            qs = qs.filter(id__lt=last_id)
        else:
            qs = qs.filter(
                Q(signature_count__lt=value) | Q(signature_count=value, id__lt=last_id),
                signature_count__lte=value,
            )
    rows = await qs.order_by(f"-{key}", "-id").limit(limit + 1)
    nxt = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        nxt = (last.signature_count if key != "id" else last.id, last.id)
    return rows, nxt


async def top_open(limit: int = 5) -> list[Petition]:
    return (
        await Petition.filter(status=Status.OPEN)
        .exclude(id__in=_hidden_by_moderation())
        .order_by("-signature_count", "-id")
        .limit(limit)
    )


_WORD = re.compile(r"\w{4,}", re.UNICODE)


async def similar_open(title: str, body_id: int | None = None, limit: int = 5) -> list[Petition]:
    """Open petitions whose titles share a significant word with ``title``."""
    words = sorted(set(_WORD.findall(title.lower())), key=len, reverse=True)[:5]
    if not words:
        return []
    cond = Q()
    for w in words:
        cond |= Q(title__icontains=w)
    return (
        await Petition.filter(cond, status=Status.OPEN)
        .exclude(id__in=_hidden_by_moderation())
        .order_by("-signature_count")
        .limit(limit)
    )


async def moderation_queue(body_ids: set[int] | None) -> list[Petition]:
    """Petitions waiting for a decision, oldest first; ``None`` = every body."""
    qs = Petition.filter(status=Status.MODERATION)
    if body_ids is not None:
        qs = qs.filter(body_id__in=body_ids)
    return await qs.order_by("submitted_at", "id")


async def trending(body_ids: set[int] | None) -> list[Petition]:
    qs = Petition.filter(status=Status.OPEN, trending_alert_at__isnull=False)
    if body_ids is not None:
        qs = qs.filter(body_id__in=body_ids)
    return await qs.order_by("-trending_alert_at").limit(20)


async def held_for_review(body_ids: set[int] | None, limit: int = 50) -> list[Petition]:
    """Petitions with signatures held for a moderator (a wave, the per-address rule), the most
    held first: where a moderator's review is waited for, trending now or not."""
    qs = Petition.filter(under_review__gt=0, status__in=[Status.OPEN, Status.CLOSED])
    if body_ids is not None:
        qs = qs.filter(body_id__in=body_ids)
    return await qs.order_by("-under_review", "id").limit(limit)


async def suspect_counts(petition_ids: list[int] | None) -> dict[int, int]:
    """Signatures held for review (suspect, not removed) per petition; ``None``: every one."""
    qs = Signature.filter(suspect=True, invalidation_id=None)
    if petition_ids is not None:
        qs = qs.filter(petition_id__in=petition_ids)
    rows = await qs.group_by("petition_id").annotate(n=Count("id")).values("petition_id", "n")
    return {r["petition_id"]: r["n"] for r in rows}


async def confirmed_sponsors(petition_id: int) -> int:
    return await Signature.filter(
        petition_id=petition_id, sponsor=True, status=SignatureStatus.CONFIRMED
    ).count()


@dataclass(frozen=True)
class Progress:
    """What a petition's creator is told is pending."""

    sponsors: int = 0  # confirmed sponsors
    sponsors_unconfirmed: int = 0  # signed as sponsors, link in their mail not yet followed
    unconfirmed: int = 0  # signatures waiting for their signer's confirmation
    under_review: int = 0  # held for a moderator (suspect, not invalidated)
    uncounted: int = 0  # confirmed, not yet added by the counter job


async def progress(petition_id: int) -> Progress:
    rows = (
        await Signature.filter(petition_id=petition_id, invalidation_id=None)
        .group_by("sponsor", "status", "suspect", "counted")
        .annotate(n=Count("id"))
        .values("sponsor", "status", "suspect", "counted", "n")
    )
    out = {"sponsors": 0, "sponsors_unconfirmed": 0, "unconfirmed": 0, "under_review": 0,
           "uncounted": 0}  # fmt: skip
    for r in rows:
        confirmed = str(getattr(r["status"], "value", r["status"])) == SignatureStatus.CONFIRMED
        if r["sponsor"]:
            out["sponsors" if confirmed else "sponsors_unconfirmed"] += r["n"]
        if not confirmed:
            out["unconfirmed"] += r["n"]
        elif r["suspect"]:
            out["under_review"] += r["n"]
        elif not r["counted"]:
            out["uncounted"] += r["n"]
    return Progress(**out)


WAVE_SAMPLES = 5  # signatures of a wave shown to the moderator
WAVES_SHOWN = 50


@dataclass(frozen=True)
class HeldGroup:
    """Signatures of a petition held together for one decision: a wave the rules found, or
    (``wave`` None) those the per-address rule held alone. ``upto``: the highest number among
    them, so that the decision covers what the moderator was shown."""

    wave: SignatureWave | None
    count: int
    first_at: datetime
    last_at: datetime
    upto: int
    samples: list[dict[str, Any]]


def minimised(row: dict[str, Any]) -> dict[str, Any]:
    """A held signature as a moderator sees it in a sample: the first name and the initial
    of the others, the e-mail domain, the network (/24, /48), the region and the time."""
    words = str(row.get("name") or "").split()
    name = " ".join(words[:1] + [w[:1] + "." for w in words[1:2]])
    ip = str(row.get("ip") or "")
    try:
        addr = ip_network(ip)
        network = str(ip_network(f"{ip}/{24 if addr.version == 4 else 48}", strict=False))
    except ValueError:
        network = ""
    return {
        "id": row["id"], "name": name, "domain": str(row.get("email") or "").rpartition("@")[2],
        "network": network, "region": row.get("region") or "", "created_at": row["created_at"],
    }  # fmt: skip


async def held_groups(petition_id: int) -> list[HeldGroup]:
    """A petition's held signatures (suspect, not removed) by wave, largest first."""
    rows = (
        await Signature.filter(petition_id=petition_id, suspect=True, invalidation_id=None)
        .group_by("wave_id")
        .annotate(n=Count("id"), first=Min("created_at"), last=Max("created_at"), upto=Max("id"))
        .values("wave_id", "n", "first", "last", "upto")
    )
    rows.sort(key=lambda r: (-r["n"], r["wave_id"] or 0))
    rows = rows[:WAVES_SHOWN]
    waves = {
        w.id: w
        for w in await SignatureWave.filter(
            petition_id=petition_id, id__in=[r["wave_id"] for r in rows if r["wave_id"]]
        )
    }
    out = []
    for r in rows:
        samples = (
            await Signature.filter(
                petition_id=petition_id, suspect=True, invalidation_id=None, wave_id=r["wave_id"]
            )
            .order_by("id")
            .limit(WAVE_SAMPLES)
            .values("id", "name", "email", "ip", "region", "created_at")
        )
        out.append(HeldGroup(
            wave=waves.get(r["wave_id"]) if r["wave_id"] else None, count=r["n"],
            first_at=_aware(r["first"]), last_at=_aware(r["last"]), upto=int(r["upto"]),
            samples=[minimised(x) for x in samples],
        ))  # fmt: skip
    return out


def _aware(value: Any) -> datetime:
    """An aggregate's time (SQLite gives it back as text, PostgreSQL as a datetime)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


async def wave(petition_id: int, wave_id: int) -> SignatureWave | None:
    return await SignatureWave.get_or_none(id=wave_id, petition_id=petition_id)


async def obligation(petition_id: int) -> ResponseObligation | None:
    return await ResponseObligation.get_or_none(petition_id=petition_id)


async def obligations_of_body(
    body_id: int, limit: int = 20
) -> list[tuple[Petition, ResponseObligation]]:
    """Petitions this body must respond to, nearest deadline first."""
    owed = (
        await ResponseObligation.filter(body_id=body_id, responded_at=None)
        .order_by("deadline")
        .limit(limit)
    )
    petitions = {p.id: p for p in await Petition.filter(id__in=[o.petition_id for o in owed])}
    return [(petitions[o.petition_id], o) for o in owed if o.petition_id in petitions]


async def invalidations(petition_id: int) -> list[Invalidation]:
    return await Invalidation.filter(petition_id=petition_id).order_by("-id")


async def valid_counts(petition_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """The truth: counted, confirmed, not suspect, not invalidated; per petition and region."""
    qs = Signature.filter(
        status=SignatureStatus.CONFIRMED, counted=True, suspect=False, invalidation_id=None
    )
    if petition_ids is not None:
        qs = qs.filter(petition_id__in=petition_ids)
    rows = (
        await qs.group_by("petition_id", "region")
        .annotate(n=Count("id"))
        .values("petition_id", "region", "n")
    )
    out: dict[int, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r["petition_id"], {})[r["region"]] = r["n"]
    return out


async def petitions_by_id(ids: list[int]) -> dict[int, Petition]:
    return {p.id: p for p in await Petition.filter(id__in=ids)} if ids else {}


async def due_to_close(now: datetime) -> list[int]:
    """Open petitions whose closing time has come."""
    qs = Petition.filter(status=Status.OPEN, closes_at__lte=now).order_by("id")
    return [int(i) for i in await qs.values_list("id", flat=True)]  # type: ignore[call-overload]


async def uncounted(limit: int) -> list[dict[str, Any]]:
    """Confirmed signatures the counter has not seen yet, oldest first."""
    return await (
        Signature.filter(status=SignatureStatus.CONFIRMED, counted=False)
        .order_by("id")
        .limit(limit)
        .values(
            "id",
            "petition_id",
            "ip",
            "created_at",
            "region",
            "invalidation_id",
            "suspect",
            "sponsor",
        )  # fmt: skip
    )


async def signatures_per_petition(
    since: datetime, until: datetime | None = None, petition_ids: list[int] | None = None
) -> dict[int, int]:
    """Signatures (any state) made in ``since..until`` per open petition."""
    qs = Signature.filter(created_at__gte=since, petition__status=Status.OPEN)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    if petition_ids is not None:
        qs = qs.filter(petition_id__in=petition_ids)
    rows = await qs.group_by("petition_id").annotate(n=Count("id")).values("petition_id", "n")
    return {r["petition_id"]: r["n"] for r in rows}


async def wave_rows(petition_id: int, since: datetime, limit: int) -> list[dict[str, Any]]:
    """What the wave rules need of a petition's latest signatures (any state; not the
    sponsors'), oldest first: at most ``limit``, the most recent (a range of the
    (petition, time) index)."""
    rows = (
        await Signature.filter(petition_id=petition_id, created_at__gte=since, sponsor=False)
        .order_by("-created_at", "-id")
        .limit(limit)
        .values("id", "created_at", "name", "email", "region", "ip", "suspect", "reviewed",
                "invalidation_id", "wave_id")
    )  # fmt: skip
    rows.reverse()
    return rows


async def petitions_signed_since_checked(
    since: datetime, petition_ids: list[int] | None = None
) -> list[int]:
    """Open petitions (of ``petition_ids``, if given) signed since ``since`` and since the
    wave rules last looked at them (one probe of the (petition, time) index per petition)."""
    qs = Petition.filter(status=Status.OPEN)
    if petition_ids is not None:
        qs = qs.filter(id__in=petition_ids)
    marks = await qs.values_list("id", "waves_checked_at")
    out = []
    for pid, checked in sorted(marks):  # type: ignore[call-overload]
        after = since if checked is None else max(since, checked)
        if await Signature.filter(petition_id=pid, created_at__gte=after).exists():
            out.append(int(pid))
    return out


async def signature_times(
    pairs: set[tuple[int, str]], since: datetime, until: datetime
) -> list[dict[str, Any]]:
    """Every signature (any state) of these (petition, ip) pairs in a time window, but the
    sponsors' (confirmed people, outside the rate rule)."""
    if not pairs:
        return []
    rows = await Signature.filter(
        petition_id__in={p for p, _ in pairs}, ip__in={ip for _, ip in pairs},
        created_at__gte=since, created_at__lte=until, sponsor=False,
    ).values("id", "petition_id", "ip", "created_at")  # fmt: skip
    return [r for r in rows if (r["petition_id"], r["ip"]) in pairs]


_RATE_SQL = """
SELECT s.id FROM petition_signatures s
WHERE s.id = ANY($1::bigint[]) AND NOT s.sponsor AND (
    EXISTS (
        SELECT 1 FROM petition_signatures e
        WHERE e.petition_id = s.petition_id AND e.ip = s.ip AND NOT e.sponsor
          AND e.created_at > s.created_at - interval '60 seconds'
          AND (e.created_at, e.id) < (s.created_at, s.id)
    )
    OR (
        SELECT count(*) FROM (
            SELECT 1 FROM petition_signatures e
            WHERE e.petition_id = s.petition_id AND e.ip = s.ip AND NOT e.sponsor
              AND e.created_at >= s.created_at - interval '300 seconds'
              AND (e.created_at, e.id) < (s.created_at, s.id)
            LIMIT 5
        ) earlier
    ) >= 5
)
"""


async def rate_suspect_ids(ids: list[int]) -> set[int]:
    """PostgreSQL: the rule of ``counting.rate_suspects``, computed in the database."""
    _, rows = await conn().execute_query(_RATE_SQL, [ids])
    return {int(r["id"]) for r in rows}


# ---- the signing path's lookups, kept briefly in this process ------------------------------
# Each signature commits, so these must outlive commits (``clear_on_commit=False``): the
# services that change a petition's state or the block lists forget them after their commit.

BLOCK_CACHE_SECONDS = 10.0
PETITION_CACHE_SECONDS = 1.0
_blocks = memo("petitions.blocks", BLOCK_CACHE_SECONDS, maxsize=1, clear_on_commit=False)
_petitions = memo(
    "petitions.for_signing", PETITION_CACHE_SECONDS, maxsize=10_000, clear_on_commit=False
)

Blocks = tuple[frozenset[str], tuple[IPv4Network | IPv6Network, ...]]


async def _load_blocks() -> Blocks:
    domains = frozenset(str(d) for d in await BlockedDomain.all().values_list("domain", flat=True))
    nets = []
    for cidr in await BlockedNetwork.all().values_list("cidr", flat=True):
        try:
            nets.append(ip_network(str(cidr), strict=False))
        except ValueError:
            continue
    return domains, tuple(nets)


async def blocks() -> Blocks:
    """The blocked e-mail domains and networks (every body's petitions)."""
    return await _blocks.get("all", _load_blocks)


def forget_blocks() -> None:
    _blocks.clear()


async def blocked_domains() -> list[BlockedDomain]:
    return await BlockedDomain.all().order_by("domain")


async def blocked_networks() -> list[BlockedNetwork]:
    return await BlockedNetwork.all().order_by("cidr")


async def petition_for_signing(petition_id: int) -> Petition | None:
    """The petition row as the signing path and count.json see it (up to a second old)."""
    return await _petitions.get(petition_id, lambda: petition_by_id(petition_id))


def forget_petition(petition_id: int) -> None:
    _petitions.forget(petition_id)
