"""`participation seed-demo`: each domain's ``seed.seed_demo`` in domain order. Idempotent."""

from __future__ import annotations

from collections.abc import Callable

from participation.domains import DOMAINS, submodule
from participation.settings import Settings


async def seed_demo(settings: Settings, log: Callable[[str], object] = print) -> None:
    for d in DOMAINS:
        mod = submodule(d, "seed")
        if mod is not None and mod.__name__ != __name__:
            await mod.seed_demo(settings, log)
    log("Demo data is ready. Open http://127.0.0.1:8000")
