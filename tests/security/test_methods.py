"""Methods, for every route of the app: a method the route does not take is a 405 naming
the ones it does (``Allow``), TRACE included; HEAD is the GET without its body."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.applications import Starlette

from tests.conftest import csrf_token
from tests.security.routes import Endpoint, endpoints

pytestmark = pytest.mark.asyncio(loop_scope="module")

PROBED = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
STAND_INS = {"int": "1", "bigid": "1", "path": "site.css", "str": "x"}


def example_path(e: Endpoint) -> str:
    """The route's path with a stand-in for each parameter (the method is refused before
    anything is looked up)."""

    def fill(m: re.Match[str]) -> str:
        name, _sep, kind = m.group(1).partition(":")
        return STAND_INS.get(kind or "str", "x") if name != "kind" else "report"

    return re.sub(r"\{([^}]+)\}", fill, e.path)


@pytest.mark.parametrize("e", endpoints(), ids=lambda e: e.path)
async def test_a_method_the_route_does_not_take_is_405_with_allow(
    module_app: Starlette, e: Endpoint
) -> None:
    path = example_path(e)
    transport = httpx.ASGITransport(app=module_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        token = await csrf_token(client, "/account/register/sent")
        for method in PROBED:
            if method in e.methods:
                continue
            r = await client.request(method, path, headers={"X-CSRF-Token": token})
            assert r.status_code == 405, (method, path, r.status_code)
            allowed = {m.strip() for m in r.headers.get("allow", "").split(",") if m.strip()}
            assert allowed == set(e.methods), (method, path, r.headers.get("allow"))


async def test_head_is_the_get_without_a_body(module_app: Starlette) -> None:
    transport = httpx.ASGITransport(app=module_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for path in ("/", "/account/login", "/account/register", "/petitions/"):
            got = await client.get(path)
            head = await client.head(path)
            assert (head.status_code, head.content) == (got.status_code, b""), path
            assert head.headers["content-type"] == got.headers["content-type"]
