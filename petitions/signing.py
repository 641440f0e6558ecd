"""The signature write path: validate, one insert, one outbox row for the mail.

On PostgreSQL the insert is GROUP COMMITTED: each request queues its row in-process and waits;
one task takes up to ``MAX_BATCH`` queued rows and writes them, and the outbox row that mails
their confirmations, in ONE statement (``INSERT ... SELECT FROM unnest(...) ON CONFLICT DO
NOTHING``) on the Tortoise connection's asyncpg pool; each request answers after its batch has
committed. A single statement is atomic, so signatures and their mail job commit together. On
SQLite the same row goes through a normal unit of work.

No shared counter row is touched here: the counter job (``services.count_signatures``) adds
confirmed signatures to the petitions' counts in batches.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from participation import jobs
from participation.db import conn, is_postgres, transaction
from participation.models import OutboxJob

log = logging.getLogger("petitions.signing")

MAX_BATCH = 128
CONFIRMATION_JOB = "send_signature_confirmations"

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


def _job_kwargs(items: list[NewSignature]) -> dict[str, Any]:
    """The confirmation job's arguments: (petition, canonical e-mail) of every pending item,
    new or repeated (a repeat re-sends the confirmation of the existing signature)."""
    return {"keys": [[s.petition_id, s.canonical] for s in items if not s.confirmed]}


# ---- SQLite (and any non-PostgreSQL backend): one unit of work per signature -------------


async def insert_simple(sig: NewSignature) -> bool:
    """Insert one signature; False when this person already signed (nothing inserted)."""
    from petitions.models import Petition, Signature, SignatureStatus, Status

    async with transaction():
        wanted = (Status.SPONSORING,) if sig.sponsor else (Status.OPEN,)
        if not await Petition.filter(id=sig.petition_id, status__in=wanted).exists():
            return False
        exists = await Signature.filter(
            petition_id=sig.petition_id, canonical_email=sig.canonical
        ).exists()
        if not exists:
            await Signature.create(
                petition_id=sig.petition_id, name=sig.name, email=sig.email,
                canonical_email=sig.canonical, region=sig.region, opt_in=sig.opt_in, ip=sig.ip,
                user_id=sig.user_id, locale=sig.locale, sponsor=sig.sponsor,
                status=SignatureStatus.CONFIRMED if sig.confirmed else SignatureStatus.PENDING,
                created_at=sig.created_at, confirmed_at=sig.created_at if sig.confirmed else None,
            )  # fmt: skip
        kwargs = _job_kwargs([sig])
        if kwargs["keys"]:
            jobs.enqueue(CONFIRMATION_JOB, **kwargs)
    return not exists


# ---- PostgreSQL: group commit ---------------------------------------------------------------

_BATCH_SQL = """
WITH input AS (
    SELECT * FROM unnest(
        $1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::text[],
        $8::int[], $9::text[], $10::bool[], $11::text[], $12::timestamptz[]
    ) AS t(petition_id, name, email, canonical_email, region, opt_in, ip, user_id, locale,
           sponsor, status, created_at)
), ins AS (
    INSERT INTO petition_signatures (petition_id, name, email, canonical_email, region, opt_in,
        ip, user_id, locale, sponsor, status, created_at, confirmed_at, counted, suspect)
    SELECT i.petition_id, i.name, i.email, i.canonical_email, i.region, i.opt_in, i.ip,
        i.user_id, i.locale, i.sponsor, i.status, i.created_at,
        CASE WHEN i.status = 'confirmed' THEN i.created_at END, false, false
    FROM input i
    JOIN petitions p ON p.id = i.petition_id
        AND p.status = CASE WHEN i.sponsor THEN 'sponsoring' ELSE 'open' END
    ON CONFLICT (petition_id, canonical_email) DO NOTHING
    RETURNING petition_id, canonical_email
), job AS (
    INSERT INTO outbox_jobs (name, kwargs, key, created_at, attempts, last_error)
    SELECT $13, $14::jsonb, NULL, now(), 0, '' WHERE $15
    RETURNING id, created_at
)
SELECT (SELECT id FROM job) AS job_id, (SELECT created_at FROM job) AS job_created_at,
    ARRAY(SELECT petition_id::text || ' ' || canonical_email FROM ins) AS inserted
"""


class SignatureBatcher:
    """Group commit of signatures for one process (PostgreSQL).

    ``await submit(sig)`` returns True when the signature was inserted, False when the person
    had already signed (or the petition no longer takes signatures); it returns only after the
    batch holding it has committed and its mail job has been handed to the job runner.
    """

    def __init__(self, max_batch: int = MAX_BATCH) -> None:
        self.max_batch = max_batch
        self.queue: list[tuple[NewSignature, asyncio.Future[bool]]] = []
        self.task: asyncio.Task[None] | None = None
        self.batches = 0

    async def submit(self, sig: NewSignature) -> bool:
        fut: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.queue.append((sig, fut))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run())
        return await fut

    async def _run(self) -> None:
        # Whatever arrives while a batch is in flight forms the next batch.
        while self.queue:
            batch, self.queue = self.queue[: self.max_batch], self.queue[self.max_batch :]
            try:
                results = await self._flush([s for s, _ in batch])
            except Exception as exc:
                log.exception("signature batch of %d failed", len(batch))
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            for (_, fut), ok in zip(batch, results, strict=True):
                if not fut.done():
                    fut.set_result(ok)

    async def _flush(self, items: list[NewSignature]) -> list[bool]:
        # The same person twice in one batch: the first one is the signature.
        seen: set[tuple[int, str]] = set()
        unique: list[NewSignature] = []
        for s in items:
            key = (s.petition_id, s.canonical)
            if key not in seen:
                seen.add(key)
                unique.append(s)
        kwargs = _job_kwargs(items)
        has_job = bool(kwargs["keys"])
        cols: list[list[Any]] = [[] for _ in range(12)]
        for s in unique:
            row = (
                s.petition_id, s.name, s.email, s.canonical, s.region, s.opt_in, s.ip,
                s.user_id, s.locale, s.sponsor, "confirmed" if s.confirmed else "pending",
                s.created_at,
            )  # fmt: skip
            for col, value in zip(cols, row, strict=True):
                col.append(value)
        client: Any = conn()
        async with client.acquire_connection() as connection:
            rec = await connection.fetchrow(
                _BATCH_SQL, *cols, CONFIRMATION_JOB, json.dumps(kwargs), has_job
            )
        self.batches += 1
        inserted = set(rec["inserted"])
        if rec["job_id"] is not None:
            job = OutboxJob(
                id=rec["job_id"], name=CONFIRMATION_JOB, kwargs=kwargs, key=None,
                created_at=rec["job_created_at"], run_after=None, attempts=0, last_error="",
            )  # fmt: skip
            await jobs.dispatch([job])
        out = []
        firsts: set[tuple[int, str]] = set()
        for s in items:
            key = (s.petition_id, s.canonical)
            out.append(f"{s.petition_id} {s.canonical}" in inserted and key not in firsts)
            firsts.add(key)
        return out


_batcher: dict[int, SignatureBatcher] = {}


def batcher() -> SignatureBatcher:
    """This event loop's batcher (one per process in production; tests get a fresh loop)."""
    loop = asyncio.get_running_loop()
    b = _batcher.get(id(loop))
    if b is None:
        _batcher.clear()
        b = _batcher[id(loop)] = SignatureBatcher()
    return b


async def insert_signature(sig: NewSignature) -> bool:
    """The one write of signing: True if inserted, False if this person already signed."""
    if is_postgres():
        return await batcher().submit(sig)
    return await insert_simple(sig)
