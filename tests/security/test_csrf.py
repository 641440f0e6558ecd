"""Forged requests, for every unsafe route of the app (from its route table): sent by the
browser of a person allowed to do it (the authorisation table's "ok"), but without the form's
token, with another person's token (in the form, in the header, in a multipart body), or with
their own token from another site's page. Each is refused (403) and nothing stored changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.security.routes import Endpoint, endpoint_of, unsafe_pairs
from tests.security.test_authorisation import FILES, FORMS, ROWS, Row
from tests.security.world import ROLES, World, fingerprint

pytestmark = pytest.mark.asyncio(loop_scope="module")

Forgery = Callable[[World, str, dict[str, str], Any], dict[str, Any]]


def _other(role: str) -> str:
    return "citizen" if role != "citizen" else "author"


FORGERIES: dict[str, Forgery] = {
    "no token": lambda w, role, form, files: {"data": form, "files": files},
    "another person's token": lambda w, role, form, files: {
        "data": {"csrf_token": w.tokens[_other(role)], **form}, "files": files,
    },
    "another person's token in the header": lambda w, role, form, files: {
        "data": form, "files": files, "headers": {"X-CSRF-Token": w.tokens[_other(role)]},
    },
    "another person's token, multipart": lambda w, role, form, files: {
        "data": {"csrf_token": w.tokens[_other(role)], **form},
        "files": files or {"unused": ("a.txt", b"x", "text/plain")},
    },
    "a token the attacker got as a visitor": lambda w, role, form, files: {
        "data": {"csrf_token": w.tokens["stranger"], **form}, "files": files,
    },
    "own token, sent from another site": lambda w, role, form, files: {
        "data": {"csrf_token": w.tokens[role], **form}, "files": files,
        "headers": {"Origin": "https://attacker.example"},
    },
}  # fmt: skip


def _row_for(e: Endpoint, method: str, world_paths: dict[str, str]) -> Row | None:
    for row in ROWS:
        if row.method == method and world_paths.get(row.key) == e.path:
            return row
    return None


@pytest.mark.parametrize("forgery", list(FORGERIES))
async def test_every_unsafe_route_refuses_a_forged_request(world: World, forgery: str) -> None:
    # which route each row of the table reaches
    reaches = {}
    for row in ROWS:
        e = endpoint_of(await world.resolve(row.path, {}))
        if e is not None:
            reaches[row.key] = e.path
    problems = []
    for e, method in unsafe_pairs():
        row = _row_for(e, method, reaches)
        if row is None:
            problems.append(f"{method} {e.path}: no row in the authorisation table")
            continue
        role = next((r for r in ROLES if row.expected[r] == "ok"), "citizen")
        cache: dict[str, dict[str, str]] = {}
        path = await world.resolve(row.path, cache)
        form = {await world.resolve(k, cache): await world.resolve(v, cache)
                for k, v in FORMS.get(row.key, {}).items()}  # fmt: skip
        files = FILES[row.key]() if row.key in FILES else None
        before = await fingerprint()
        client: httpx.AsyncClient = world.clients[role]
        r = await client.request(method, path, **FORGERIES[forgery](world, role, form, files))
        if r.status_code != 403:
            problems.append(f"{method} {path} as {role}: {r.status_code}, not 403")
        if await fingerprint() != before:
            problems.append(f"{method} {path} as {role}: refused, but something stored changed")
    assert not problems, f"{forgery}:\n" + "\n".join(problems)
