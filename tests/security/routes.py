"""The app's route table, walked: every leaf route with its full path and methods, so that
the suites are generated from what the app serves and a new route cannot escape them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route, compile_path

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Endpoint:
    path: (
        str  # the full pattern, as Starlette writes it: /consultations/{slug}/sections/{number:int}
    )
    methods: frozenset[str]
    name: str
    regex: re.Pattern[str]


def walk(routes: list[BaseRoute], prefix: str = "") -> list[Endpoint]:
    out: list[Endpoint] = []
    for r in routes:
        if isinstance(r, Mount):
            if r.routes:
                out.extend(walk(list(r.routes), prefix + r.path))
            else:  # an app mounted whole (the static files): every path under it, GET and HEAD
                path = prefix + r.path + "/{path:path}"
                out.append(Endpoint(path, frozenset({"GET", "HEAD"}), r.name or path,
                                    compile_path(path)[0]))  # fmt: skip
        elif isinstance(r, Route):
            path = prefix + r.path
            methods = frozenset(r.methods or {"GET", "HEAD"})
            out.append(Endpoint(path, methods, r.name or path, compile_path(path)[0]))
        else:
            raise AssertionError(f"a route of a kind the suites do not know: {r!r}")
    return out


@cache
def endpoints() -> tuple[Endpoint, ...]:
    from participation.app import collect_routes

    return tuple(walk(collect_routes()))


def app_endpoints(app: Starlette) -> list[Endpoint]:
    return walk(list(app.routes))


def endpoint_of(path: str) -> Endpoint | None:
    """The route that serves ``path`` (the first that matches, as Starlette picks)."""
    for e in endpoints():
        if e.regex.match(path):
            return e
    return None


def unsafe_pairs() -> list[tuple[Endpoint, str]]:
    return sorted(
        ((e, m) for e in endpoints() for m in e.methods if m not in SAFE),
        key=lambda em: (em[0].path, em[1]),
    )
