"""A short-lived, per-process cache of what anonymous readers are shown.

On a bad day most requests are anonymous reads of the same few pages (the home page, a
consultation section or a petition that is in the news, its first page of comments). Building such a page costs six database
round trips and their ORM work, three times the CPU of rendering it. Anonymous readers do not
need it to the millisecond, so a page's data (never its HTML, never anything of a signed-in
viewer) is kept for ``READ_CACHE_SECONDS``:

- 0 turns it off (the development default); production defaults to 1 second;
- every transaction committed in this process (``participation.db.transaction``) empties it,
  so a process never shows data older than its own last write; writes of other processes show
  within the lifetime;
- a value loaded while a commit happened is not kept (it may predate the commit);
- when an entry expires it is reloaded in the background while requests are given the
  expired value, for at most another lifetime (an entry older than twice the lifetime is
  never served: it is read again while the request waits); requests that find nothing wait
  for the one load under way: no stampede of identical queries, no request waiting behind a
  reload;
- signed-in people never read from it: whoever has just posted sees their comment at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from starlette.requests import Request

from participation.i18n import get_locale
from participation.web.auth import principal

T = TypeVar("T")
log = logging.getLogger(__name__)
MAX_ENTRIES = 256  # a page of 50 comments holds ~150 KB: at most ~40 MB per process


class ReadCache:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.generation = 0
        self._data: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._loading: dict[Hashable, asyncio.Future[Any]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def configure(self, seconds: float) -> None:
        self.seconds = max(0.0, seconds)
        self.clear()

    def clear(self) -> None:
        self.generation += 1
        self._data.clear()
        self._loading.clear()  # a load begun before the commit must not serve anyone after it

    def __len__(self) -> int:
        return len(self._data)

    async def get(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        if self.seconds <= 0:
            return await load()
        hit = self._data.get(key)
        now = time.monotonic()
        if hit is not None and hit[0] + self.seconds <= now:
            del self._data[key]  # too old to serve, even while it is being read again
            hit = None
        if hit is not None:
            if hit[0] <= now and key not in self._loading:
                # expired: reload it in the background; this request and the ones arriving
                # meanwhile get the expired value (never one older than a commit: commits
                # empty the cache), so nobody waits and the database sees one query
                future = self._start(key)
                task = asyncio.create_task(self._refresh(key, load, future))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            return hit[1]  # type: ignore[no-any-return]
        loading = self._loading.get(key)
        if loading is None:
            return await self._load(key, load, self._start(key))  # type: ignore[no-any-return]
        try:  # the same page is being read for another request: wait for that one read
            return await asyncio.shield(loading)  # type: ignore[no-any-return]
        except asyncio.CancelledError:
            me = asyncio.current_task()
            if loading.cancelled() and me is not None and not me.cancelling():
                return await load()  # the loading request went away: read it ourselves
            raise

    def _start(self, key: Hashable) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._loading[key] = future
        return future

    async def _load(
        self, key: Hashable, load: Callable[[], Awaitable[Any]], future: asyncio.Future[Any]
    ) -> Any:
        generation = self.generation
        try:
            value = await load()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: nobody may be waiting
            raise
        else:
            future.set_result(value)
            if generation == self.generation:
                self._data[key] = (time.monotonic() + self.seconds, value)
                self._data.move_to_end(key)
                if len(self._data) > MAX_ENTRIES:
                    self._data.popitem(last=False)
            return value
        finally:
            if self._loading.get(key) is future:
                del self._loading[key]

    async def _refresh(
        self, key: Hashable, load: Callable[[], Awaitable[Any]], future: asyncio.Future[Any]
    ) -> None:
        try:
            await self._load(key, load, future)
        except Exception:  # gone (404), unreachable database...: the next request reads it
            self._data.pop(key, None)
            log.info("read cache: reloading %r failed", key, exc_info=True)


read_cache = ReadCache()


async def for_anonymous(
    request: Request, key: tuple[Hashable, ...], load: Callable[[], Awaitable[T]]
) -> T:
    """``load()``; for an anonymous reader through the read cache, under ``key`` and the
    request's language (what a signed-in viewer sees may be theirs only, and they must see
    their own writes at once, so they always read fresh data)."""
    if read_cache.seconds <= 0 or principal(request).authenticated:
        return await load()
    return await read_cache.get((*key, get_locale()), load)
