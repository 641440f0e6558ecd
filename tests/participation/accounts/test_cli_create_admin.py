"""`participation create-admin` on the command line."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from tortoise import Tortoise

from participation import cli
from participation.accounts.models import User
from participation.db import tortoise_config
from participation.settings import Settings
from tests.conftest import _switch_backend


async def _make_schema(settings: Settings) -> None:
    await Tortoise.init(config=tortoise_config(settings))
    try:
        await Tortoise.generate_schemas()
    finally:
        await Tortoise.close_connections()


async def _admins(settings: Settings) -> list[tuple[str, bool]]:
    await Tortoise.init(config=tortoise_config(settings))
    try:
        return [(u.email, u.is_admin) for u in await User.all().order_by("id")]
    finally:
        await Tortoise.close_connections()


def test_create_admin_command_creates_then_refuses_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _switch_backend("sqlite")
    db_url = f"sqlite://{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.delenv("REDIS_URL", raising=False)
    settings = Settings.from_env()
    asyncio.run(_make_schema(settings))

    args = ["create-admin", "--email", "Boss@Example.org", "--password", "long-enough-pw"]
    assert cli.main(args) == 0
    assert "boss@example.org" in capsys.readouterr().out
    assert cli.main(["create-admin", "--email", "nope", "--password", "long-enough-pw"]) == 1
    assert "not a valid e-mail address" in capsys.readouterr().err
    assert asyncio.run(_admins(settings)) == [("boss@example.org", True)]
