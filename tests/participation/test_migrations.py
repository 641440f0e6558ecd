"""The checked-in migrations, applied to an empty database, give exactly the models' schema."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate

from participation.db import tortoise_config
from tests.conftest import TEST_DATABASE_URL, _switch_backend, base_settings


async def _sqlite_schema() -> dict[str, object]:
    c = connections.get("default")
    _, tables = await c.execute_query(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'tortoise_%'"
    )
    schema: dict[str, object] = {}
    for t in tables:
        name = t["name"]
        _, cols = await c.execute_query(f'PRAGMA table_info("{name}")')
        _, idx = await c.execute_query(f'PRAGMA index_list("{name}")')
        indexes = set()
        for i in idx:
            _, icols = await c.execute_query(f'PRAGMA index_info("{i["name"]}")')
            indexes.add((bool(i["unique"]), tuple(x["name"] for x in icols)))
        schema[name] = (
            sorted((x["name"], x["type"].upper(), x["notnull"], x["pk"]) for x in cols),
            sorted(indexes),
        )
    return schema


async def _postgres_schema() -> dict[str, object]:
    c = connections.get("default")
    _, cols = await c.execute_query(
        "SELECT table_name, column_name, data_type, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_schema='public' "
        "AND table_name NOT LIKE 'tortoise_%'"
    )
    _, idx = await c.execute_query(
        "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname='public' "
        "AND tablename NOT LIKE 'tortoise_%'"
    )
    schema: dict[str, object] = {}
    for col in cols:
        default = col["column_default"] or ""
        default = "nextval" if default.startswith("nextval") else default
        schema.setdefault(col["table_name"], set()).add(  # type: ignore[union-attr]
            (col["column_name"], col["data_type"], col["is_nullable"], default)
        )
    for i in idx:
        # compare the definition without the index's own name
        d = i["indexdef"]
        definition = d.split(" ON ", 1)[1] + (" UNIQUE" if "UNIQUE" in d.split(" ON ")[0] else "")
        schema.setdefault(f"{i['tablename']}:indexes", set()).add(definition)  # type: ignore[union-attr]
    return schema


async def _schemas(url_a: str, url_b: str, tmp: Path, reader) -> tuple[object, object]:  # type: ignore[no-untyped-def]
    _switch_backend(f"migrations:{url_a}")
    settings_a = base_settings("sqlite", tmp).with_(database_url=url_a)
    await migrate(config=tortoise_config(settings_a))
    await Tortoise.close_connections()
    await Tortoise.init(config=tortoise_config(settings_a))
    applied = await reader()
    await Tortoise.close_connections()

    _switch_backend(f"models:{url_b}")
    await Tortoise.init(config=tortoise_config(settings_a.with_(database_url=url_b)))
    await Tortoise.generate_schemas()
    expected = await reader()
    await Tortoise.close_connections()
    _switch_backend("reset")
    return applied, expected


async def test_migrations_match_models_on_sqlite(tmp_path: Path) -> None:
    applied, expected = await _schemas(
        f"sqlite://{tmp_path / 'migrated.sqlite3'}",
        f"sqlite://{tmp_path / 'generated.sqlite3'}",
        tmp_path,
        _sqlite_schema,
    )
    assert applied == expected


@pytest.mark.postgres
async def test_migrations_match_models_on_postgres(backend: str, tmp_path: Path) -> None:
    parts = urlsplit(TEST_DATABASE_URL)
    base = parts.path.lstrip("/")
    admin = await asyncpg.connect(TEST_DATABASE_URL.replace("postgres://", "postgresql://", 1))
    names = [f"{base}_mig_a", f"{base}_mig_b"]
    for n in names:
        await admin.execute(f'DROP DATABASE IF EXISTS "{n}"')
        await admin.execute(f'CREATE DATABASE "{n}"')
    try:
        urls = [parts._replace(path=f"/{n}").geturl() for n in names]
        applied, expected = await _schemas(urls[0], urls[1], tmp_path, _postgres_schema)
        assert applied == expected
    finally:
        for n in names:
            await admin.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')
        await admin.close()


def test_every_column_added_to_an_existing_table_can_be_added_to_one_with_rows() -> None:
    """A NOT NULL column added by a later migration needs a database default, else upgrading a
    database that has rows fails ("Cannot add a NOT NULL column with default value NULL")."""
    import importlib

    from tortoise.migrations import operations as ops

    missing = []
    for path in sorted(Path(__file__).resolve().parents[2].glob("migrations/0*.py")):
        module = importlib.import_module(f"migrations.{path.stem}")
        for op in module.Migration.operations:
            if isinstance(op, ops.AddField) and not op.field.null:
                if not op.field.has_db_default():
                    missing.append(f"{path.stem}: {op.model_name}.{op.name}")
    assert not missing, missing


async def test_a_database_with_people_upgrades_from_before_moderation(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'old.sqlite3'}"
    _switch_backend(f"upgrade:{url}")
    config = tortoise_config(base_settings("sqlite", tmp_path).with_(database_url=url))
    try:
        await migrate(config=config, target="models.0004_sessions")
        await Tortoise.close_connections()
        await Tortoise.init(config=config)
        await connections.get("default").execute_script(
            "INSERT INTO users (email, password_hash, display_name, locale, region, is_admin, "
            "is_active, created_at, auth_version) VALUES "
            "('old@example.org', '!', 'Old', 'fa', '', 0, 1, '2026-01-01 00:00:00', 1)"
        )
        await Tortoise.close_connections()
        await migrate(config=config)
        await Tortoise.init(config=config)
        _, rows = await connections.get("default").execute_query(
            "SELECT email, suspension_reason FROM users"
        )
        assert [(r["email"], r["suspension_reason"]) for r in rows] == [("old@example.org", "")]
    finally:
        await Tortoise.close_connections()
        _switch_backend("reset")
