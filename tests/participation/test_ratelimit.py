"""The rate limiter: a moving window per identifier, in memory or shared through Redis."""

from __future__ import annotations

import secrets

import pytest

from participation.ratelimit import RateLimiter
from tests.conftest import redis_url_or_skip


async def _five_then_refused(first: RateLimiter, second: RateLimiter) -> None:
    who = f"user-{secrets.token_hex(6)}@example.org"
    for _ in range(3):
        assert await first.hit("5/minute", "login", who)
    for _ in range(2):
        assert await second.hit("5/minute", "login", who)
    assert not await first.hit("5/minute", "login", who)
    assert not await second.test("5/minute", "login", who)
    # another identifier has its own window
    assert await second.hit("5/minute", "login", "someone-else-" + who)
    await first.clear("5/minute", "login", who)
    assert await second.hit("5/minute", "login", who)


async def test_memory_limiter_counts_per_identifier() -> None:
    limiter = RateLimiter(None)
    await _five_then_refused(limiter, limiter)
    await limiter.close()


@pytest.mark.redis
async def test_redis_limiters_in_two_processes_share_one_window() -> None:
    """Two limiters on the same Redis (two app processes) see each other's attempts."""
    redis_url = redis_url_or_skip()
    first, second = RateLimiter(redis_url), RateLimiter(redis_url)
    try:
        await _five_then_refused(first, second)
    finally:
        await first.close()
        await second.close()
