"""The request log (``participation.web.middleware.CoreMiddleware``): every request with
ACCESS_LOG=1; otherwise only the slow ones and server errors, each with its request id."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from participation.settings import Settings
from participation.web import middleware
from participation.web.middleware import CoreMiddleware
from tests.conftest import records_of


@pytest.fixture
def lines() -> Iterator[list[logging.LogRecord]]:
    with records_of("participation.http", logging.INFO) as seen:
        yield seen


def _client(tmp_path: Path, access_log: bool) -> httpx.AsyncClient:
    async def ok(request: object) -> PlainTextResponse:
        return PlainTextResponse("ok")

    async def broken(request: object) -> PlainTextResponse:
        return PlainTextResponse("no", status_code=503)

    app = Starlette(routes=[Route("/ok", ok), Route("/broken", broken)])
    settings = Settings.from_env(
        {"VAR_DIR": str(tmp_path), "ACCESS_LOG": "1" if access_log else "0"}
    )
    wrapped = CoreMiddleware(app, settings=settings)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=wrapped), base_url="http://t")


async def test_every_request_is_logged_with_access_log_on(
    tmp_path: Path, lines: list[logging.LogRecord]
) -> None:
    async with _client(tmp_path, access_log=True) as client:
        r = await client.get("/ok")
    [line] = lines
    assert line.__dict__["path"] == "/ok" and line.__dict__["status"] == 200
    assert line.__dict__["request_id"] == r.headers["x-request-id"]


async def test_otherwise_only_slow_requests_and_server_errors_are(
    tmp_path: Path, lines: list[logging.LogRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with _client(tmp_path, access_log=False) as client:
        assert (await client.get("/ok")).status_code == 200
        assert lines == []
        await client.get("/broken")
        assert [(x.__dict__["path"], x.__dict__["status"]) for x in lines] == [("/broken", 503)]
        monkeypatch.setattr(middleware, "SLOW_REQUEST_SECONDS", 0.0)  # every request is slow
        await client.get("/ok")
    assert [x.__dict__["path"] for x in lines] == ["/broken", "/ok"]
