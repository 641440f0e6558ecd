"""Rate limits through the `limits` library: Redis storage when configured, memory otherwise.

A limit guards a write; it must never fail it. When Redis does not answer (stopped,
unreachable, slower than ``TIMEOUT_SECONDS``) the limiter counts in this process's memory
instead, logs it once, and tries Redis again after ``RETRY_SECONDS``. While Redis is down each
web process enforces the limit on its own (with two processes, up to twice the limit gets
through for the length of the outage), which is far better than refusing every comment or
login. The attempts counted in memory are not carried over to Redis when it comes back.
"""

from __future__ import annotations

import asyncio
import logging
import time

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

log = logging.getLogger("participation.ratelimit")

TIMEOUT_SECONDS = 1.0
RETRY_SECONDS = 5.0
_DOWN = object()


class RateLimiter:
    def __init__(self, redis_url: str | None = None, retry_seconds: float = RETRY_SECONDS) -> None:
        self.memory = MovingWindowRateLimiter(MemoryStorage())
        self.shared: MovingWindowRateLimiter | None = None
        self.storage: Storage | None = None
        if redis_url:
            url = redis_url.replace("redis://", "async+redis://", 1).replace(
                "unix://", "async+redis+unix://", 1
            )
            self.storage = storage_from_string(  # type: ignore[assignment]
                url,
                implementation="redispy",
                socket_connect_timeout=TIMEOUT_SECONDS,
                socket_timeout=TIMEOUT_SECONDS,
            )
            self.shared = MovingWindowRateLimiter(self.storage)  # type: ignore[arg-type]
        self.retry_seconds = retry_seconds
        self._retry_at = 0.0  # monotonic time of the next attempt at Redis while it is down
        self.degraded = False  # True while counting in memory because Redis did not answer
        self._items: dict[str, RateLimitItem] = {}

    def _item(self, rate: str) -> RateLimitItem:
        item = self._items.get(rate)
        if item is None:
            item = self._items[rate] = parse(rate)
        return item

    def _limiter(self) -> MovingWindowRateLimiter | None:
        """The shared limiter, unless Redis failed less than ``retry_seconds`` ago."""
        if self.shared is None or (self.degraded and time.monotonic() < self._retry_at):
            return None
        return self.shared

    def _failed(self, exc: BaseException) -> None:
        if not self.degraded:
            log.warning(
                "rate-limit store unreachable (%s: %s); counting in this process, "
                "retrying Redis every %.0f s", type(exc).__name__, exc, self.retry_seconds,
            )  # fmt: skip
        self.degraded = True
        self._retry_at = time.monotonic() + self.retry_seconds

    def _answered(self) -> None:
        if self.degraded:
            log.warning("rate-limit store reachable again; limits are shared again")
            self.degraded = False

    async def _shared(self, op: str, item: RateLimitItem, identifiers: tuple[str, ...]) -> object:
        """``op`` ("hit", "test", "clear") on Redis; ``_DOWN`` when Redis did not answer."""
        shared = self._limiter()
        if shared is None:
            return _DOWN
        try:
            result = await asyncio.wait_for(
                getattr(shared, op)(item, *identifiers), TIMEOUT_SECONDS
            )
        except Exception as exc:  # never fail the write the limit guards
            self._failed(exc)
            return _DOWN
        self._answered()
        return result

    async def hit(self, rate: str, *identifiers: str) -> bool:
        """Count one attempt; False when the limit (e.g. "5/minute") is exceeded."""
        item = self._item(rate)
        result = await self._shared("hit", item, identifiers)
        if result is _DOWN:
            return await self.memory.hit(item, *identifiers)
        return bool(result)

    async def test(self, rate: str, *identifiers: str) -> bool:
        item = self._item(rate)
        result = await self._shared("test", item, identifiers)
        if result is _DOWN:
            return await self.memory.test(item, *identifiers)
        return bool(result)

    async def clear(self, rate: str, *identifiers: str) -> None:
        item = self._item(rate)
        await self.memory.clear(item, *identifiers)
        await self._shared("clear", item, identifiers)

    async def close(self) -> None:
        """Close the Redis connections (nothing to do in memory)."""
        bridge = getattr(self.storage, "bridge", None)
        client = getattr(bridge, "storage", None)
        if client is not None:
            await client.aclose()
