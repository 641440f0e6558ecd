"""Demo users, one of each role (roles in bodies are given by the organisations seed)."""

from __future__ import annotations

from collections.abc import Callable

from participation.accounts import personal_data, queries, services
from participation.settings import Settings

DEMO_PASSWORD = "demo-password"

# (e-mail, display name, locale, region, role as printed)
DEMO_USERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("admin@example.org", "Site administrator", "en", "", "administrator"),
    ("publisher@example.org", "مریم احمدی", "fa", "تهران", "publisher, ministry"),
    ("editor@example.org", "Reza Karimi", "en", "Tehran", "editor, ministry"),
    ("city@example.org", "علی رضایی", "fa", "تهران", "publisher, city"),
    ("moderator@example.org", "Leila Moradi", "fr", "Isfahan", "global moderator"),
    ("shahrvand@example.org", "سارا محمدی", "fa", "شیراز", "citizen (fa)"),
    ("citizen@example.org", "Jane Citizen", "en", "Tabriz", "citizen (en)"),
    ("muwatin@example.org", "أحمد الحسيني", "ar", "الأهواز", "citizen (ar)"),
)


async def seed_demo(settings: Settings, log: Callable[[str], object]) -> None:
    created = 0
    for email, name, locale, region, _role in DEMO_USERS:
        if await queries.user_by_email(email) is not None:
            continue
        if email.startswith("admin@"):
            await services.create_admin(email, DEMO_PASSWORD, name)
        else:
            await services.create_user(
                email=email, password=DEMO_PASSWORD, display_name=name, locale=locale,
                region=region,
            )  # fmt: skip
        created += 1
    log(f"Accounts: {created} demo user(s) created. Development password for all: {DEMO_PASSWORD}")
    for email, _name, _locale, _region, role in DEMO_USERS:
        log(f"  {email:<24} {role}")
    # "Your data" shows a request: a copy of the data of each demo citizen (built by the job
    # when a job runner is configured, else waiting for the worker).
    for email in ("shahrvand@example.org", "citizen@example.org"):
        user = await queries.user_by_email(email)
        if user is not None and not await queries.data_exports(user.id):
            await personal_data.request_export(user)
