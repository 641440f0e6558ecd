"""Pages through the read cache (``participation.caching``): anonymous readers' pages, and the
parts of a page that are the same for every reader (a comment thread)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

from starlette.requests import Request

from participation.caching import read_cache
from participation.i18n import get_locale
from participation.web.auth import principal

T = TypeVar("T")


async def for_anonymous(
    request: Request, key: tuple[Hashable, ...], load: Callable[[], Awaitable[T]]
) -> T:
    """``load()``; for an anonymous reader through the read cache, under ``key`` and the
    request's language (what a signed-in viewer sees may be theirs only, and they must see
    their own writes at once, so they always read fresh data)."""
    if read_cache.seconds <= 0 or principal(request).authenticated:
        return await load()
    return await read_cache.get((*key, get_locale()), load)


WROTE_AT = "wrote_at"  # in the session: when this person last sent a form (CSRFMiddleware)


def wrote_recently(request: Request) -> bool:
    """Whether this reader sent a form within the time the read cache of any process may still
    hold what predates it (an entry is served at most twice its lifetime after its load)."""
    wrote = request.session.get(WROTE_AT) if "session" in request.scope else None
    return isinstance(wrote, int) and time.time() - wrote <= 2 * read_cache.seconds + 1


async def for_everyone(
    request: Request, key: tuple[Hashable, ...], load: Callable[[], Awaitable[T]]
) -> T:
    """``load()`` of what is the same for every reader, signed in or not (the reader's own part
    is added by the caller), through the read cache under ``key`` and the request's language;
    read afresh for someone who has just sent a form, so that they see their own write at once
    in every process."""
    if read_cache.seconds <= 0 or wrote_recently(request):
        return await load()
    return await read_cache.get((*key, get_locale()), load)


def prefetch_for_everyone(
    request: Request, key: tuple[Hashable, ...], load: Callable[[], Awaitable[object]]
) -> None:
    """Start loading what ``for_everyone`` would read under ``key`` (the next page of a thread)
    in the background, unless it is kept or being loaded already."""
    read_cache.prefetch((*key, get_locale()), load)
