"""Tortoise set-up and the unit of work.

A service opens ``async with transaction():``. The outermost block is a unit of work with two
lists of callbacks: ``before_commit`` (run inside the transaction, given its connection) and
``after_commit`` (run once it has committed). ``jobs.enqueue`` uses both: its buffer is written
to the outbox table before the commit and handed to the job runner after it. An exception
throws the callbacks away with the rest of the transaction. A nested block is a savepoint, so
an IntegrityError caught around one insert does not abort the outer transaction on PostgreSQL.

Process-wide listeners (``on_every_commit``) run after each outermost commit: the caches of
``participation.caching`` register there, so this module knows none of its users.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from asyncpg.exceptions import (
    InternalClientError,
    OperatorInterventionError,
    PostgresConnectionError,
)
from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from participation.settings import Settings

log = logging.getLogger("participation.db")


def db_url(settings: Settings) -> str:
    url = settings.database_url
    if settings.is_postgres:
        parts = urlsplit(url)
        query = parts.query
        if "maxsize" not in query:
            extra = urlencode({"minsize": 1, "maxsize": settings.db_pool_size})
            query = f"{query}&{extra}" if query else extra
        url = parts._replace(scheme="postgres", query=query).geturl()
    return url


async def _keep_session(connection: Any) -> None:
    """The pool's reset hook. asyncpg's default sends ``SELECT pg_advisory_unlock_all(); CLOSE
    ALL; UNLISTEN *; RESET ALL`` on every release: one more round trip per query outside a
    transaction (it doubled PostgreSQL's CPU on a comment page). The app takes only
    transaction-level advisory locks and never LISTENs, keeps cursors or SETs session state,
    and asyncpg still rolls back a transaction left open before calling this hook."""


def connection_config(settings: Settings) -> str | dict[str, Any]:
    url = db_url(settings)
    if not settings.is_postgres:
        return url
    from tortoise.backends.base.config_generator import expand_db_url

    config = expand_db_url(url)
    config["credentials"]["reset"] = _keep_session
    return config


def tortoise_config(
    settings: Settings, model_modules: Sequence[str] | None = None
) -> dict[str, Any]:
    if model_modules is None:
        from participation.domains import model_modules as all_model_modules

        model_modules = all_model_modules()
    return {
        "connections": {"default": connection_config(settings)},
        "apps": {
            "models": {
                "models": list(model_modules),
                "default_connection": "default",
                "migrations": "migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def conn() -> BaseDBAsyncClient:
    return connections.get("default")


def is_postgres() -> bool:
    return conn().capabilities.dialect == "postgres"


INT_MAX = 2**31 - 1  # an IntField (PostgreSQL integer): most tables' ids, counts
BIGINT_MAX = 2**63 - 1  # a BigIntField: comments, votes, signatures, audit events


@dataclass
class UnitOfWork:
    """The outermost ``transaction()`` block: callbacks and what they keep between them."""

    before_commit: list[Callable[[BaseDBAsyncClient], Awaitable[None]]] = field(
        default_factory=list
    )
    after_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)


_uow: ContextVar[UnitOfWork | None] = ContextVar("unit_of_work", default=None)
_commit_listeners: list[Callable[[], None]] = []


def current_unit_of_work() -> UnitOfWork | None:
    return _uow.get()


def on_every_commit(listener: Callable[[], None]) -> None:
    """Call ``listener()`` after every outermost transaction of this process commits."""
    if listener not in _commit_listeners:
        _commit_listeners.append(listener)


@asynccontextmanager
async def transaction() -> AsyncIterator[BaseDBAsyncClient]:
    if _uow.get() is not None:
        async with in_transaction() as nested:  # a savepoint
            yield nested
        return
    uow = UnitOfWork()
    token = _uow.set(uow)
    try:
        async with in_transaction() as txn:
            yield txn
            for before in uow.before_commit:
                await before(txn)
    finally:
        _uow.reset(token)
    for listener in _commit_listeners:
        listener()
    for after in uow.after_commit:
        try:
            await after()
        except Exception:  # committed already: a failed follow-up must not undo the answer
            log.exception("after-commit callback failed")


async def advisory_xact_lock(client: BaseDBAsyncClient, key: int) -> None:
    """Serialise a critical section across processes (PostgreSQL); SQLite serialises writers."""
    if client.capabilities.dialect == "postgres":
        await client.execute_query("SELECT pg_advisory_xact_lock($1)", [key])


async def try_advisory_xact_lock(client: BaseDBAsyncClient, key: int) -> bool:
    if client.capabilities.dialect != "postgres":
        return True
    _, rows = await client.execute_query("SELECT pg_try_advisory_xact_lock($1) AS ok", [key])
    return bool(rows[0]["ok"])


# InternalClientError: a connection caught by a termination in the middle of its protocol
# ("cannot switch to state …; another operation is in progress"); the pool replaces it.
_CONNECTION_LOST = (
    PostgresConnectionError, OperatorInterventionError, ConnectionError, InternalClientError,
)  # fmt: skip


def connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is the database going away under a request: its
    connection terminated (``pg_terminate_backend``, a restart, a fail-over) or refused for a
    moment. The pool opens new connections by itself; the request itself cannot finish."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, _CONNECTION_LOST):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return False
