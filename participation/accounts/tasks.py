"""Jobs of the accounts package: mails asked for by address, and the sessions' clean-up."""

from __future__ import annotations

from typing import Any

from participation import jobs
from participation.accounts import services, sessions


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


functions = [mail_password_reset, mail_confirmation_again]
periodic = [jobs.Periodic(delete_old_sessions, daily_at_hour=4)]
