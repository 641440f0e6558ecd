"""Jobs of the accounts package: mails asked for by address, the sessions' clean-up, a
person's data export, and the retention of personal data."""

from __future__ import annotations

from typing import Any

from participation import jobs
from participation.accounts import personal_data, services, sessions
from participation.storage import storage_for


async def mail_password_reset(ctx: dict[str, Any], email: str, links: dict[str, Any]) -> bool:
    return await services.mail_password_reset(
        secret_key=ctx["settings"].secret_key, links=links, email=email
    )


async def mail_confirmation_again(ctx: dict[str, Any], email: str, links: dict[str, Any]) -> bool:
    return await services.mail_confirmation_again(
        secret_key=ctx["settings"].secret_key, links=links, email=email
    )


async def delete_old_sessions(ctx: dict[str, Any]) -> int:
    return await sessions.delete_old()


async def build_data_export(ctx: dict[str, Any], export_id: int) -> str:
    return await personal_data.build_export(export_id, storage=storage_for(ctx["settings"]))


async def delete_expired_exports(ctx: dict[str, Any]) -> int:
    return await personal_data.delete_expired_exports(storage=storage_for(ctx["settings"]))


async def apply_retention(ctx: dict[str, Any]) -> int:
    return await personal_data.apply_retention(settings=ctx["settings"])


functions = [mail_password_reset, mail_confirmation_again, build_data_export]
periodic = [
    jobs.Periodic(delete_old_sessions, daily_at_hour=4),
    jobs.Periodic(delete_expired_exports, daily_at_hour=4),
    jobs.Periodic(apply_retention, daily_at_hour=3),
]
