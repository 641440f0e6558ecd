"""Counting signatures and the rules against fake ones: the counter job, the thresholds it
fires, the nightly recount, the per-address rate rule, scripted waves and the trending alert.

One advisory lock (``COUNTER_LOCK``) for everything that changes counts: the counter job, the
nightly recount, invalidations and suspect decisions. Two workers never count the same batch.
Each petition is counted in its own savepoint: one petition whose row cannot be processed is
logged and left for the next run, and the others are counted.
"""

from __future__ import annotations

import bisect
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from participation import jobs
from participation.db import advisory_xact_lock, is_postgres, transaction, try_advisory_xact_lock
from participation.integrity import waves
from participation.mail.services import queue_email
from participation.organisations import queries as bodies
from participation.organisations.body_settings import settings_of
from petitions import queries
from petitions.models import Petition, ResponseObligation, Signature, SignatureWave, Status

log = logging.getLogger("petitions")

COUNTER_LOCK = 0x5E7171045
COUNT_INTERVAL_SECONDS = 5
COUNT_BATCH = 20_000
NOTIFY_BATCH = 200  # signers mailed per job when a threshold is crossed
TRENDING_MIN_PER_HOUR = 100
TRENDING_FACTOR = 10
TRENDING_REPEAT = timedelta(hours=6)


# ---- the creator's mails --------------------------------------------------------------------

CREATOR_MAIL_JOB = "mail_petition_creator"
CREATOR_EVENTS = ("published", "rejected", "response", "debate")


def tell_creator(p: Petition, event: str) -> None:
    """Mail the petition's creator that ``event`` happened (``CREATOR_EVENTS``), after the
    current transaction commits. Each event happens once (a state change, a threshold's
    timestamp, all under a lock), and the mail is named after the petition and the event, so a
    re-run sends nothing twice (``tasks.mail_petition_creator``)."""
    jobs.enqueue(CREATOR_MAIL_JOB, key=f"petition-creator:{p.id}:{event}",
                 petition_id=p.id, event=event)  # fmt: skip


# ---- the rate rule --------------------------------------------------------------------------


def rate_suspects(batch: list[dict[str, Any]], history: list[dict[str, Any]]) -> set[int]:
    """Ids in ``batch`` signed from an IP that signed the same petition more than once in
    60 s, or more than five times in 300 s: the later ones are suspect. (A minute is
    exclusive, five minutes inclusive, so six signatures exactly a minute apart trip the
    second rule.)"""
    by_pair: dict[tuple[int, str], list[tuple[datetime, int]]] = {}
    for r in history:
        by_pair.setdefault((r["petition_id"], r["ip"]), []).append((r["created_at"], r["id"]))
    out: set[int] = set()
    for seq in by_pair.values():
        seq.sort()
    for r in batch:
        seq = by_pair.get((r["petition_id"], r["ip"]), [])
        me = (r["created_at"], r["id"])
        pos = bisect.bisect_left(seq, me)
        earlier_60 = pos - bisect.bisect_right(seq, (me[0] - timedelta(seconds=60), 1 << 62))
        earlier_300 = pos - bisect.bisect_left(seq, (me[0] - timedelta(seconds=300), -1))
        if earlier_60 >= 1 or earlier_300 >= 5:
            out.add(r["id"])
    return out


async def rate_suspect_ids(
    rows: list[dict[str, Any]], *, in_database: bool | None = None
) -> set[int]:
    """The ids among ``rows`` (id, petition_id, ip, created_at, sponsor) that the rate rule
    makes suspect. Sponsors are confirmed people whom the creator asked, often colleagues or
    a family behind one address: the rule neither holds them nor counts them as earlier
    signatures of their address. PostgreSQL applies it in the database (index probes per
    row, stopping at the first hits: ``queries.rate_suspect_ids``); elsewhere the rows'
    history is read and ``rate_suspects`` applies it here. Both give the same answer
    (``tests/petitions/test_hot_paths.py`` compares them on generated signatures)."""
    with_ip = [r for r in rows if r["ip"] and not r.get("sponsor")]
    if not with_ip:
        return set()
    if is_postgres() if in_database is None else in_database:
        return await queries.rate_suspect_ids([r["id"] for r in with_ip])
    times = [r["created_at"] for r in with_ip]
    history = await queries.signature_times(
        {(r["petition_id"], r["ip"]) for r in with_ip},
        min(times) - timedelta(seconds=300), max(times),
    )  # fmt: skip
    return rate_suspects(with_ip, history)


# ---- the counter job ------------------------------------------------------------------------


@dataclass
class CountResult:
    locked: bool = True
    rows: int = 0
    added: int = 0
    suspects: int = 0
    failed: int = 0  # petitions left for the next run


async def count_signatures(limit: int = COUNT_BATCH) -> CountResult:
    """The counter job: add newly confirmed signatures to their petitions' counts, once.

    Under a PostgreSQL advisory lock (a second worker finds it taken and skips); each row is
    flagged ``counted`` in the same transaction as the count it went into.
    """
    async with transaction() as txn:
        if not await try_advisory_xact_lock(txn, COUNTER_LOCK):
            return CountResult(locked=False)
        rows = await queries.uncounted(limit)
        if not rows:
            return CountResult()
        suspects = await rate_suspect_ids(rows)
        per_petition: dict[int, list[dict[str, Any]]] = {}
        for r in rows:
            per_petition.setdefault(r["petition_id"], []).append(r)
        petitions = await queries.petitions_by_id(list(per_petition))
        result = CountResult()
        for pid, its in sorted(per_petition.items()):
            try:
                async with transaction():  # a savepoint: this petition's failure is its own
                    added = await _count(petitions.get(pid), its, suspects)
            except Exception:
                log.exception("petition %s: %d signatures not counted; retried next run",
                              pid, len(its))  # fmt: skip
                result.failed += 1
                continue
            result.rows += len(its)
            result.added += added
            result.suspects += sum(1 for r in its if r["id"] in suspects)
        return result


async def _count(p: Petition | None, rows: list[dict[str, Any]], suspects: set[int]) -> int:
    """Flag one petition's rows counted (and suspect) and add the valid ones to its count."""
    ids = [r["id"] for r in rows]
    await Signature.filter(id__in=ids).update(counted=True)
    flagged = [i for i in ids if i in suspects]
    if flagged:
        await Signature.filter(id__in=flagged).update(suspect=True)
        held = sum(1 for r in rows if r["id"] in suspects and r["invalidation_id"] is None)
        if held and p is not None:
            p.under_review += held
            await p.save(update_fields=["under_review"])
    add: dict[str, int] = {}
    for r in rows:
        if r["id"] in suspects or r["suspect"] or r["invalidation_id"] is not None:
            continue
        add[r["region"]] = add.get(r["region"], 0) + 1
    if not add or p is None:
        return 0
    counts = dict(p.region_counts or {})
    for region, n in add.items():
        counts[region] = counts.get(region, 0) + n
    await _store_count(p, counts)
    return sum(add.values())


async def _store_count(p: Petition, region_counts: dict[str, int]) -> None:
    """Write a petition's count and fire the thresholds it crossed (under the counter lock)."""
    p.region_counts = {k: v for k, v in region_counts.items() if v}
    p.signature_count = sum(p.region_counts.values())
    p.counted_at = datetime.now(UTC)
    await p.save(update_fields=["region_counts", "signature_count", "counted_at"])
    await _fire_thresholds(p)


async def _fire_thresholds(p: Petition) -> None:
    """Each threshold fires once: its timestamp is set under the counter lock, and the
    obligation is unique per petition."""
    if p.status not in (Status.OPEN, Status.CLOSED):
        return
    rules = settings_of(await queries.body_of(p))
    now = datetime.now(UTC)
    if p.response_threshold_at is None and p.signature_count >= rules.petition_response_threshold:
        p.response_threshold_at = now
        await p.save(update_fields=["response_threshold_at"])
        await ResponseObligation.create(
            petition=p, body_id=p.body_id,
            deadline=now + timedelta(days=rules.petition_response_days),
        )  # fmt: skip
        jobs.enqueue("notify_petition_signers", key=f"petition-notify:{p.id}:response:0",
                     petition_id=p.id, event="response", after_id=0)  # fmt: skip
        tell_creator(p, "response")
    if p.debate_threshold_at is None and p.signature_count >= rules.petition_debate_threshold:
        p.debate_threshold_at = now
        await p.save(update_fields=["debate_threshold_at"])
        jobs.enqueue("notify_petition_signers", key=f"petition-notify:{p.id}:debate:0",
                     petition_id=p.id, event="debate", after_id=0)  # fmt: skip
        tell_creator(p, "debate")


# ---- waves ----------------------------------------------------------------------------------

WAVE_WINDOW = timedelta(hours=48)  # the history the rules compare a burst against
WAVE_RECENT = timedelta(minutes=15)  # petitions signed this recently are checked
WAVE_MAX_ROWS = 200_000  # latest signatures of one petition the rules read
WAVE_INTERVAL_SECONDS = 60
# A signature's time is taken when it is made and it commits a moment later: a check counts as
# having seen the signatures made up to this long before it.
WAVE_SETTLE = timedelta(seconds=30)


async def hold_waves(
    now: datetime | None = None, petition_ids: list[int] | None = None
) -> dict[int, int]:
    """Scripted waves (``participation.integrity.waves``: bursts from one network or mail
    domain, generated names and addresses, arrivals too regular for people...) in the open
    petitions signed in the last minutes: their signatures are held as suspect, kept and
    shown as "under review", not counted until a moderator accepts them or removes them,
    wave by wave (``SignatureWave``). Never dropped. Sponsors, signatures a moderator
    accepted and removed ones are left as they are.

    Incremental: a petition is looked at again only when it was signed since the last look
    (``Petition.waves_checked_at``), and its window is read through the (petition, time)
    index. Each petition in its own transaction under the counter lock (its count is
    recomputed); one that fails is logged and the others go on. Petition id -> newly held.
    ``petition_ids``: only these (the demo data)."""
    now = now or datetime.now(UTC)
    held: dict[int, int] = {}
    for pid in await queries.petitions_signed_since_checked(now - WAVE_RECENT, petition_ids):
        try:
            async with transaction() as txn:
                await advisory_xact_lock(txn, COUNTER_LOCK)
                n = await _hold_waves_of(pid, now)
        except Exception:
            log.exception("petition %s: wave check failed; retried next run", pid)
            continue
        if n:
            held[pid] = n
            log.warning("petition %s: %d signatures of a wave held for review", pid, n)
    return held


def _held(r: dict[str, Any]) -> bool:
    return bool(r["suspect"]) and r["invalidation_id"] is None


async def _hold_waves_of(petition_id: int, now: datetime) -> int:
    await Petition.filter(id=petition_id).update(waves_checked_at=now - WAVE_SETTLE)
    rows = await queries.wave_rows(petition_id, now - WAVE_WINDOW, WAVE_MAX_ROWS)
    if not rows:
        return 0
    summaries = waves.wave_summaries(
        [{"id": r["id"], "t": r["created_at"].timestamp(), "name": r["name"],
          "email": r["email"], "region": r["region"], "ip": r["ip"]} for r in rows]
    )  # fmt: skip
    by_id = {r["id"]: r for r in rows}
    taken: set[int] = set()
    newly = 0
    for s in summaries:
        members = [by_id[i] for i in s.ids if i in by_id and i not in taken]
        taken.update(r["id"] for r in members)
        new = [r for r in members
               if not r["suspect"] and not r["reviewed"] and r["invalidation_id"] is None]  # fmt: skip
        if not new:
            continue
        # the same wave still going on: its earlier signatures are held in a wave undecided
        earlier = Counter(r["wave_id"] for r in members if _held(r) and r["wave_id"])
        # held by the per-address rule and found by the wave rules: decided with the wave
        loose = [r for r in members if _held(r) and r["wave_id"] is None]
        wave = await _wave_for(petition_id, earlier.most_common(1)[0][0] if earlier else None,
                               s, new + loose)  # fmt: skip
        ids = [r["id"] for r in new + loose]
        for i in range(0, len(ids), 5000):
            await Signature.filter(id__in=ids[i : i + 5000]).update(suspect=True, wave_id=wave.id)
        newly += len(new)
    if newly:
        await recount_locked([petition_id])
    return newly


async def _wave_for(
    petition_id: int, wave_id: int | None, s: waves.WaveSummary, rows: list[dict[str, Any]]
) -> SignatureWave:
    """The wave these held rows join: the earlier one they continue (its reasons and times
    widened), else a new one."""
    times = [r["created_at"] for r in rows]
    wave = await SignatureWave.get_or_none(id=wave_id) if wave_id else None
    if wave is None:
        return await SignatureWave.create(
            petition_id=petition_id, rule=s.rule[:100], reasons=list(s.reasons),
            first_at=min(times), last_at=max(times),
        )  # fmt: skip
    wave.reasons = list(dict.fromkeys([*wave.reasons, *s.reasons]))
    rules = dict.fromkeys([*wave.rule.split("+"), *s.rule.split("+")])
    wave.rule = "+".join(rules)[:100]
    wave.first_at = min(wave.first_at, *times)
    wave.last_at = max(wave.last_at, *times)
    await wave.save(update_fields=["reasons", "rule", "first_at", "last_at"])
    return wave


# ---- recounting -----------------------------------------------------------------------------

RECOUNTED = (Status.OPEN, Status.CLOSED, Status.SPONSORING, Status.MODERATION, Status.REJECTED)


async def _correct(p: Petition, regions: dict[str, int], under_review: int) -> int | None:
    """Store the true count (and signatures under review) if it differs; the drift corrected
    (stored minus true) or None."""
    if p.under_review != under_review:
        p.under_review = under_review
        await p.save(update_fields=["under_review"])
    if regions == {k: v for k, v in (p.region_counts or {}).items() if v} and (
        p.signature_count == sum(regions.values())
    ):
        return None
    drift = p.signature_count - sum(regions.values())
    await _store_count(p, regions)
    return drift


async def recount_locked(petition_ids: list[int]) -> dict[int, int]:
    """Recompute these petitions' counts from their rows, inside a transaction holding the
    counter lock (a moderator's invalidation or decision): petition id -> drift corrected."""
    truth = await queries.valid_counts(petition_ids)
    review = await queries.suspect_counts(petition_ids)
    drift: dict[int, int] = {}
    for p in await Petition.filter(id__in=petition_ids, status__in=RECOUNTED):
        d = await _correct(p, truth.get(p.id, {}), review.get(p.id, 0))
        if d is not None:
            drift[p.id] = d
    return drift


async def recount_all() -> dict[int, int]:
    """The nightly full recount: corrects any drift and logs it, one petition at a time."""
    drift: dict[int, int] = {}
    async with transaction() as txn:
        await advisory_xact_lock(txn, COUNTER_LOCK)
        truth = await queries.valid_counts(None)
        review = await queries.suspect_counts(None)
        for p in await Petition.filter(status__in=RECOUNTED).order_by("id"):
            try:
                async with transaction():
                    d = await _correct(p, truth.get(p.id, {}), review.get(p.id, 0))
            except Exception:
                log.exception("petition %s: recount failed; retried next night", p.id)
                continue
            if d is not None:
                drift[p.id] = d
    for pid, d in drift.items():
        log.warning("petition %s count drifted by %+d; corrected", pid, d)
    return drift


# ---- trending -------------------------------------------------------------------------------


async def detect_trending(now: datetime | None = None) -> list[int]:
    """Signatures in the last hour far above the petition's own rate over the previous day
    flag the petition in the moderation queue and mail its moderators."""
    now = now or datetime.now(UTC)
    hour_ago = now - timedelta(hours=1)
    recent = await queries.signatures_per_petition(hour_ago)
    hot = [pid for pid, n in recent.items() if n >= TRENDING_MIN_PER_HOUR]
    if not hot:
        return []
    before = await queries.signatures_per_petition(now - timedelta(hours=25), hour_ago, hot)
    alerted = []
    for pid in sorted(hot):
        baseline = max(before.get(pid, 0) / 24, 1.0)
        if recent[pid] < TRENDING_FACTOR * baseline:
            continue
        try:
            if await _alert(pid, recent[pid], round(baseline), now):
                alerted.append(pid)
        except Exception:
            log.exception("petition %s: trending alert failed; retried next run", pid)
    return alerted


async def _alert(petition_id: int, per_hour: int, baseline: int, now: datetime) -> bool:
    async with transaction():
        p = await Petition.select_for_update().get(id=petition_id)
        if p.trending_alert_at is not None and now - p.trending_alert_at < TRENDING_REPEAT:
            return False
        p.trending_alert_at = now
        p.trending_rate = per_hour
        await p.save(update_fields=["trending_alert_at", "trending_rate"])
        for uid in await bodies.moderator_ids(p.body_id):
            queue_email("petition_trending", to_user_id=uid, petition_id=p.id,
                        title=p.title, per_hour=per_hour, baseline=baseline)  # fmt: skip
    return True
