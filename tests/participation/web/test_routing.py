"""A number in a URL that cannot be a row id (longer than PostgreSQL's bigint) is a 404 on
every page and API route, never a database error."""

from __future__ import annotations

import re

import httpx
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route

from tests.conftest import login, post_form
from tests.factories import make_user

TOO_BIG = "99999999999999999999"  # 20 digits; bigint ends at 9223372036854775807
ID = r"\{[a-z_]+:(int|bigid)\}"


def _get_paths(routes: list[BaseRoute], prefix: str = "") -> list[str]:
    out = []
    for r in routes:
        if isinstance(r, Mount) and r.routes:
            out += _get_paths(list(r.routes), prefix + r.path)
        elif isinstance(r, Route) and "GET" in (r.methods or ()) and re.search(ID, r.path):
            out.append(prefix + r.path)
    return out


async def test_ids_too_big_for_the_database_are_not_found(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    paths = _get_paths(list(app.routes))
    assert len(paths) >= 8, paths  # petitions, comments, sections, versions, API...
    for path in paths:
        url = re.sub(ID, TOO_BIG, path)
        url = re.sub(r"\{[a-z_]+(:str)?\}", "roads", url)
        r = await client.get(url)
        assert r.status_code == 404, (url, r.status_code)
    # beyond an integer column's range, and at its end (a missing row): the same 404
    for pid in ("2147483648", "999999999999999999", "2147483647"):
        assert (await client.get(f"/petitions/{pid}")).status_code == 404, pid


def test_the_id_patterns_match_exactly_the_column_ranges() -> None:
    small = Route("/x/{id:int}", lambda request: None)
    big = Route("/x/{id:bigid}", lambda request: None)

    def matches(route: Route, value: str) -> bool:
        return route.path_regex.match(f"/x/{value}") is not None

    for value in ("0", "7", "999999999", "1000000000", "2099999999", "2147483599", "2147483647"):
        assert matches(small, value), value
    for value in ("2147483648", "2147483650", "2200000000", "9999999999", "12147483647", "-1"):
        assert not matches(small, value), value
    assert matches(big, "999999999999999999") and not matches(big, "1000000000000000000")


async def test_a_vote_or_comment_on_a_target_id_beyond_its_column_is_not_found(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    await make_user("amir@example.org")
    await login(client, "amir@example.org")
    for target_type in ("section", "consultation", "comment"):
        vote = await post_form(client, "/votes/cast", {
            "target_type": target_type, "target_id": "9223372036854775807", "value": "1",
        })  # fmt: skip
        assert vote.status_code in (400, 404), (target_type, vote.status_code)
        comment = await post_form(client, "/comments/post", {
            "target_type": target_type, "target_id": "3000000000", "text": "Hello there",
        })  # fmt: skip
        assert comment.status_code in (400, 404), (target_type, comment.status_code)
