"""The anonymous readers' cache: off by default, a lifetime, emptied by every commit, bounded."""

from __future__ import annotations

import asyncio

import pytest

from participation import caching as readcache
from participation.caching import ReadCache
from participation.settings import ConfigError, Settings


class Loader:
    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self) -> int:
        self.calls += 1
        return self.calls


async def test_off_loads_every_time() -> None:
    cache, load = ReadCache(), Loader()
    assert [await cache.get("k", load) for _ in range(3)] == [1, 2, 3]
    assert len(cache) == 0


async def test_on_keeps_a_value_for_its_lifetime_then_loads_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(readcache.time, "monotonic", lambda: now[0])
    cache, load = ReadCache(), Loader()
    cache.configure(1.0)
    assert await cache.get("k", load) == 1
    now[0] += 0.9
    assert await cache.get("k", load) == 1
    assert await cache.get("other", load) == 2  # keys are separate
    now[0] += 0.2  # expired: this request gets the old value, a background reload the new one
    assert await cache.get("k", load) == 1
    await asyncio.gather(*cache._tasks)
    assert await cache.get("k", load) == 3


async def test_an_entry_older_than_twice_its_lifetime_is_never_served(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(readcache.time, "monotonic", lambda: now[0])
    cache, load = ReadCache(), Loader()
    cache.configure(1.0)
    assert await cache.get("k", load) == 1
    now[0] += 1.5  # expired, within the grace lifetime: served while read again
    assert await cache.get("k", load) == 1
    await asyncio.gather(*cache._tasks)
    now[0] += 10  # nobody asked for it for a while: read again while the request waits
    assert await cache.get("k", load) == 3
    assert len(cache) == 1


async def test_a_commit_empties_it_and_a_value_loaded_across_a_commit_is_not_kept() -> None:
    cache = ReadCache()
    cache.configure(60)
    load = Loader()
    assert await cache.get("k", load) == 1
    cache.clear()  # what participation.db.transaction does after every commit
    assert await cache.get("k", load) == 2

    started = asyncio.Event()
    release = asyncio.Event()

    async def slow() -> str:
        started.set()
        await release.wait()
        return "loaded before the commit"

    task = asyncio.create_task(cache.get("slow", slow))
    await started.wait()
    cache.clear()  # a commit while the value was being read
    release.set()
    assert await task == "loaded before the commit"
    assert await cache.get("slow", Loader()) == 1  # not kept: read again


async def test_it_is_bounded() -> None:
    cache = ReadCache()
    cache.configure(60)
    for i in range(readcache.MAX_ENTRIES + 10):
        await cache.get(i, Loader())
    assert len(cache) == readcache.MAX_ENTRIES


def test_the_setting_defaults_to_one_second_in_production_only() -> None:
    secret = {"SECRET_KEY": "s" * 40}
    assert Settings.from_env({**secret}).read_cache_seconds == 0
    assert Settings.from_env({**secret, "ENV": "production"}).read_cache_seconds == 1
    prod_off = {**secret, "ENV": "production", "READ_CACHE_SECONDS": "0"}
    assert Settings.from_env(prod_off).read_cache_seconds == 0
    for bad in ("soon", "-1", "3600"):
        with pytest.raises(ConfigError, match="READ_CACHE_SECONDS"):
            Settings.from_env({**secret, "READ_CACHE_SECONDS": bad})


async def test_concurrent_misses_share_one_load_and_an_expired_value_covers_a_reload(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(readcache.time, "monotonic", lambda: now[0])
    cache = ReadCache()
    cache.configure(1.0)
    calls: list[int] = []
    release = asyncio.Event()

    async def slow() -> int:
        calls.append(1)
        await release.wait()
        return len(calls)

    first = [asyncio.create_task(cache.get("k", slow)) for _ in range(5)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*first) == [1] * 5
    assert len(calls) == 1  # one database read for five requests

    now[0] += 1.5  # expired: reloaded in the background, the expired value meanwhile
    release.clear()
    assert await cache.get("k", slow) == 1
    assert await cache.get("k", slow) == 1
    release.set()
    await asyncio.gather(*cache._tasks)
    assert await cache.get("k", slow) == 2 and len(calls) == 2


async def test_a_failed_background_reload_drops_the_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(readcache.time, "monotonic", lambda: now[0])
    cache = ReadCache()
    cache.configure(1.0)
    assert await cache.get("k", Loader()) == 1
    now[0] += 1.5

    async def gone() -> int:
        raise LookupError("unpublished")

    assert await cache.get("k", gone) == 1  # the expired value, while it is reloaded
    await asyncio.gather(*cache._tasks)
    with pytest.raises(LookupError):
        await cache.get("k", gone)  # nothing kept: the next request reads it and fails


async def test_a_failed_load_reaches_its_waiters_and_is_not_kept() -> None:
    cache = ReadCache()
    cache.configure(60)
    release = asyncio.Event()

    async def broken() -> int:
        await release.wait()
        raise LookupError("no such page")

    tasks = [asyncio.create_task(cache.get("k", broken)) for _ in range(3)]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(r, LookupError) for r in results)
    assert len(cache) == 0
    assert await cache.get("k", Loader()) == 1
