"""The security suites share one world per module and database: building it (and signing
everyone in) once per module keeps the whole run to a few minutes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from starlette.applications import Starlette

from participation.app import create_app
from tests.conftest import (
    BACKENDS,
    _create_schema,
    _schema_ready,
    _switch_backend,
    base_settings,
    truncate_all,
)
from tests.security.world import (
    World,
    build_world,
    install_change_counter,
    remove_change_counter,
)


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Per module here (the root conftest's is per test), so that a module's tests share one
    app and world per database."""
    return request.param


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_app(
    backend: str, session_var: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Starlette]:
    settings = base_settings(backend, session_var).with_(var_dir=tmp_path_factory.mktemp("sec"))
    if backend == "sqlite":
        settings = settings.with_(database_url=f"sqlite://{session_var / 'test.sqlite3'}")
    _switch_backend(backend)
    if backend not in _schema_ready:
        await _create_schema(settings, backend)
        _schema_ready.add(backend)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await truncate_all()
        await install_change_counter()
        try:
            yield app
        finally:
            await remove_change_counter()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(module_app: Starlette) -> AsyncIterator[World]:
    w = await build_world(module_app)
    try:
        yield w
    finally:
        await w.close()
