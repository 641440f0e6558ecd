"""The one cache facility of the platform: per process, short-lived, emptied by every commit.

Two shapes, one invalidation story:

- ``read_cache``: what anonymous readers are shown (below);
- ``memo(name, seconds, maxsize, clear_on_commit)``: small lookups that many requests repeat
  (a petition's row on the sign path, the block lists, comment counts of a big consultation).
  Each is a ``Memo`` (a ``cachetools.TTLCache``) registered here by name.

The invalidation story, the same for all: an entry lives at most its lifetime (a second for
pages, ten at most for any memo), so writes of other processes show within it. Every
transaction committed in this process empties the read cache and every memo made with
``clear_on_commit=True`` (``participation.db.on_every_commit``; a batch of new comments,
committed by one statement outside a transaction block, calls ``after_write()``, which
empties the read cache: it changes pages, not what memos hold), so a process never serves
data older than its own last write. A memo whose lookups would be emptied by the very commits
it serves (the petition row and block lists on the signing path, where each signature commits;
counts of a big target under a stream of comments) is made with ``clear_on_commit=False`` and
the service that changes its source calls ``forget(key)`` (or ``clear()``) after its commit.
Nothing else in the tree keeps a module-level cache of data (``functools.cache`` on pure
functions of constant input, such as the route patterns of the URL shortcut, is not data).

The read cache of anonymous pages:

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
- what is the same for every reader (a comment thread's page, a section's head) is shared with
  signed-in people too (``participation.web.caching.for_everyone``), who get their own part
  (votes, rights, forms) added per request; someone who has sent a form in the last
  2 x lifetime + 1 seconds reads afresh instead, so whoever has just posted sees their comment
  at once, in every process; other pages of signed-in people never read from it;
- ``prefetch(key, load)`` loads an entry in the background (the next page of a thread being
  read), so that following "More comments" does not wait for a page nobody has read yet.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from cachetools import TTLCache

from participation.db import on_every_commit

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

    def prefetch(self, key: Hashable, load: Callable[[], Awaitable[Any]]) -> None:
        """Load ``key`` in the background unless it is kept or being loaded already: the next
        page of a thread someone is reading, so that following "More comments" finds it ready
        instead of waiting for its query and rendering. Never chained: a prefetch loads one
        entry."""
        if self.seconds <= 0 or key in self._data or key in self._loading:
            return
        future = self._start(key)
        task = asyncio.create_task(self._refresh(key, load, future))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

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


class Memo:
    """A named, bounded, expiring lookup cache (see the module's invalidation story)."""

    def __init__(self, seconds: float, maxsize: int, clear_on_commit: bool) -> None:
        self.cache: TTLCache[Hashable, Any] = TTLCache(maxsize=maxsize, ttl=seconds)
        self.clear_on_commit = clear_on_commit

    async def get(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        try:
            return self.cache[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        value = await load()
        self.cache[key] = value
        return value

    def peek(self, key: Hashable) -> Any:
        """The live entry of ``key``, or None."""
        return self.cache.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        self.cache[key] = value

    def forget(self, key: Hashable) -> None:
        self.cache.pop(key, None)

    def clear(self) -> None:
        self.cache.clear()


_memos: dict[str, Memo] = {}


def memo(name: str, seconds: float, maxsize: int = 10_000, *, clear_on_commit: bool = True) -> Memo:
    """The process's memo called ``name``, made on first use (module level, at import)."""
    found = _memos.get(name)
    if found is None:
        found = _memos[name] = Memo(seconds, maxsize, clear_on_commit)
    return found


def _committed() -> None:
    read_cache.clear()
    for m in _memos.values():
        if m.clear_on_commit:
            m.clear()


def after_write() -> None:
    """A write committed outside ``participation.db.transaction``: the group commit of new
    comments (``participation.comments.batching``), which changes pages (emptied here) and no
    memo's data (targets, rules, block lists: kept, or a stream of comments would empty them
    all the time)."""
    read_cache.clear()


def clear_all() -> None:
    """Empty every cache of this process (tests, and a signal to start afresh)."""
    read_cache.clear()
    for m in _memos.values():
        m.clear()


on_every_commit(_committed)
