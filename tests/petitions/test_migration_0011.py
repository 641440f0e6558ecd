"""Migration 0011 on a database that has petitions: they become searchable, and sponsors the
per-address rule had held are released (the nightly recount then counts them)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate

from participation.db import tortoise_config
from tests.conftest import TEST_DATABASE_URL, _switch_backend, base_settings

PETITION = (
    "INSERT INTO petitions (id, body_id, creator_id, title, action, background, details, "
    "language, status, sponsor_token, created_at, signature_count, region_counts, "
    "debate_link, trending_rate, reject_text) VALUES (1, 1, 1, 'ایجاد مسير دوچرخه‌سواری', "
    "'Éclairer la route', '', '', 'fa', 'open', 'tok', '2026-01-01 00:00:00+00', 0, '{}', '', "
    "0, '')"
)
SIGNATURE = (
    "INSERT INTO petition_signatures (id, petition_id, name, email, canonical_email, region, "
    "opt_in, ip, locale, sponsor, status, created_at, counted, suspect) VALUES "
    "({id}, 1, 'S', 's{id}@example.net', 's{id}@example.net', 'fars', false, '198.51.100.9', "
    "'fa', {sponsor}, 'confirmed', '2026-01-01 00:00:0{id}+00', true, true)"
)


async def _upgrade(url: str, tmp_path: Path, no_keys: str) -> None:
    config = tortoise_config(base_settings("sqlite", tmp_path).with_(database_url=url))
    try:
        await migrate(config=config, target="models.0010_privacy")
        await Tortoise.close_connections()
        await Tortoise.init(config=config)
        c = connections.get("default")
        await c.execute_script(
            f"{no_keys}{PETITION};{SIGNATURE.format(id=1, sponsor='true')};"
            f"{SIGNATURE.format(id=2, sponsor='false')};"
        )
        await Tortoise.close_connections()
        await migrate(config=config)
        await Tortoise.close_connections()
        await Tortoise.init(config=config)
        c = connections.get("default")
        _, rows = await c.execute_query("SELECT search_text FROM petitions WHERE id = 1")
        assert rows[0]["search_text"] == "ایجاد مسیر دوچرخهسواری eclairer la route"
        _, rows = await c.execute_query("SELECT id, suspect FROM petition_signatures ORDER BY id")
        assert [(r["id"], bool(r["suspect"])) for r in rows] == [(1, False), (2, True)]
    finally:
        await Tortoise.close_connections()
        _switch_backend("reset")


async def test_upgrading_a_sqlite_database_with_petitions(tmp_path: Path) -> None:
    _switch_backend("migrations:0011:sqlite")
    await _upgrade(f"sqlite://{tmp_path / 'upgrade.sqlite3'}", tmp_path, "PRAGMA foreign_keys=OFF;")


@pytest.mark.postgres
async def test_upgrading_a_postgres_database_with_petitions(backend: str, tmp_path: Path) -> None:
    parts = urlsplit(TEST_DATABASE_URL)
    name = f"{parts.path.lstrip('/')}_mig_0011"
    admin = await asyncpg.connect(TEST_DATABASE_URL.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _switch_backend("migrations:0011:postgres")
        await _upgrade(
            parts._replace(path=f"/{name}").geturl(), tmp_path,
            "SET session_replication_role = replica;",
        )  # fmt: skip
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
