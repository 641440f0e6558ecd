"""`participation serve|worker|migrate|makemigrations|create-admin|seed-demo|verify-audit|
integrity`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from participation.settings import ConfigError, Settings


def _settings() -> Settings:
    settings = Settings.from_env()
    if not settings.is_postgres:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
    return settings


async def _with_db(settings: Settings, fn: Callable[[], Awaitable[Any]]) -> Any:
    from tortoise import Tortoise

    from participation import jobs
    from participation.db import tortoise_config

    await Tortoise.init(config=tortoise_config(settings))
    registry = jobs.job_registry()
    runner = jobs.InlineRunner(registry, {"settings": settings})
    jobs.configure(runner, {"settings": settings})
    try:
        return await fn()
    finally:
        jobs.configure(None)
        await Tortoise.close_connections()


def cmd_serve(args: argparse.Namespace) -> int:
    from participation.web.serving import serve

    settings = _settings()
    if args.migrate:
        asyncio.run(_migrate(settings))
    serve(args.host, args.port, args.workers, args.uds, settings.production)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """The job worker; it waits for Redis and reconnects by itself (participation/worker.py)."""
    from participation.worker import supervise

    settings = _settings()
    if not settings.redis_url:
        print("participation worker needs REDIS_URL (without it, jobs run inside `serve`).",
              file=sys.stderr)  # fmt: skip
        return 2
    asyncio.run(supervise(settings, burst=args.burst))
    return 0


async def _migrate(settings: Settings) -> None:
    from tortoise import Tortoise
    from tortoise.migrations.api import migrate

    from participation.db import tortoise_config

    try:
        await migrate(config=tortoise_config(settings))
    finally:
        await Tortoise.close_connections()


def cmd_migrate(args: argparse.Namespace) -> int:
    asyncio.run(_migrate(_settings()))
    print("Database is up to date.")
    return 0


def cmd_makemigrations(args: argparse.Namespace) -> int:
    """Developer command: write a migration for model changes (tortoise's autodetector)."""
    from tortoise.cli import cli as tcli

    from participation.db import tortoise_config

    settings = _settings()
    config = tortoise_config(settings)

    class Ctx:
        def __init__(self) -> None:
            self.config = None
            self.config_file = None

    import tortoise.cli.cli as mod

    original = mod._load_config
    mod._load_config = lambda ctx: __import__(
        "tortoise.config", fromlist=["TortoiseConfig"]
    ).TortoiseConfig.resolve_args(config, None)  # type: ignore[assignment]  # noqa: E501
    try:
        asyncio.run(tcli.makemigrations(Ctx(), (), False, args.name))  # type: ignore[arg-type]
    finally:
        mod._load_config = original
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    from participation.accounts import services

    password = args.password or getpass.getpass("Password: ")
    settings = _settings()

    async def run() -> Any:
        return await services.create_admin(
            email=args.email, password=password, display_name=args.name or args.email
        )

    try:
        user = asyncio.run(_with_db(settings, run))
    except services.AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Admin {user.email} is ready.")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from participation.seed import seed_demo

    settings = _settings()
    asyncio.run(_with_db(settings, lambda: seed_demo(settings, print)))
    return 0


def _checkpoint_copies(path: str) -> list[Any]:
    """Checkpoints an outsider kept: the JSON of /api/v1/audit/checkpoints (or its ``items``)."""
    import json
    from datetime import datetime

    from participation.audit.services import Checkpoint

    with open(path, encoding="utf-8") as stream:
        doc = json.load(stream)
    items = doc.get("items", []) if isinstance(doc, dict) else doc
    return [
        Checkpoint(
            created_at=datetime.fromisoformat(str(i["created_at"]).replace("Z", "+00:00")),
            event_count=int(i["event_count"]),
            head_id=int(i["head_id"]),
            head_hash=str(i["head_hash"]),
            signature=str(i["signature"]),
        )  # fmt: skip
        for i in items
    ]


def cmd_verify_audit(args: argparse.Namespace) -> int:
    """Check the chain and every checkpoint (the table's and, with --checkpoints, copies kept
    outside); exit 1 naming the first event that does not match."""
    from participation.audit.services import verify

    settings = _settings()
    try:
        copies = _checkpoint_copies(args.checkpoints) if args.checkpoints else []
    except (ValueError, KeyError, TypeError) as exc:
        print(f"error: {args.checkpoints}: not a list of checkpoints ({exc})", file=sys.stderr)
        return 2
    verdict = asyncio.run(_with_db(settings, lambda: verify(settings.secret_key, copies)))
    if verdict.intact:
        print(verdict.describe())
        return 0
    print(f"Audit log TAMPERED: {verdict.describe()}", file=sys.stderr)
    return 1


def cmd_integrity(args: argparse.Namespace) -> int:
    from participation.integrity.files import BadLine, run

    try:
        if args.file == "-":
            run(args.kind, sys.stdin, sys.stdout)
        else:
            with open(args.file, encoding="utf-8") as stream:
                run(args.kind, stream, sys.stdout)
    except (BadLine, UnicodeDecodeError) as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2
    return 0


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{port} is not between 1 and 65535")
    return port


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 1 <= n <= 64:
        raise argparse.ArgumentTypeError("workers must be between 1 and 64")
    return n


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="participation", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("serve", help="serve the web application with uvicorn")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=_port, default=8000)
    s.add_argument("--workers", type=_workers, default=1)
    s.add_argument("--uds", default=None, help="listen on this Unix socket instead")
    s.add_argument("--migrate", action="store_true", help="apply migrations first")
    s.set_defaults(func=cmd_serve)

    w = sub.add_parser("worker", help="run the arq job worker (needs REDIS_URL)")
    w.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    w.set_defaults(func=cmd_worker)

    m = sub.add_parser("migrate", help="apply database migrations")
    m.set_defaults(func=cmd_migrate)

    mm = sub.add_parser("makemigrations", help="(developers) write a migration for model changes")
    mm.add_argument("--name", default=None)
    mm.set_defaults(func=cmd_makemigrations)

    a = sub.add_parser("create-admin", help="create an administrator, or make a user one")
    a.add_argument("--email", required=True)
    a.add_argument("--name", default=None)
    a.add_argument("--password", default=None, help="prompted for when omitted")
    a.set_defaults(func=cmd_create_admin)

    d = sub.add_parser("seed-demo", help="load demo data (idempotent)")
    d.set_defaults(func=cmd_seed_demo)

    v = sub.add_parser("verify-audit", help="check the audit log's hash chain and checkpoints")
    v.add_argument("--checkpoints", default=None, metavar="FILE",
                   help="also check against checkpoints kept elsewhere (JSON of "
                   "/api/v1/audit/checkpoints)")  # fmt: skip
    v.set_defaults(func=cmd_verify_audit)

    g = sub.add_parser("integrity", help="campaigns in comments, waves in signatures (a file)")
    gk = g.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind, about in (("comments", "near-duplicate groups of comments (JSON Lines)"),
                        ("signatures", "signatures a script made (JSON Lines)")):  # fmt: skip
        k = gk.add_parser(kind, help=about)
        k.add_argument("file", metavar="FILE", help="JSON Lines file, or - for standard input")
        k.set_defaults(func=cmd_integrity)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
