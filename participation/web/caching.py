"""Anonymous readers' pages through the read cache (``participation.caching``)."""

from __future__ import annotations

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
