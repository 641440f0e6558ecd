"""A body slug longer than its column cannot exist: every page that takes one says "not found"."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import login
from tests.factories import make_user

LONG = "b" * 81


@pytest.mark.parametrize(
    "path",
    [f"/bodies/{LONG}", f"/admin/bodies/{LONG}/edit", f"/admin/bodies/{LONG}/members"],
)
async def test_an_over_long_body_slug_is_not_found(client: httpx.AsyncClient, path: str) -> None:
    await make_user("root@example.org", admin=True)
    await login(client, "root@example.org")
    assert (await client.get(path)).status_code == 404
