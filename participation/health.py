"""Readiness of what the application depends on: the database and, when configured, Redis."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from participation.db import conn
from participation.settings import Settings

CHECK_SECONDS = 2.0  # a component slower than this to answer counts as down


async def _database() -> None:
    await conn().execute_query("SELECT 1")


async def _redis(url: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=CHECK_SECONDS, socket_timeout=CHECK_SECONDS)
    try:
        await client.ping()
    finally:
        await client.aclose()


async def _check(probe: Awaitable[None]) -> str:
    try:
        await asyncio.wait_for(probe, CHECK_SECONDS)
    except Exception as exc:  # report it, never crash the probe
        return f"error: {type(exc).__name__}"
    return "ok"


async def readiness(settings: Settings) -> dict[str, str]:
    """Each component's state: "ok" or "error: <exception type>"."""
    checks = {"database": await _check(_database())}
    if settings.redis_url:
        checks["redis"] = await _check(_redis(settings.redis_url))
    return checks
