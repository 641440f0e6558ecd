"""A short-lived, per-process cache of what anonymous readers are shown.

On a bad day most requests are anonymous reads of the same few pages (a consultation section
that is in the news, its first page of comments). Building such a page costs six database
round trips and their ORM work, three times the CPU of rendering it. Anonymous readers do not
need it to the millisecond, so a page's data (never its HTML, never anything of a signed-in
viewer) is kept for ``READ_CACHE_SECONDS``:

- 0 turns it off (the development default); production defaults to 1 second;
- every transaction committed in this process (``participation.db.transaction``) empties it,
  so a process never shows data older than its own last write; writes of other processes show
  within the lifetime;
- a value loaded while a commit happened is not kept (it may predate the commit);
- signed-in people never read from it: whoever has just posted sees their comment at once.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
MAX_ENTRIES = 2048


class ReadCache:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.generation = 0
        self._data: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()

    def configure(self, seconds: float) -> None:
        self.seconds = max(0.0, seconds)
        self.clear()

    def clear(self) -> None:
        self.generation += 1
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)

    async def get(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        if self.seconds <= 0:
            return await load()
        now = time.monotonic()
        hit = self._data.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]  # type: ignore[no-any-return]
        generation = self.generation
        value = await load()
        if generation == self.generation:
            self._data[key] = (now + self.seconds, value)
            self._data.move_to_end(key)
            if len(self._data) > MAX_ENTRIES:
                self._data.popitem(last=False)
        return value


read_cache = ReadCache()
