"""Job enqueueing through an outbox, delivery to arq (or in-process), and the worker.

* ``enqueue(name, **kwargs)`` appends to the buffer of the current unit of work; the buffer is
  written to ``outbox_jobs`` in the same transaction and delivered after commit
  (``participation.db.transaction``).
* With ``REDIS_URL`` the rows are handed to arq with ``_job_id=key or outbox:<id>``; the
  ``sweep_outbox`` cron job re-delivers rows that were never acknowledged. Without Redis the
  same functions run in-process right after commit, and the sweeper retries failures.
* A job function is ``async def fn(ctx, **kwargs)``; it reloads rows by id and is idempotent.
  Each domain lists its functions in ``tasks.py`` as ``functions`` and ``periodic``.
* While an outbox row runs, ``current_job_id()`` is its id: a fan-out names the mails it sends
  after it, so a re-run of the same row (worker killed, job timed out) skips what was sent.
* Losing Redis delays work, never loses it: a failed hand-over to arq is logged and left to
  the sweeper; the worker (``participation.worker``) re-delivers every unfinished row when it
  (re)connects.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from arq.connections import RedisSettings
from redis.exceptions import RedisError
from tortoise.backends.base.client import BaseDBAsyncClient

from participation.db import current_unit_of_work
from participation.domains import DOMAINS, submodule
from participation.metrics import JOBS
from participation.models import OutboxJob

log = logging.getLogger("participation.jobs")

JobFunc = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class Periodic:
    """A job run on a schedule: every ``seconds`` (divisors of a minute or an hour), or daily."""

    func: JobFunc
    seconds: int = 60
    daily_at_hour: int | None = None

    @property
    def name(self) -> str:
        return self.func.__name__


@dataclass
class PendingJob:
    name: str
    kwargs: dict[str, Any]
    key: str | None = None
    delay: timedelta | None = None


@dataclass
class Registry:
    functions: dict[str, JobFunc] = field(default_factory=dict)
    periodic: list[Periodic] = field(default_factory=list)

    def add(self, functions: Iterable[JobFunc] = (), periodic: Iterable[Periodic] = ()) -> None:
        for fn in functions:
            self.functions[fn.__name__] = fn
        for p in periodic:
            self.functions[p.name] = p.func
            self.periodic.append(p)


class Runner:
    """Where committed outbox rows go."""

    registry: Registry

    async def deliver(self, rows: Sequence[OutboxJob]) -> None:
        raise NotImplementedError

    async def deliver_soon(self, rows: Sequence[OutboxJob]) -> None:
        """Rows of a hot path, which may be handed over a moment later together with others
        (``ArqRunner``); here, at once."""
        await self.deliver(rows)

    async def close(self) -> None:
        return None


@dataclass
class _State:
    runner: Runner | None = None
    ctx: dict[str, Any] = field(default_factory=dict)


_state = _State()


def configure(runner: Runner | None, ctx: dict[str, Any] | None = None) -> None:
    _state.runner = runner
    _state.ctx = ctx or {}


def current_runner() -> Runner | None:
    return _state.runner


def enqueue(
    name: str, *, key: str | None = None, delay: timedelta | None = None, **kwargs: Any
) -> None:
    """Record a job to run after the current transaction commits: the unit of work's buffer
    is written to the outbox before the commit and handed to the runner after it."""
    uow = current_unit_of_work()
    if uow is None:
        raise RuntimeError("jobs.enqueue() must be called inside participation.db.transaction()")
    pending: list[PendingJob] | None = uow.state.get("jobs")
    if pending is None:
        pending = uow.state["jobs"] = []
        written: list[OutboxJob] = []

        async def write(client: BaseDBAsyncClient) -> None:
            written.extend(await write_outbox(pending, client))

        async def deliver() -> None:
            await dispatch(written)

        uow.before_commit.append(write)
        uow.after_commit.append(deliver)
    pending.append(PendingJob(name, kwargs, key, delay))


async def write_outbox(pending: Sequence[PendingJob], client: BaseDBAsyncClient) -> list[OutboxJob]:
    now = datetime.now(UTC)
    rows = []
    for p in pending:
        rows.append(
            await OutboxJob.create(
                name=p.name,
                kwargs=p.kwargs,
                key=p.key,
                run_after=now + p.delay if p.delay else None,
                using_db=client,
            )
        )
    return rows


async def dispatch(rows: Sequence[OutboxJob], *, soon: bool = False) -> None:
    """Hand committed rows to the runner. ``soon``: a hot path's rows (a batch of signatures'
    confirmation mail): with Redis they are handed to arq within ``HAND_OVER_SECONDS``,
    together with those of the other batches of that moment, as one job, and the caller does
    not wait for it; without Redis they run at once."""
    runner = _state.runner
    if runner is None:
        log.warning("no job runner configured; %d job(s) left in the outbox", len(rows))
        return
    try:
        await (runner.deliver_soon(rows) if soon else runner.deliver(rows))
    except Exception:  # delivery failure delays work, the sweeper re-delivers it
        log.exception("job delivery failed; the outbox sweeper will retry")


async def run_outbox_jobs(ctx: dict[str, Any], outbox_ids: list[int]) -> str:
    """Rows handed over together (``dispatch(rows, soon=True)``), run by the worker: each is
    queued as its own job, under the id the sweeper would give it (``outbox:<id>``), so that a
    row handed over twice (the hand-over was slow while Redis came back, and the worker's
    reconnection delivered it too) still runs once: arq refuses a job id it holds. Each row's
    failure and retries are then its own."""
    rows = await OutboxJob.filter(id__in=outbox_ids, done_at__isnull=True).order_by("id")
    await ArqRunner(ctx["registry"], ctx["redis"]).deliver(rows)
    return f"{len(rows)} of {len(outbox_ids)} queued"


_current_job: ContextVar[int | None] = ContextVar("current_outbox_job", default=None)


def current_job_id() -> int | None:
    """The id of the outbox row whose function is running in this task, if any."""
    return _current_job.get()


async def run_outbox_job(ctx: dict[str, Any], outbox_id: int) -> str:
    """Run one outbox row's function once; acknowledge it on success."""
    token = _current_job.set(outbox_id)
    try:
        return await _run_outbox_job(ctx, outbox_id)
    finally:
        _current_job.reset(token)


async def _run_outbox_job(ctx: dict[str, Any], outbox_id: int) -> str:
    row = await OutboxJob.get_or_none(id=outbox_id)
    if row is None or row.done_at is not None:
        return "skipped"
    registry: Registry = ctx["registry"]
    fn = registry.functions.get(row.name)
    if fn is None:
        await OutboxJob.filter(id=row.id).update(last_error=f"unknown job {row.name}")
        return "unknown"
    await OutboxJob.filter(id=row.id).update(attempts=row.attempts + 1)
    try:
        await fn(ctx, **row.kwargs)
    except Exception as exc:
        JOBS.labels(row.name, "failed").inc()
        await OutboxJob.filter(id=row.id).update(last_error=repr(exc)[:2000])
        raise
    JOBS.labels(row.name, "done").inc()
    now = datetime.now(UTC)
    done = OutboxJob.filter(id=row.id)
    if row.key:
        done = OutboxJob.filter(key=row.key, done_at__isnull=True, created_at__lte=row.created_at)
        await OutboxJob.filter(id=row.id).update(done_at=now)
    await done.update(done_at=now)
    return "done"


SWEEP_AFTER = timedelta(seconds=60)
SWEEP_PAGE = 500
MAX_ATTEMPTS = 8
DELIVERY_TIMEOUT = 5.0  # seconds for handing one row to Redis before leaving it to the sweeper
# a hot path's rows (dispatch(soon=True)) are handed to Redis together at most this long after
# their commit: a few hand-overs a second instead of one per batch (each costs three Redis
# round trips and an UPDATE; one per batch of signatures cost 20 % of the signing rate)
HAND_OVER_SECONDS = 0.1


async def sweep_outbox(ctx: dict[str, Any], older_than: timedelta = SWEEP_AFTER) -> int:
    """Re-deliver rows not acknowledged within a minute (lost Redis, crashed worker); the
    worker calls it with ``older_than=0`` when it (re)connects to Redis. arq refuses a job id
    it already holds, so a row delivered twice still runs once."""
    runner: Runner | None = ctx.get("runner") or _state.runner
    if runner is None:
        return 0
    now = datetime.now(UTC)
    swept = 0
    after = 0
    while True:  # every due row, a page at a time
        page = (
            await OutboxJob.filter(
                id__gt=after,
                done_at__isnull=True,
                created_at__lte=now - older_than,
                attempts__lt=MAX_ATTEMPTS,
            )  # fmt: skip
            .order_by("id")
            .limit(SWEEP_PAGE)
        )
        rows = [r for r in page if r.run_after is None or r.run_after <= now]
        if rows:
            await runner.deliver(rows)
            swept += len(rows)
        if len(page) < SWEEP_PAGE:
            return swept
        after = page[-1].id


class InlineRunner(Runner):
    """No Redis: run each job in this process right after commit (development, tests)."""

    def __init__(self, registry: Registry, ctx: dict[str, Any]) -> None:
        self.registry = registry
        self.ctx = {**ctx, "registry": registry, "runner": self}

    async def deliver(self, rows: Sequence[OutboxJob]) -> None:
        now = datetime.now(UTC)
        for row in rows:
            if row.run_after is not None and row.run_after > now:
                continue  # the sweeper runs it when due
            try:
                await run_outbox_job(self.ctx, row.id)
            except Exception:
                log.exception("job %s (outbox %s) failed; it will be retried", row.name, row.id)

    async def run_periodic(self, name: str) -> Any:
        fn = self.registry.functions[name]
        return await fn(self.ctx)


class ArqRunner(Runner):
    """Hand committed rows to arq; the worker runs ``run_outbox_job``."""

    def __init__(self, registry: Registry, pool: Any) -> None:
        self.registry = registry
        self.pool = pool
        self._soon: list[OutboxJob] = []
        self._handing: asyncio.Task[None] | None = None

    async def deliver_soon(self, rows: Sequence[OutboxJob]) -> None:
        self._soon.extend(rows)
        if self._handing is None or self._handing.done():
            self._handing = asyncio.create_task(self._hand_over())

    async def _hand_over(self) -> None:
        """Every ``HAND_OVER_SECONDS`` while rows wait: all of them as one arq job."""
        while self._soon:
            await asyncio.sleep(HAND_OVER_SECONDS)
            rows, self._soon = self._soon, []
            try:
                await self._deliver_together(rows)
            except Exception:  # Redis or the database away: the sweeper delivers them
                log.exception("hand-over of %d outbox rows failed; the sweeper will retry",
                              len(rows))  # fmt: skip

    async def _deliver_together(self, rows: list[OutboxJob]) -> None:
        now = datetime.now(UTC)
        due: list[OutboxJob] = []
        later: list[OutboxJob] = []  # deferred rows keep their own delay
        for r in rows:
            (later if r.run_after is not None and r.run_after > now else due).append(r)
        if later:
            await self.deliver(later)
        if len(due) < 2:
            await self.deliver(due)
            return
        ids = [r.id for r in due]
        await asyncio.wait_for(
            self.pool.enqueue_job("run_outbox_jobs", ids, _job_id=f"outbox:{ids[0]}+{len(ids)}"),
            DELIVERY_TIMEOUT,
        )
        await OutboxJob.filter(id__in=ids, delivered_at__isnull=True).update(delivered_at=now)

    async def deliver(self, rows: Sequence[OutboxJob]) -> None:
        """Hand each row to arq; a row that cannot be handed over stays in the outbox. Redis
        not answering stops the hand-over (the next rows would fail the same way) and raises."""
        now = datetime.now(UTC)
        delivered: list[int] = []
        try:
            for row in rows:
                defer = row.run_after if row.run_after and row.run_after > now else None
                try:
                    await asyncio.wait_for(
                        self.pool.enqueue_job(
                            "run_outbox_job", row.id, _job_id=row.key or f"outbox:{row.id}",
                            _defer_until=defer,
                        ),
                        DELIVERY_TIMEOUT,
                    )  # fmt: skip
                except (OSError, TimeoutError, RedisError):
                    raise
                except Exception:  # this row only (e.g. arguments arq cannot serialise)
                    log.exception("outbox row %s (%s) not delivered", row.id, row.name)
                    continue
                delivered.append(row.id)
        finally:
            if delivered:
                await OutboxJob.filter(id__in=delivered, delivered_at__isnull=True).update(
                    delivered_at=now
                )

    async def close_hand_over(self) -> None:
        """Wait for the rows waiting to be handed over (at most ``DELIVERY_TIMEOUT``)."""
        if self._handing is not None and not self._handing.done():
            try:
                await asyncio.wait_for(self._handing, HAND_OVER_SECONDS + DELIVERY_TIMEOUT)
            except Exception:
                log.exception("hand-over at close failed; the sweeper will retry")

    async def close(self) -> None:
        await self.close_hand_over()  # what waits goes to Redis before the pool closes
        await self.pool.aclose()


async def run_scheduler(runner: InlineRunner, stop: asyncio.Event) -> None:
    """In-process stand-in for arq's cron: run each periodic job when due."""
    last: dict[str, float] = {}
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        now = loop.time()
        wall = datetime.now(UTC)
        for p in runner.registry.periodic:
            if p.daily_at_hour is not None:
                due = wall.hour == p.daily_at_hour and now - last.get(p.name, -1e9) > 3600
            else:
                due = now - last.get(p.name, -1e9) >= p.seconds
            if due:
                last[p.name] = now
                try:
                    await runner.run_periodic(p.name)
                except Exception:
                    log.exception("periodic job %s failed", p.name)
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except TimeoutError:
            pass


def arq_cron_jobs(registry: Registry) -> list[Any]:
    from arq import cron

    jobs = []
    for p in registry.periodic:
        if p.daily_at_hour is not None:
            spec: dict[str, Any] = {"hour": {p.daily_at_hour}, "minute": {0}, "second": {0}}
        elif p.seconds < 60:
            spec = {"second": set(range(0, 60, max(1, p.seconds)))}
        else:
            spec = {"minute": set(range(0, 60, max(1, p.seconds // 60))), "second": {0}}
        jobs.append(cron(p.func, name=p.name, unique=True, **spec))  # type: ignore[arg-type]
    return jobs


async def arq_pool(url: str) -> Any:
    """arq's pool for a web process. When Redis does not answer at start-up the process still
    starts: the pool then connects on first use, and until Redis answers every job waits in the
    outbox (``ArqRunner.deliver`` leaves it there; the worker hands it over once connected)."""
    from arq import create_pool
    from arq.connections import ArqRedis

    settings = redis_settings(url)
    settings.conn_retries = 0
    try:
        return await create_pool(settings)
    except (OSError, TimeoutError, RedisError) as exc:
        log.warning("Redis does not answer (%s); serving anyway, jobs wait in the outbox", exc)
    return ArqRedis(
        host=settings.host, port=settings.port, unix_socket_path=settings.unix_socket_path,
        db=settings.database, username=settings.username, password=settings.password,
        socket_connect_timeout=settings.conn_timeout, ssl=settings.ssl, encoding="utf8",
    )  # fmt: skip


def redis_settings(url: str) -> RedisSettings:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return RedisSettings(unix_socket_path=parts.path, database=0)
    return RedisSettings.from_dsn(url)


def job_registry() -> Registry:
    """Every domain's job functions and periodic jobs (``tasks.py``), and the outbox sweeper."""
    registry = Registry()
    registry.add(periodic=[Periodic(sweep_outbox, seconds=60)])
    for d in DOMAINS:
        mod = submodule(d, "tasks")
        if mod is not None:
            registry.add(getattr(mod, "functions", ()), getattr(mod, "periodic", ()))
    return registry
