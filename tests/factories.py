"""Plain async factory functions. Each takes only what a test cares about."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from participation.accounts.models import User
from participation.accounts.passwords import hash_password
from participation.organisations.models import Body, Membership, Role

PASSWORD = "password123"
_PASSWORD_HASH = hash_password(PASSWORD)
_seq = itertools.count(1)


def unique(prefix: str = "x") -> str:
    return f"{prefix}{next(_seq)}"


async def make_user(
    email: str | None = None,
    *,
    name: str | None = None,
    confirmed: bool = True,
    admin: bool = False,
    locale: str = "en",
    region: str = "",
) -> User:
    n = next(_seq)
    return await User.create(
        email=(email or f"user{n}@example.org").lower(),
        password_hash=_PASSWORD_HASH,
        display_name=name or f"User {n}",
        locale=locale,
        region=region,
        email_confirmed_at=datetime.now(UTC) if confirmed else None,
        is_admin=admin,
    )


async def make_body(
    slug: str | None = None,
    *,
    name: str | None = None,
    parent: Body | None = None,
    names: dict[str, str] | None = None,
    settings: dict | None = None,
) -> Body:
    slug = slug or unique("body-")
    i18n = {loc: {"name": text} for loc, text in (names or {"en": name or slug.title()}).items()}
    return await Body.create(
        slug=slug, i18n=i18n, original_locale=next(iter(i18n)), parent=parent,
        settings=settings or {},
    )  # fmt: skip


async def make_official(body: Body, role: Role = Role.PUBLISHER, **user_kwargs: object) -> User:
    user = await make_user(**user_kwargs)  # type: ignore[arg-type]
    await Membership.create(user=user, body=body, role=role)
    return user


async def make_moderator(body: Body | None = None, **user_kwargs: object) -> User:
    user = await make_user(**user_kwargs)  # type: ignore[arg-type]
    await Membership.create(user=user, body=body, role=Role.MODERATOR)
    return user
