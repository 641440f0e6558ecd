"""Account use cases: register, confirm, sign in, reset a password, edit the profile, admins.

Every write runs in one ``transaction()``, records an audit event and queues its mails there,
so a mail is sent only when the change is committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from participation.accounts import queries, tokens
from participation.accounts.models import User
from participation.accounts.passwords import (
    DUMMY_HASH,
    hash_password,
    needs_rehash,
    verify_password,
)
from participation.audit.services import record
from participation.db import transaction
from participation.forms import EMAIL_RE
from participation.i18n import LOCALES
from participation.mail import services as mail


class AccountError(Exception):
    """A request that cannot be carried out (bad e-mail, short password...)."""


@dataclass(frozen=True)
class Links:
    """Absolute URLs put into mails; the view builds them from the routes and BASE_URL."""

    confirm: Callable[[str], str]
    reset: Callable[[str], str]
    login: str
    reset_request: str


def _now() -> datetime:
    return datetime.now(UTC)


def confirm_token(secret_key: str, user: User) -> str:
    return tokens.make_token(secret_key, tokens.CONFIRM, {"uid": user.id, "email": user.email})


def reset_token(secret_key: str, user: User) -> str:
    return tokens.make_token(secret_key, tokens.RESET, {"uid": user.id, "av": user.auth_version})


async def register(
    *,
    secret_key: str,
    links: Links,
    email: str,
    password: str,
    display_name: str,
    locale: str,
    region: str = "",
) -> None:
    """Create an unconfirmed account and mail the confirmation link.

    When the address already has an account nothing is created and its owner is told by
    mail instead; the caller answers exactly as on success, so addresses cannot be probed.
    """
    email = queries.normalise_email(email)
    password_hash = hash_password(password)  # always, so both paths cost the same
    async with transaction():
        existing = await queries.user_by_email(email)
        if existing is None:
            try:
                async with transaction():  # savepoint: a concurrent sign-up may win
                    user = await User.create(
                        email=email,
                        password_hash=password_hash,
                        display_name=display_name,
                        locale=locale if locale in LOCALES else "en",
                        region=region,
                    )
            except IntegrityError:
                existing = await queries.user_by_email(email)
            else:
                await record(user.id, "account.register", "user", user.id, {"locale": locale})
                mail.send_confirm_email(user, link=links.confirm(confirm_token(secret_key, user)))
                return
        if existing is not None and existing.is_active:
            mail.send_account_exists(
                existing, login_link=links.login, reset_link=links.reset_request
            )


async def resend_confirmation(*, secret_key: str, links: Links, email: str) -> None:
    """Mail a new confirmation link when the address has an unconfirmed account."""
    async with transaction():
        user = await queries.user_by_email(email)
        if user is not None and user.is_active and not user.confirmed:
            mail.send_confirm_email(user, link=links.confirm(confirm_token(secret_key, user)))


async def confirm_email(*, secret_key: str, token: str) -> User | None:
    """Mark the address confirmed; None when the link is invalid or expired."""
    data = tokens.read_token(secret_key, tokens.CONFIRM, token)
    if data is None:
        return None
    async with transaction():
        user = await User.filter(id=data.get("uid")).select_for_update().first()
        if user is None or user.email != data.get("email") or not user.is_active:
            return None
        if user.email_confirmed_at is None:
            user.email_confirmed_at = _now()
            await user.save(update_fields=["email_confirmed_at"])
            await record(user.id, "account.confirm", "user", user.id)
    return user


async def authenticate(email: str, password: str) -> User | None:
    """The active user with this address and password, else None (same cost either way)."""
    user = await queries.user_by_email(email)
    if user is None or not user.is_active:
        verify_password(DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        async with transaction():
            await User.filter(id=user.id).update(password_hash=hash_password(password))
    return user


async def request_password_reset(*, secret_key: str, links: Links, email: str) -> None:
    """Mail a reset link when the address has an active account; silent otherwise."""
    async with transaction():
        user = await queries.user_by_email(email)
        if user is not None and user.is_active:
            mail.send_password_reset(user, link=links.reset(reset_token(secret_key, user)))


async def user_for_reset(*, secret_key: str, token: str) -> User | None:
    """The user a reset link is for, if it is valid, unexpired and not used yet."""
    data = tokens.read_token(secret_key, tokens.RESET, token)
    if data is None:
        return None
    user = await User.get_or_none(id=data.get("uid"), is_active=True)
    if user is None or user.auth_version != data.get("av"):
        return None
    return user


async def reset_password(*, secret_key: str, token: str, password: str) -> User | None:
    """Set a new password; the link and every other session stop working. None if invalid."""
    data = tokens.read_token(secret_key, tokens.RESET, token)
    if data is None:
        return None
    async with transaction():
        user = await User.filter(id=data.get("uid"), is_active=True).select_for_update().first()
        if user is None or user.auth_version != data.get("av"):
            return None
        user.password_hash = hash_password(password)
        user.auth_version += 1
        fields = ["password_hash", "auth_version"]
        if user.email_confirmed_at is None:  # the link proved the address
            user.email_confirmed_at = _now()
            fields.append("email_confirmed_at")
        # Compare-and-set on the version: two uses of one link cannot both succeed.
        updated = await User.filter(id=user.id, auth_version=data["av"]).update(
            **{f: getattr(user, f) for f in fields}
        )
        if not updated:
            return None
        await record(user.id, "account.password_reset", "user", user.id)
    return user


async def update_profile(user: User, *, display_name: str, locale: str, region: str) -> User:
    changes = {"display_name": display_name, "locale": locale, "region": region}
    changed = sorted(k for k, v in changes.items() if getattr(user, k) != v)
    if not changed:
        return user
    async with transaction():
        for k in changed:
            setattr(user, k, changes[k])
        await user.save(update_fields=changed)
        await record(user.id, "account.profile", "user", user.id, {"changed": changed})
    return user


async def create_user(
    *,
    email: str,
    password: str,
    display_name: str,
    locale: str = "en",
    region: str = "",
    actor_id: int | None = None,
) -> User:
    """An account created for someone (demo data, admins): confirmed from the start."""
    email = queries.normalise_email(email)
    if not EMAIL_RE.match(email):
        raise AccountError(f"{email!r} is not a valid e-mail address")
    async with transaction():
        try:
            async with transaction():
                user = await User.create(
                    email=email,
                    password_hash=hash_password(password),
                    display_name=display_name[:100],
                    locale=locale if locale in LOCALES else "en",
                    region=region,
                    email_confirmed_at=_now(),
                )
        except IntegrityError:
            raise AccountError(f"{email} already has an account") from None
        await record(actor_id, "account.register", "user", user.id, {"locale": user.locale})
    return user


async def create_admin(email: str, password: str, display_name: str) -> User:
    """Create a confirmed administrator, or make an existing user one (``create-admin``)."""
    email = queries.normalise_email(email)
    if not EMAIL_RE.match(email):
        raise AccountError(f"{email!r} is not a valid e-mail address")
    user = await queries.user_by_email(email)
    if user is None and len(password) < 10:
        raise AccountError("the password must have at least 10 characters")
    async with transaction():
        if user is None:
            user = await User.create(
                email=email,
                password_hash=hash_password(password),
                display_name=display_name[:100] or email,
                email_confirmed_at=_now(),
                is_admin=True,
            )
            await record(None, "account.register", "user", user.id, {"admin": True})
            await record(None, "account.role_grant", "user", user.id, {"role": "admin"})
        elif not user.is_admin:
            user.is_admin = True
            await user.save(update_fields=["is_admin"])
            await record(None, "account.role_grant", "user", user.id, {"role": "admin"})
    return user


async def set_admin(actor_id: int | None, user: User, is_admin: bool) -> User:
    """Grant or revoke the administrator role (admin pages)."""
    if user.is_admin == is_admin:
        return user
    async with transaction():
        user.is_admin = is_admin
        await user.save(update_fields=["is_admin"])
        action = "account.role_grant" if is_admin else "account.role_revoke"
        await record(actor_id, action, "user", user.id, {"role": "admin"})
        mail.send_role_changed(user, role="admin", body_names=None, granted=is_admin)
    return user
