"""Fixtures of the reliability tests: a whole deployment per test (see stack.py).

They need PostgreSQL (TEST_DATABASE_URL: each test creates and drops a database of its own next
to it) and the ``redis-server`` program (each test starts its own). Without them they are
skipped on a developer's machine and fail when REQUIRE_SERVICES=1 (CI)."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from tortoise import Tortoise

from participation.db import tortoise_config
from participation.organisations.models import Body
from petitions.models import Petition, Status
from tests.conftest import REQUIRE_SERVICES, TEST_DATABASE_URL, _switch_backend, base_settings
from tests.factories import make_user
from tests.reliability.stack import Stack, create_database, drop_database, migrate, pg_dsn


def _services_or_skip() -> str:
    problems = []
    if not TEST_DATABASE_URL:
        problems.append("TEST_DATABASE_URL is not set")
    if shutil.which("redis-server") is None:
        problems.append("redis-server is not installed")
    if problems:
        if REQUIRE_SERVICES:
            pytest.fail("reliability tests need: " + "; ".join(problems))
        pytest.skip("reliability tests need: " + "; ".join(problems))
    return TEST_DATABASE_URL


class Database:
    """The test's own view of the deployment's database: plain SQL for the checks."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def value(self, sql: str, *args: Any) -> Any:
        async with self.pool.acquire() as c:
            return await c.fetchval(sql, *args)

    async def rows(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        async with self.pool.acquire() as c:
            return list(await c.fetch(sql, *args))

    async def execute(self, sql: str, *args: Any) -> str:
        async with self.pool.acquire() as c:
            return str(await c.execute(sql, *args))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)  # the stack fixture prints logs on failure
    return report


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated once per run, copied for each test (CREATE DATABASE ... TEMPLATE)."""
    admin_url = _services_or_skip()
    url = asyncio.run(create_database(admin_url))
    try:
        migrate(url, tmp_path_factory.mktemp("migrate"))
        yield url
    finally:
        asyncio.run(drop_database(admin_url, url))


@pytest.fixture
async def stack(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_template: str
) -> AsyncIterator[Stack]:
    """A migrated database of its own, SMTP sink, redis-server, `serve --workers 2` and one
    `worker` up; models usable from the test (Tortoise on the same database). All torn down
    afterwards, the database dropped."""
    admin_url = _services_or_skip()
    url = await create_database(admin_url, template=migrated_template)
    s = Stack(database_url=url, tmp=tmp_path)
    try:
        s.start_smtp()
        s.start_redis()
        s.start_web(wait=False)
        s.start_worker()
        await asyncio.to_thread(s.wait_for_web)
        _switch_backend(f"reliability:{url}")
        await Tortoise.init(
            config=tortoise_config(base_settings("postgres", tmp_path).with_(database_url=url))
        )
        try:
            yield s
        finally:
            await Tortoise.close_connections()
            _switch_backend("reset")
    finally:
        s.close()
        report = getattr(request.node, "report_call", None)
        if report is None or report.failed:
            print(s.logs())  # the processes' last log lines, shown with the failure
        await drop_database(admin_url, url)


@pytest.fixture
async def database(stack: Stack) -> AsyncIterator[Database]:
    pool = await asyncpg.create_pool(
        pg_dsn(stack.database_url), min_size=1, max_size=3,
        server_settings={"application_name": "reliability-checks"},
    )  # fmt: skip
    try:
        yield Database(pool)
    finally:
        await pool.close()


async def make_body_with(settings: dict[str, Any]) -> Body:
    slug = f"body-{secrets.token_hex(4)}"
    return await Body.create(slug=slug, i18n={"en": {"name": slug}}, original_locale="en",
                             settings=settings)  # fmt: skip


async def open_petition(body: Body, title: str = "Repair the bridges") -> Petition:
    now = datetime.now(UTC)
    return await Petition.create(
        body=body, creator=await make_user(), title=title, action="Repair every bridge.",
        background="They are old.", language="en", status=Status.OPEN,
        sponsor_token=secrets.token_urlsafe(16), submitted_at=now - timedelta(days=2),
        opened_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
    )  # fmt: skip
