"""The rate limiter: a moving window per identifier, in memory or shared through Redis."""

from __future__ import annotations

import asyncio
import logging
import secrets
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from participation.ratelimit import RateLimiter
from tests.conftest import REQUIRE_SERVICES, records_of, redis_url_or_skip


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def ratelimit_log() -> Iterator[list[logging.LogRecord]]:
    with records_of("participation.ratelimit") as records:
        yield records


async def test_an_unreachable_store_never_fails_the_write_and_limits_in_memory(
    ratelimit_log: list[logging.LogRecord],
) -> None:
    """Redis down (nothing listens on the port): the limit still holds, in this process."""
    limiter = RateLimiter(f"redis://127.0.0.1:{_free_port()}/0")
    try:
        for _ in range(5):
            assert await limiter.hit("5/minute", "comment", "7")
        assert not await limiter.hit("5/minute", "comment", "7")
        assert not await limiter.test("5/minute", "comment", "7")
        await limiter.clear("5/minute", "comment", "7")
        assert await limiter.hit("5/minute", "comment", "7")
    finally:
        await limiter.close()
    assert limiter.degraded
    assert [r.getMessage()[:28] for r in ratelimit_log] == ["rate-limit store unreachable"]


async def test_the_limiter_goes_back_to_redis_when_it_answers_again(
    ratelimit_log: list[logging.LogRecord], tmp_path: Path
) -> None:
    server = shutil.which("redis-server")
    if server is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is not installed")
        pytest.skip("needs the redis-server program")
    port = _free_port()
    limiter = RateLimiter(f"redis://127.0.0.1:{port}/0", retry_seconds=0)
    assert await limiter.hit("5/minute", "login", "sam")
    assert limiter.degraded
    proc = await asyncio.create_subprocess_exec(
        server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(tmp_path), stdout=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while limiter.degraded and time.monotonic() < deadline:  # until redis-server is up
            await limiter.hit("5/minute", "login", "sam")
            await asyncio.sleep(0.05)
        assert not limiter.degraded
        assert "reachable again" in ratelimit_log[-1].getMessage()
    finally:
        await limiter.close()
        proc.kill()
        await proc.wait()
