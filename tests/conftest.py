"""One suite, two databases: SQLite always; PostgreSQL (and Redis) when TEST_DATABASE_URL /
TEST_REDIS_URL are set. With REQUIRE_SERVICES=1 (CI) an unreachable service fails the run."""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from tortoise import Tortoise, connections

from participation.app import create_app
from participation.caching import clear_all
from participation.db import tortoise_config
from participation.settings import Settings

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
BACKENDS = ["sqlite"] + (["postgres"] if TEST_DATABASE_URL else [])


async def _check_services() -> list[str]:
    problems = []
    if not TEST_DATABASE_URL:
        problems.append("TEST_DATABASE_URL is not set")
    else:
        import asyncpg

        try:
            c = await asyncpg.connect(
                TEST_DATABASE_URL.replace("postgres://", "postgresql://", 1), timeout=5
            )
            await c.close()
        except Exception as exc:
            problems.append(f"PostgreSQL unreachable at {TEST_DATABASE_URL}: {exc!r}")
    if not TEST_REDIS_URL:
        problems.append("TEST_REDIS_URL is not set")
    else:
        from redis.asyncio import Redis

        try:
            r = Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=5)
            await r.ping()
            await r.aclose()
        except Exception as exc:
            problems.append(f"Redis unreachable at {TEST_REDIS_URL}: {exc!r}")
    return problems


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_SERVICES:
        problems = asyncio.run(_check_services())
        if problems:
            pytest.exit("REQUIRE_SERVICES=1 but: " + "; ".join(problems), returncode=3)


def redis_url_or_skip() -> str:
    """TEST_REDIS_URL for a Redis test. Unset: a failure when REQUIRE_SERVICES=1 (CI sets
    both, so Redis tests always run there); a skip only on a developer's bare machine."""
    if TEST_REDIS_URL:
        return TEST_REDIS_URL
    if REQUIRE_SERVICES:
        pytest.fail("TEST_REDIS_URL is not set but REQUIRE_SERVICES=1")
    pytest.skip("Redis tests run when TEST_REDIS_URL is set (.ci/run sets it)")


def base_settings(backend: str, var_dir: Path, **overrides: object) -> Settings:
    url = TEST_DATABASE_URL if backend == "postgres" else f"sqlite://{var_dir / 'test.sqlite3'}"
    s = Settings(
        env="development",
        database_url=url,
        redis_url=None,
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        base_url="http://testserver",
        var_dir=var_dir,
        run_scheduler=False,
        db_pool_size=10,
    )
    return s.with_(**overrides) if overrides else s


_schema_ready: set[str] = set()
_last_backend: list[str] = []


def _switch_backend(backend: str) -> None:
    """Tortoise caches SQL per connection name; switching dialect needs a clean cache."""
    from tortoise.backends.base import executor

    if _last_backend != [backend]:
        executor.EXECUTOR_CACHE.clear()
        _last_backend[:] = [backend]


async def _create_schema(settings: Settings, backend: str) -> None:
    _switch_backend(backend)
    await Tortoise.init(config=tortoise_config(settings))
    try:
        if backend == "postgres":
            c = connections.get("default")
            await c.execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await Tortoise.generate_schemas(safe=False)
    finally:
        await Tortoise.close_connections()


async def truncate_all() -> None:
    """Empty every table (ids start again at 1) and every cache of the process, so no test
    reads what an earlier one left in a memo under a reused id."""
    clear_all()
    c = connections.get("default")
    tables = [m._meta.db_table for m in Tortoise.apps["models"].values()]  # type: ignore[index]
    if c.capabilities.dialect == "postgres":
        await c.execute_script(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        )
    else:
        await c.execute_script(
            "PRAGMA foreign_keys=OFF;"
            + "".join(f'DELETE FROM "{t}";' for t in tables)
            + "DELETE FROM sqlite_sequence;PRAGMA foreign_keys=ON;"
        )


@pytest.fixture(scope="session")
def session_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def settings(backend: str, session_var: Path, tmp_path: Path) -> Settings:
    s = base_settings(backend, session_var)
    # mail and uploads per test, the database file per session
    s = s.with_(var_dir=tmp_path)
    if backend == "sqlite":
        s = s.with_(database_url=f"sqlite://{session_var / 'test.sqlite3'}")
    return s


@pytest.fixture
async def app(settings: Settings, backend: str) -> AsyncIterator[Starlette]:
    _switch_backend(backend)
    if backend not in _schema_ready:
        await _create_schema(settings, backend)
        _schema_ready.add(backend)
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        await truncate_all()
        yield application


@pytest.fixture
async def db(app: Starlette) -> Starlette:
    """Database (and job runner) ready, for service-level tests."""
    return app


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def read_cache_on() -> Iterator[None]:
    """The anonymous read cache on, with a lifetime longer than any test."""
    from participation.caching import read_cache

    read_cache.configure(60)
    yield
    read_cache.configure(0)


@pytest.fixture
async def anonymous_and_member(
    app: Starlette,
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Two browsers on one app: one stays anonymous, the other is for signing in."""
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as anonymous,
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as member,
    ):
        yield anonymous, member


_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def csrf_token(client: httpx.AsyncClient, url: str = "/") -> str:
    """GET a page and return the CSRF token from its forms."""
    r = await client.get(url)
    m = _TOKEN.search(r.text)
    assert m, f"no csrf token on {url} (status {r.status_code})"
    return m.group(1)


async def post_form(
    client: httpx.AsyncClient,
    url: str,
    data: dict[str, object] | None = None,
    page: str | None = None,
) -> httpx.Response:
    """POST like a browser: fetch the page (or /) for a token, then submit the form."""
    token = await csrf_token(client, page or "/")
    payload = {"csrf_token": token, **{k: v for k, v in (data or {}).items() if v is not None}}
    return await client.post(url, data=payload)  # type: ignore[arg-type]


async def login(client: httpx.AsyncClient, email: str, password: str = "password123") -> None:
    r = await post_form(client, "/account/login", {"email": email, "password": password})
    assert r.status_code == 303, r.text[:500]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.postgres` tests prove concurrency: they run on the PostgreSQL parameter
    only (deselected on SQLite, where one writer makes them meaningless). In CI PostgreSQL is
    required, so they always run there."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend") if callspec else None
        if item.get_closest_marker("postgres") and backend != "postgres":
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@contextmanager
def records_of(name: str, level: int | None = None) -> Iterator[list[logging.LogRecord]]:
    """The records the logger ``name`` handles while inside (ours do not propagate to pytest's
    caplog); ``level``: the logger's level meanwhile."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger(name)
    before = logger.level
    logger.addHandler(handler)
    if level is not None:
        logger.setLevel(level)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(before)
