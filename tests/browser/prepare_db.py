"""Schema for the browser tests' fresh database (run as a script by conftest.py, with the
environment of the server: DATABASE_URL, VAR_DIR, SECRET_KEY)."""

from __future__ import annotations

import asyncio

from tortoise import Tortoise

from participation.db import tortoise_config
from participation.settings import Settings


async def main() -> None:
    await Tortoise.init(config=tortoise_config(Settings.from_env()))
    try:
        await Tortoise.generate_schemas()
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(main())
