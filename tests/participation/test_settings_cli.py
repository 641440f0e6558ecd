"""Configuration and the command line: clear messages, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from participation.settings import ConfigError, Settings

CLI = [sys.executable, "-m", "participation.cli"]


def test_production_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings.from_env({"ENV": "production", "VAR_DIR": str(tmp_path)})


def test_development_generates_a_secret_key_once(tmp_path: Path) -> None:
    a = Settings.from_env({"VAR_DIR": str(tmp_path)})
    b = Settings.from_env({"VAR_DIR": str(tmp_path)})
    assert a.secret_key == b.secret_key and len(a.secret_key) >= 32
    assert a.database_url == f"sqlite://{tmp_path / 'participation.sqlite3'}"
    assert a.redis_url is None and a.smtp_url is None


def test_settings_read_every_variable(tmp_path: Path) -> None:
    s = Settings.from_env({
        "ENV": "production", "SECRET_KEY": "k" * 40, "DATABASE_URL": "postgres://db/x",
        "REDIS_URL": "redis://r:6379/0", "BASE_URL": "https://example.org/",
        "DEFAULT_LOCALE": "fa", "SMTP_URL": "smtp://mail:25", "VAR_DIR": str(tmp_path),
    })  # fmt: skip
    assert s.production and s.is_postgres and s.default_locale == "fa"
    assert s.base_url == "https://example.org" and s.redis_url == "redis://r:6379/0"


def test_unknown_default_locale_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DEFAULT_LOCALE"):
        Settings.from_env({"DEFAULT_LOCALE": "de", "VAR_DIR": str(tmp_path)})


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=60,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


@pytest.mark.parametrize("command", ["serve", "worker", "migrate", "create-admin", "seed-demo"])
def test_every_command_has_help(command: str) -> None:
    r = _run(command, "--help")
    assert r.returncode == 0 and "usage:" in r.stdout


@pytest.mark.parametrize(
    "args",
    [["serve", "--port", "nope"], ["serve", "--workers", "0"], ["frobnicate"], []],
)
def test_bad_arguments_give_a_message_not_a_traceback(args: list[str]) -> None:
    r = _run(*args)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and "usage:" in r.stderr


def test_configuration_error_is_a_message(tmp_path: Path) -> None:
    r = _run("migrate", env={"ENV": "production", "SECRET_KEY": "", "VAR_DIR": str(tmp_path)})
    assert r.returncode == 2
    assert "SECRET_KEY" in r.stderr and "Traceback" not in r.stderr


def test_worker_without_redis_explains_itself(tmp_path: Path) -> None:
    r = _run("worker", env={"REDIS_URL": "", "VAR_DIR": str(tmp_path)})
    assert r.returncode == 2 and "REDIS_URL" in r.stderr
