"""Rate limits through the `limits` library: Redis storage when configured, memory otherwise."""

from __future__ import annotations

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string


class RateLimiter:
    def __init__(self, redis_url: str | None = None) -> None:
        self.storage: Storage
        if redis_url:
            url = redis_url.replace("redis://", "async+redis://", 1).replace(
                "unix://", "async+redis+unix://", 1
            )
            self.storage = storage_from_string(url, implementation="redispy")  # type: ignore[assignment]
        else:
            self.storage = MemoryStorage()
        self.limiter = MovingWindowRateLimiter(self.storage)
        self._items: dict[str, RateLimitItem] = {}

    def _item(self, rate: str) -> RateLimitItem:
        item = self._items.get(rate)
        if item is None:
            item = self._items[rate] = parse(rate)
        return item

    async def hit(self, rate: str, *identifiers: str) -> bool:
        """Count one attempt; False when the limit (e.g. "5/minute") is exceeded."""
        return await self.limiter.hit(self._item(rate), *identifiers)

    async def test(self, rate: str, *identifiers: str) -> bool:
        return await self.limiter.test(self._item(rate), *identifiers)

    async def clear(self, rate: str, *identifiers: str) -> None:
        await self.limiter.clear(self._item(rate), *identifiers)

    async def close(self) -> None:
        """Close the Redis connections (nothing to do in memory)."""
        bridge = getattr(self.storage, "bridge", None)
        client = getattr(bridge, "storage", None)
        if client is not None:
            await client.aclose()
