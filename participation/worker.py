"""`participation worker`: arq's worker under a supervisor that outlives Redis and its own
crashes.

arq's ``Worker`` stops at the first Redis error, and a worker killed in the middle of a job
leaves that job marked "in progress" in Redis until its timeout runs out (five minutes and
more), so nothing would run until somebody restarts it, and then late. The supervisor here:

* connects to Redis, and while Redis does not answer retries with a back-off (``BACKOFF``:
  0.5 s doubling up to 10 s), one log line per attempt;
* once connected, hands every unfinished outbox row to arq again (``sweep_outbox`` with no
  age limit: arq refuses job ids it already holds, so nothing runs twice), and runs arq's
  worker loop;
* when Redis goes away, stops taking jobs, lets the jobs running here finish (they need the
  database and the mail server, not Redis; ``GRACE_SECONDS`` at most, then they are cancelled:
  idempotent, their outbox rows stay unfinished and are handed over again), logs, and
  connects again;
* keeps a heartbeat key in Redis and the list of the arq jobs it runs: the jobs of a worker
  whose heartbeat has expired (killed, machine lost) are released at once instead of after
  arq's in-progress timeout;
* retries a job that failed (database unreachable, SMTP down) with a growing delay, up to
  ``jobs.MAX_ATTEMPTS`` tries;
* stops on SIGTERM or SIGINT the same way: no new job, ``GRACE_SECONDS`` for those running.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from arq.connections import ArqRedis, create_pool
from arq.constants import in_progress_key_prefix
from arq.worker import Retry, Worker, func
from redis.exceptions import RedisError
from tortoise import Tortoise

from participation import jobs
from participation.db import tortoise_config
from participation.logging import configure_logging
from participation.settings import Settings

log = logging.getLogger("participation.worker")

BACKOFF = (0.5, 10.0)  # first and longest wait between two attempts to reach Redis
HEARTBEAT_SECONDS = 3.0
HEARTBEAT_TTL = 12  # seconds without a heartbeat after which a worker counts as gone
KEY_PREFIX = "participation:worker:"
RETRY_DELAYS = (5, 15, 60, 120, 300)
GRACE_SECONDS = 30.0  # for the jobs running when Redis goes away or the worker is stopped  # seconds before the 2nd, 3rd... try of a failed job


async def run_outbox_job(ctx: dict[str, Any], outbox_id: int) -> str:
    """arq's entry point: one outbox row; a failure is retried later with a growing delay."""
    try:
        return await jobs.run_outbox_job(ctx, outbox_id)
    except Exception as exc:
        tries = int(ctx.get("job_try") or 1)
        if tries >= jobs.MAX_ATTEMPTS:
            raise
        delay = RETRY_DELAYS[min(tries, len(RETRY_DELAYS)) - 1]
        log.warning("outbox job %s failed (%s: %s); try %d in %d s",
                    outbox_id, type(exc).__name__, exc, tries + 1, delay)  # fmt: skip
        raise Retry(defer=delay) from exc


def worker_settings(settings: Settings) -> dict[str, Any]:
    """arq ``Worker`` arguments (without the connection, which the supervisor provides)."""
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is required for `participation worker`")
    registry = jobs.job_registry()
    return {
        "functions": [
            func(run_outbox_job, name="run_outbox_job"),  # type: ignore[arg-type]
            # rows handed over together: queued again one job each (jobs.run_outbox_jobs)
            func(jobs.run_outbox_jobs, name="run_outbox_jobs"),  # type: ignore[arg-type]
        ],
        "cron_jobs": jobs.arq_cron_jobs(registry),
        "max_jobs": 20,
        "job_timeout": 300,
        "keep_result": 3600,
        "max_tries": jobs.MAX_ATTEMPTS,
        "ctx": {"settings": settings, "registry": registry},
    }


@dataclass
class Backoff:
    first: float = BACKOFF[0]
    longest: float = BACKOFF[1]
    current: float = field(default=0.0)

    def next(self) -> float:
        self.current = min(self.longest, self.current * 2) if self.current else self.first
        return self.current

    def reset(self) -> None:
        self.current = 0.0


class Supervisor:
    """Runs arq's worker loop for as long as it is not told to stop, reconnecting to Redis."""

    def __init__(self, settings: Settings, burst: bool = False) -> None:
        self.settings = settings
        self.burst = burst
        self.options = worker_settings(settings)
        self.ctx: dict[str, Any] = self.options.pop("ctx")
        self.stop = asyncio.Event()
        self.id = uuid.uuid4().hex
        self.backoff = Backoff()
        self.connections = 0  # how many times Redis was reached (1 + reconnections)

    def _redis_settings(self) -> Any:
        rs = jobs.redis_settings(self.settings.redis_url or "")
        rs.conn_retries = 0  # the supervisor does the retrying, with its back-off and logs
        rs.conn_timeout = 2
        return rs

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stop, sig)
        while not self.stop.is_set():
            try:
                pool = await create_pool(self._redis_settings())
            except Exception as exc:
                delay = self.backoff.next()
                log.warning("Redis unreachable (%s: %s); trying again in %.1f s",
                            type(exc).__name__, exc, delay)  # fmt: skip
                await self._wait(delay)
                continue
            self.connections += 1
            level = logging.WARNING if self.connections > 1 else logging.INFO
            log.log(level, "worker %s connected to Redis", self.id[:8])
            try:
                finished = await self._run_connected(pool)
            finally:
                await self._close(pool)
            if finished:
                return
            delay = self.backoff.next()
            log.warning("lost Redis; reconnecting in %.1f s", delay)
            await self._wait(delay)

    def _stop(self, sig: signal.Signals) -> None:
        log.warning("worker stopping on %s", sig.name)
        self.stop.set()

    async def _wait(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self.stop.wait(), seconds)
        except TimeoutError:
            pass

    async def _run_connected(self, pool: ArqRedis) -> bool:
        """arq's loop on this connection; True when done (stopped, or a burst finished),
        False when Redis went away."""
        ctx = dict(self.ctx)
        runner = jobs.ArqRunner(self.ctx["registry"], pool)
        ctx["runner"] = runner
        jobs.configure(runner, ctx)
        worker = Worker(
            **self.options, redis_pool=pool, burst=self.burst, handle_signals=False, ctx=ctx,
            on_job_start=self._job_started, after_job_end=self._job_ended,
        )  # fmt: skip
        tasks: list[asyncio.Task[Any]] = []
        try:
            await self._heartbeat(pool)
            await self._release_own(pool)
            await self._hand_over_outbox(ctx)
            main = asyncio.create_task(worker.main(), name="arq-worker")
            beat = asyncio.create_task(self._beat(pool), name="worker-heartbeat")
            stopping = asyncio.create_task(self.stop.wait(), name="worker-stop")
            tasks = [main, beat, stopping]
            self.backoff.reset()
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        except Exception as exc:  # Redis failed while starting up
            log.warning("worker start-up failed (%s: %s)", type(exc).__name__, exc)
            return False
        finally:
            for t in tasks:
                t.cancel()
            await self._finish_jobs(worker)
            await asyncio.gather(*tasks, return_exceptions=True)
            jobs.configure(None)
        if stopping in done:
            return True
        error = main.exception() if main in done else beat.exception()
        if error is None:
            return True  # a burst run that emptied the queue
        log.warning("worker loop ended (%s: %s)", type(error).__name__, error)
        return False

    async def _hand_over_outbox(self, ctx: dict[str, Any]) -> None:
        """Every unfinished outbox row to arq (those recorded while Redis was away, or lost
        with it). The database being down is no reason not to start: the sweeper job tries
        again every minute."""
        try:
            swept = await jobs.sweep_outbox(ctx, older_than=timedelta(0))
        except (RedisError, TimeoutError):  # Redis went away again
            raise
        except Exception as exc:
            log.warning("outbox not handed over (%s: %s); the sweeper will",
                        type(exc).__name__, exc)  # fmt: skip
            return
        if swept:
            log.warning("handed %d unfinished outbox job(s) to arq", swept)

    async def _finish_jobs(self, worker: Worker) -> None:
        """Let the running jobs end (arq's loop is stopped: no new ones), then cancel what is
        still running after ``GRACE_SECONDS``; a cancelled job runs again later."""
        running = [t for t in worker.tasks.values() if not t.done()]
        if not running:
            return
        log.warning("waiting for %d running job(s) to finish", len(running))
        _, late = await asyncio.wait(running, timeout=GRACE_SECONDS)
        for t in late:
            t.cancel()
        if late:
            log.warning("cancelled %d job(s) still running; they will run again", len(late))
        await asyncio.gather(*running, return_exceptions=True)

    async def _close(self, pool: ArqRedis) -> None:
        try:
            await pool.delete(KEY_PREFIX + self.id, KEY_PREFIX + self.id + ":jobs")
        except Exception:  # Redis is gone: the keys expire or are released by the next worker
            pass
        try:
            await pool.aclose(close_connection_pool=True)
        except Exception:
            pass

    # ---- jobs of workers that died ------------------------------------------------------

    async def _job_started(self, ctx: dict[str, Any]) -> None:
        try:
            await ctx["redis"].sadd(KEY_PREFIX + self.id + ":jobs", ctx["job_id"])
        except Exception:  # the job runs anyway; only a quick release after a crash is lost
            log.warning("could not record job %s as running here", ctx.get("job_id"))

    async def _job_ended(self, ctx: dict[str, Any]) -> None:
        try:
            await ctx["redis"].srem(KEY_PREFIX + self.id + ":jobs", ctx["job_id"])
        except Exception:
            pass

    async def _heartbeat(self, pool: ArqRedis) -> None:
        await pool.set(KEY_PREFIX + self.id, b"1", ex=HEARTBEAT_TTL)

    async def _beat(self, pool: ArqRedis) -> None:
        while True:
            await self._heartbeat(pool)
            await release_dead_workers_jobs(pool)
            await asyncio.sleep(HEARTBEAT_SECONDS)

    async def _release_own(self, pool: ArqRedis) -> None:
        """Jobs this process ran before losing Redis were cancelled: free them for arq."""
        await _release(pool, KEY_PREFIX + self.id + ":jobs")


async def _release(pool: ArqRedis, jobs_key: str) -> int:
    ids: Sequence[bytes] = list(await pool.smembers(jobs_key))  # type: ignore[misc]
    if ids:
        await pool.delete(*[in_progress_key_prefix + i.decode() for i in ids])
    await pool.delete(jobs_key)
    return len(ids)


async def release_dead_workers_jobs(pool: ArqRedis) -> int:
    """Release the arq jobs held by workers whose heartbeat has expired (killed, machine gone),
    so that a live worker runs them now rather than after arq's in-progress timeout."""
    released = 0
    async for key in pool.scan_iter(match=KEY_PREFIX + "*:jobs", count=100):
        name = key.decode()
        owner = name[: -len(":jobs")]
        if await pool.exists(owner):
            continue
        n = await _release(pool, name)
        if n:
            log.warning("released %d job(s) of stopped worker %s", n, owner[len(KEY_PREFIX) :][:8])
        released += n
    return released


async def supervise(settings: Settings, burst: bool = False) -> None:
    """The worker process: the database once, then the supervisor until stopped."""
    configure_logging(settings)
    await Tortoise.init(config=tortoise_config(settings))
    try:
        await Supervisor(settings, burst).run()
    finally:
        await Tortoise.close_connections()
