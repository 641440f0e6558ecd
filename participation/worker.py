"""arq worker settings for ``participation worker``."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise

from participation import jobs
from participation.db import tortoise_config
from participation.logging import configure_logging
from participation.settings import Settings


def worker_settings(settings: Settings) -> dict[str, Any]:
    registry = jobs.job_registry()

    async def on_startup(ctx: dict[str, Any]) -> None:
        configure_logging(settings)
        await Tortoise.init(config=tortoise_config(settings))
        ctx["settings"] = settings
        ctx["registry"] = registry
        runner = jobs.ArqRunner(registry, ctx["redis"])
        ctx["runner"] = runner
        jobs.configure(runner, ctx)

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        await Tortoise.close_connections()

    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is required for `participation worker`")
    return {
        "functions": [jobs.run_outbox_job],
        "cron_jobs": jobs.arq_cron_jobs(registry),
        "on_startup": on_startup,
        "on_shutdown": on_shutdown,
        "redis_settings": jobs.redis_settings(settings.redis_url),
        "max_jobs": 20,
        "job_timeout": 300,
        "keep_result": 3600,
    }
