"""Signing a petition: the signer's one use case (``sign_petition``), the confirmation link,
sponsors, the expiry of unconfirmed signatures, and the signature write path under them.

What a signer is told does not reveal whether an address had signed: a new signature, a repeat
and another spelling of the same mailbox (case, ``+tag``, Gmail dots) all get "check your
mail". Only a signed-in person whose confirmed address is the one given learns more (it is
theirs). A repeat re-sends the confirmation link, at most ``RESEND_PER_ADDRESS`` per mailbox
and ``RESEND_PER_NETWORK`` per network, so the form cannot be used to flood a mailbox.

The write path: one insert, the confirmation mail in the outbox of the same transaction. On
PostgreSQL the insert is GROUP COMMITTED: each request queues its row in-process and waits; one
task takes up to ``MAX_BATCH`` queued rows and writes them in ONE statement (``INSERT ...
SELECT FROM unnest(...) ON CONFLICT DO NOTHING``) and the outbox row of their mail job, one
round trip (a single statement is its own transaction); each request answers once its batch
has committed. The mail job's outbox row is handed to the job runner within a tenth of a
second, with the rows of the other batches of that moment (``jobs.dispatch(rows,
soon=True)``; a row whose hand-over is lost is delivered by the outbox sweeper).
That transaction is not a unit of work of ``participation.db``: a signature changes no page
(counts move with the counter job), so a batch does not empty the read cache. On SQLite the
same row goes through a normal unit of work. ``tests/petitions/test_hot_paths.py`` feeds
both paths the same generated signatures and compares what they stored and queued.

No shared counter row is touched here: the counter job (``petitions.counting``) adds confirmed
signatures to the petitions' counts in batches.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from ipaddress import ip_address, ip_network
from typing import Any

from disposable_email_domains import blocklist as DISPOSABLE
from itsdangerous import BadSignature, URLSafeTimedSerializer

from participation import jobs
from participation.accounts.principal import Principal, refuse_if_suspended
from participation.db import conn, is_postgres, transaction
from participation.errors import Invalid
from participation.groupcommit import GroupCommit, per_loop
from participation.i18n import gettext as _
from participation.models import OutboxJob
from participation.ratelimit import RateLimiter
from petitions import queries
from petitions.forms import SignInput
from petitions.models import Petition, Signature, SignatureStatus, Status

log = logging.getLogger("petitions.signing")

MAX_BATCH = 128
CONFIRMATION_JOB = "send_signature_confirmations"
CONFIRM_SALT = "petition-signature"
PENDING_DAYS = 7
RESEND_PER_ADDRESS = "3/hour"  # confirmation links re-sent to one mailbox
RESEND_PER_NETWORK = "30/hour"  # ... and asked for from one network (/24, /64)

GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


def canonical_email(email: str) -> str:
    """Lower case; ``+tag`` removed; dots removed for Gmail (one mailbox, many spellings)."""
    email = email.strip().lower()
    local, _, domain = email.rpartition("@")
    if not local:
        return email
    local = local.split("+", 1)[0]
    if domain in GMAIL_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


# ---- the use cases --------------------------------------------------------------------------


class SignResult(StrEnum):
    SIGNED = "signed"  # counted soon: the signer proved the address (signed in, confirmed)
    PENDING = "pending"  # check your mail: new, repeated or respelt, said alike
    REPEAT = "repeat"  # the proven owner of the address had signed already


@dataclass(frozen=True)
class Signer:
    """Who is signing, as the request shows them."""

    viewer: Principal
    ip: str
    locale: str


async def sign_petition(
    petition: Petition, data: SignInput, signer: Signer, *, sponsor: bool = False,
    sponsors_needed: int = 0, limiter: RateLimiter | None = None,
) -> SignResult:  # fmt: skip
    """A signature (or a sponsor's) for ``petition``: refusals (``Invalid`` on the e-mail
    field), one insert with its confirmation mail, the move to moderation once a proven
    sponsor completes the sponsors, a limited re-send of the link for a repeat. A signed-in
    person suspended from taking part is refused."""
    refuse_if_suspended(signer.viewer)
    await _refuse_blocked(data.email, signer.ip)
    user = signer.viewer.user
    proven = (
        user is not None
        and user.confirmed
        and canonical_email(user.email) == canonical_email(data.email)
    )
    sig = NewSignature(
        petition_id=petition.id, name=data.name, email=data.email, region=data.region,
        opt_in=data.opt_in, ip=signer.ip, locale=signer.locale,
        user_id=user.id if user is not None else None, confirmed=proven, sponsor=sponsor,
    )  # fmt: skip
    if await insert_signature(sig):
        if proven and sponsor:
            await check_sponsors(petition.id, sponsors_needed)
        return SignResult.SIGNED if proven else SignResult.PENDING
    if await _may_resend(limiter, sig):
        async with transaction():
            jobs.enqueue(CONFIRMATION_JOB, keys=[[sig.petition_id, sig.canonical]])
    return SignResult.REPEAT if proven else SignResult.PENDING


async def _refuse_blocked(email: str, ip: str) -> None:
    domain = email.rpartition("@")[2].lower()
    if domain in DISPOSABLE:
        raise Invalid(
            _("Please use a permanent e-mail address; disposable addresses cannot sign."),
            field="email",
        )
    domains, networks = await queries.blocks()
    if domain in domains:
        raise Invalid(_("Signatures from this e-mail domain are not accepted."), field="email")
    if networks and ip:
        try:
            addr = ip_address(ip)
        except ValueError:
            return
        if any(addr in n for n in networks):
            raise Invalid(
                _("Signatures from your network are not accepted at the moment."), field="email"
            )


def _network(ip: str) -> str:
    try:
        addr = ip_address(ip)
    except ValueError:
        return ip
    return str(ip_network(f"{addr}/{24 if addr.version == 4 else 64}", strict=False))


async def _may_resend(limiter: RateLimiter | None, sig: NewSignature) -> bool:
    """Whether a repeat may re-send the confirmation link. A limiter that fails lets it
    through (logged): the limit guards a mailbox, it must never fail the signing."""
    if limiter is None:
        return True
    try:
        by_address = await limiter.hit(RESEND_PER_ADDRESS, "petition-resend", sig.canonical)
        by_network = await limiter.hit(RESEND_PER_NETWORK, "petition-resend-net", _network(sig.ip))
    except Exception:
        log.exception("rate limiter failed; the confirmation link is re-sent without a limit")
        return True
    if not (by_address and by_network):
        log.info("confirmation re-send limited (petition %s)", sig.petition_id)
    return by_address and by_network


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=CONFIRM_SALT)


def confirmation_token(secret_key: str, signature_id: int) -> str:
    return _serializer(secret_key).dumps(signature_id)


async def confirm_signature(secret_key: str, token: str, sponsors_needed: int) -> Signature | None:
    """Follow the mailed link: the pending signature becomes confirmed (idempotent); a
    sponsor's may complete the sponsors. None when the link is forged or expired."""
    try:
        sid = _serializer(secret_key).loads(token, max_age=PENDING_DAYS * 24 * 3600)
    except BadSignature:
        return None
    if not isinstance(sid, int):
        return None
    sig = await Signature.get_or_none(id=sid)
    if sig is None:
        return None
    if sig.status == SignatureStatus.PENDING:
        async with transaction():
            await Signature.filter(id=sid, status=SignatureStatus.PENDING).update(
                status=SignatureStatus.CONFIRMED, confirmed_at=datetime.now(UTC)
            )
        sig.status = SignatureStatus.CONFIRMED
    if sig.sponsor:
        await check_sponsors(sig.petition_id, sponsors_needed)
    return sig


async def check_sponsors(petition_id: int, needed: int) -> bool:
    """Move a petition to the moderation queue once it has enough confirmed sponsors."""
    if await queries.confirmed_sponsors(petition_id) < needed:
        return False
    async with transaction():
        moved = await Petition.filter(id=petition_id, status=Status.SPONSORING).update(
            status=Status.MODERATION, submitted_at=datetime.now(UTC)
        )
    queries.forget_petition(petition_id)
    return bool(moved)


async def expire_pending(now: datetime | None = None) -> int:
    """Pending signatures older than seven days are removed (their links expire too)."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=PENDING_DAYS)
    async with transaction():
        return await Signature.filter(
            status=SignatureStatus.PENDING, created_at__lt=cutoff
        ).delete()


# ---- the write path -------------------------------------------------------------------------


@dataclass
class NewSignature:
    petition_id: int
    name: str
    email: str
    region: str
    opt_in: bool
    ip: str
    locale: str
    user_id: int | None = None
    confirmed: bool = False  # a signed-in user with a confirmed address signs in one step
    sponsor: bool = False
    canonical: str = ""
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        if not self.canonical:
            self.canonical = canonical_email(self.email)

    @property
    def key(self) -> tuple[int, str]:
        return self.petition_id, self.canonical


async def insert_signature(sig: NewSignature) -> bool:
    """The one write of signing: True if inserted, False if this person already signed (or
    the petition no longer takes this kind of signature). A new unconfirmed signature's
    confirmation mail is queued in the same transaction."""
    if is_postgres():
        return await batcher().submit(sig)
    return await insert_simple(sig)


async def insert_simple(sig: NewSignature) -> bool:
    """One signature in one unit of work (SQLite, and the reference for the batch)."""
    async with transaction():
        wanted = Status.SPONSORING if sig.sponsor else Status.OPEN
        if not await Petition.filter(id=sig.petition_id, status=wanted).exists():
            return False
        if await Signature.filter(
            petition_id=sig.petition_id, canonical_email=sig.canonical
        ).exists():
            return False
        await Signature.create(
            petition_id=sig.petition_id, name=sig.name, email=sig.email,
            canonical_email=sig.canonical, region=sig.region, opt_in=sig.opt_in, ip=sig.ip,
            user_id=sig.user_id, locale=sig.locale, sponsor=sig.sponsor,
            status=SignatureStatus.CONFIRMED if sig.confirmed else SignatureStatus.PENDING,
            created_at=sig.created_at, confirmed_at=sig.created_at if sig.confirmed else None,
        )  # fmt: skip
        if not sig.confirmed:
            jobs.enqueue(CONFIRMATION_JOB, keys=[[sig.petition_id, sig.canonical]])
    return True


_BATCH_SQL = """
WITH input AS (
    SELECT * FROM unnest(
        $1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::text[],
        $8::int[], $9::text[], $10::bool[], $11::text[], $12::timestamptz[]
    ) WITH ORDINALITY AS t(petition_id, name, email, canonical_email, region, opt_in, ip,
                           user_id, locale, sponsor, status, created_at, n)
), inserted AS (
    INSERT INTO petition_signatures (petition_id, name, email, canonical_email, region, opt_in,
        ip, user_id, locale, sponsor, status, created_at, confirmed_at, counted, suspect)
    SELECT DISTINCT ON (i.petition_id, i.canonical_email)
        i.petition_id, i.name, i.email, i.canonical_email, i.region, i.opt_in, i.ip,
        i.user_id, i.locale, i.sponsor, i.status, i.created_at,
        CASE WHEN i.status = 'confirmed' THEN i.created_at END, false, false
    FROM input i
    JOIN petitions p ON p.id = i.petition_id
        AND p.status = CASE WHEN i.sponsor THEN 'sponsoring' ELSE 'open' END
    ORDER BY i.petition_id, i.canonical_email, i.n
    ON CONFLICT (petition_id, canonical_email) DO NOTHING
    RETURNING petition_id, canonical_email, sponsor, status
), mail AS (
    INSERT INTO outbox_jobs (name, kwargs, created_at, attempts, last_error)
    SELECT $13, jsonb_build_object('keys', jsonb_agg(
               jsonb_build_array(w.petition_id, w.canonical_email) ORDER BY w.n)),
           now(), 0, ''
    FROM (
        SELECT x.petition_id, x.canonical_email, min(i.n) AS n
        FROM inserted x
        JOIN input i ON i.petition_id = x.petition_id AND i.canonical_email = x.canonical_email
            AND i.sponsor = x.sponsor
        WHERE x.status = 'pending'
        GROUP BY x.petition_id, x.canonical_email
    ) w
    HAVING count(*) > 0
    RETURNING id, kwargs
)
SELECT x.petition_id, x.canonical_email, x.sponsor, NULL::bigint AS job_id,
       NULL::jsonb AS job_kwargs
FROM inserted x
UNION ALL
SELECT NULL, NULL, NULL, m.id, m.kwargs FROM mail m
"""

# One batch written at a time per process: what arrives meanwhile makes the next batch. Each
# batch has a fixed cost (the statement, its mail job handed to Redis and marked delivered):
# with two in flight a batch held 5.4 signatures at 64 connections, with one 13.6, and the
# process signed 15 % more a second at a lower p99 (bench/signing.py).
MAX_IN_FLIGHT = 1


class SignatureBatcher(GroupCommit[NewSignature, bool]):
    """Group commit of signatures for one process (PostgreSQL).

    ``await submit(sig)`` returns what ``insert_simple`` would; it returns only after the
    batch holding it has committed (with its mail job's outbox row, handed to the job runner
    soon after: ``jobs.dispatch(rows, soon=True)``).

    A batch is ONE statement in autocommit (one round trip: the rows, and the outbox row of
    their confirmation mail, are written by the same statement, so both commit or neither);
    ``MAX_IN_FLIGHT`` batch is written at a time, and whatever arrives while it is in flight
    forms the next batch.
    """

    def __init__(self, max_batch: int = MAX_BATCH, in_flight: int = MAX_IN_FLIGHT) -> None:
        super().__init__(max_batch, in_flight)

    async def _write(self, batch: list[tuple[NewSignature, asyncio.Future[bool]]]) -> None:
        try:
            try:
                results, written = await self.insert([s for s, _ in batch])
            finally:
                self.slots.release()
            if written:  # handed to Redis a moment later, with the other batches' rows
                await jobs.dispatch(written, soon=True)
        except Exception as exc:
            log.exception("signature batch of %d failed", len(batch))
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(exc)
            return
        for (_, fut), ok in zip(batch, results, strict=True):
            if not fut.done():
                fut.set_result(ok)

    async def flush(self, items: list[NewSignature]) -> list[bool]:
        """Write ``items`` and hand their mail job to the runner: for each, whether it was
        inserted. Of one person's items the first the petition accepts is the signature (as
        one by one)."""
        results, written = await self.insert(items)
        if written:
            await jobs.dispatch(written)
        return results

    async def insert(self, items: list[NewSignature]) -> tuple[list[bool], list[OutboxJob]]:
        """Write ``items`` and their mail job's outbox row in one statement: whether each was
        inserted, and the outbox rows to hand to the runner."""
        cols: list[list[Any]] = [[] for _ in range(12)]
        for s in items:
            row = (
                s.petition_id, s.name, s.email, s.canonical, s.region, s.opt_in, s.ip,
                s.user_id, s.locale, s.sponsor, "confirmed" if s.confirmed else "pending",
                s.created_at,
            )  # fmt: skip
            for col, value in zip(cols, row, strict=True):
                col.append(value)
        _, rows = await conn().execute_query(_BATCH_SQL, [*cols, CONFIRMATION_JOB])
        # the inserted row's kind (sponsor or not) tells which item of a person it was
        kind = {
            (int(r["petition_id"]), str(r["canonical_email"])): r["sponsor"]
            for r in rows
            if r["job_id"] is None
        }
        done: set[tuple[int, str]] = set()
        results = []
        for s in items:
            won = s.key not in done and kind.get(s.key) == s.sponsor
            if won:
                done.add(s.key)
            results.append(won)
        self.batches += 1
        written = [
            OutboxJob(id=r["job_id"], name=CONFIRMATION_JOB, kwargs=_json(r["job_kwargs"]))
            for r in rows
            if r["job_id"] is not None
        ]
        return results, written


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


_batcher: dict[int, SignatureBatcher] = {}


def batcher() -> SignatureBatcher:
    """This event loop's batcher (one per process in production; tests get a fresh loop)."""
    return per_loop(_batcher, SignatureBatcher)
