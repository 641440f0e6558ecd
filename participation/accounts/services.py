"""Account use cases: register, confirm, sign in and out, reset a password, edit the profile,
suspend, admins.

Every write runs in one ``transaction()``, records an audit event and queues its mails there,
so a mail is sent only when the change is committed. Refusals are domain errors
(``participation.errors``) with a translated message and, when it concerns one, the field.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from participation import jobs
from participation.accounts import queries, sessions, tokens
from participation.accounts.forms import ProfileInput, RegisterInput
from participation.accounts.limits import SignInLimits
from participation.accounts.models import User
from participation.accounts.passwords import (
    DUMMY_HASH,
    hash_password,
    needs_rehash,
    verify_password,
)
from participation.audit.services import record
from participation.db import transaction
from participation.errors import Conflict, Invalid, TooMany
from participation.forms import EMAIL_RE
from participation.i18n import LOCALES
from participation.i18n import gettext as _
from participation.mail import services as mail


class AccountError(Invalid):
    """An account that cannot be created as asked (``create-admin``: bad e-mail, short
    password...)."""


class Unconfirmed(Conflict):
    """The password is right but the address is not confirmed yet."""


@dataclass(frozen=True)
class Links:
    """Absolute URLs put into mails, built by the view from the routes and BASE_URL;
    ``confirm`` and ``reset`` hold ``{token}``. Plain strings: they travel in jobs."""

    confirm: str
    reset: str
    login: str
    reset_request: str

    def confirm_link(self, token: str) -> str:
        return self.confirm.replace("{token}", token)

    def reset_link(self, token: str) -> str:
        return self.reset.replace("{token}", token)


def _now() -> datetime:
    return datetime.now(UTC)


def confirm_token(secret_key: str, user: User) -> str:
    return tokens.make_token(secret_key, tokens.CONFIRM, {"uid": user.id, "email": user.email})


def reset_token(secret_key: str, user: User) -> str:
    return tokens.make_token(secret_key, tokens.RESET, {"uid": user.id, "av": user.auth_version})


async def register(*, secret_key: str, links: Links, data: RegisterInput) -> None:
    """Create an unconfirmed account and mail the confirmation link.

    When the address already has an account nothing is created and its owner is told by
    mail instead; the caller answers exactly as on success, so addresses cannot be probed.
    """
    email = queries.normalise_email(data.email)
    password_hash = hash_password(data.password)  # always, so both paths cost the same
    async with transaction():
        existing = await queries.user_by_email(email)
        if existing is None:
            try:
                async with transaction():  # savepoint: a concurrent sign-up may win
                    user = await User.create(
                        email=email,
                        password_hash=password_hash,
                        display_name=data.display_name,
                        locale=data.locale if data.locale in LOCALES else "en",
                        region=data.region,
                    )
            except IntegrityError:
                existing = await queries.user_by_email(email)
            else:
                await record(user.id, "account.register", "user", user.id, {"locale": user.locale})
                mail.send_confirm_email(
                    user, link=links.confirm_link(confirm_token(secret_key, user))
                )
                return
        if existing is not None and existing.is_active:
            mail.send_account_exists(
                existing, login_link=links.login, reset_link=links.reset_request
            )


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


async def sign_in(*, limits: SignInLimits, email: str, password: str, network: str) -> User:
    """The person with this address and password, within the sign-in limits
    (``participation.accounts.limits``: only failures count). Refusals: ``TooMany``,
    ``Invalid`` (on the password field), ``Unconfirmed`` (right password, address not
    confirmed yet). The caller then starts a session (``sessions.start``)."""
    email = queries.normalise_email(email)
    if await limits.refused(email, network):
        raise TooMany(_("Too many sign-in attempts. Please wait a minute and try again."))
    user = await authenticate(email, password)
    if user is None:
        await limits.failed(email, network)
        raise Invalid(_("This e-mail address and password do not match an account."), "password")
    await limits.succeeded(email, network)
    if not user.confirmed:
        raise Unconfirmed(_("Please confirm your e-mail address first: open the link we sent you."))
    return user


# ---- links by mail: the request only queues a job, so every address is answered alike --------


async def request_password_reset(*, links: Links, email: str) -> None:
    """Queue the job that mails a reset link if the address has an active account. The
    request does the same work for any address (one outbox row), so neither its answer nor
    its time tells whether an account exists."""
    async with transaction():
        jobs.enqueue(
            "mail_password_reset", email=queries.normalise_email(email), links=asdict(links)
        )


async def request_confirmation_again(*, links: Links, email: str) -> None:
    """Queue the job that mails a new confirmation link if the address has an unconfirmed
    account (same for any address, as above)."""
    async with transaction():
        jobs.enqueue(
            "mail_confirmation_again", email=queries.normalise_email(email), links=asdict(links)
        )


async def mail_password_reset(*, secret_key: str, links: dict[str, Any], email: str) -> bool:
    """The job's work: mail the reset link to an active account; False when there is none."""
    async with transaction():
        user = await queries.user_by_email(email)
        if user is None or not user.is_active:
            return False
        link = Links(**links).reset_link(reset_token(secret_key, user))
        mail.send_password_reset(user, link=link)
    return True


async def mail_confirmation_again(*, secret_key: str, links: dict[str, Any], email: str) -> bool:
    """The job's work: mail a new confirmation link to an unconfirmed active account."""
    async with transaction():
        user = await queries.user_by_email(email)
        if user is None or not user.is_active or user.confirmed:
            return False
        link = Links(**links).confirm_link(confirm_token(secret_key, user))
        mail.send_confirm_email(user, link=link)
    return True


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
    """Set a new password; the link and every session of the person stop working. None if
    the link is invalid, expired or used."""
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
        await sessions.end_all(user.id)
        await record(user.id, "account.password_reset", "user", user.id)
    return user


# ---- sessions -------------------------------------------------------------------------------


async def start_session(user: User, *, replacing: str | None = None) -> str:
    """A new session for a person who has just proved who they are; its token goes into the
    cookie (``replacing``: the browser's previous session, ended)."""
    return await sessions.start(user.id, replacing=replacing)


async def sign_out(token: str) -> None:
    await sessions.end(token)


async def sign_out_everywhere(user: User) -> int:
    """End every session of the person, on every device (this one too)."""
    return await sessions.end_all(user.id)


async def update_profile(user: User, data: ProfileInput) -> User:
    changes = {"display_name": data.display_name, "locale": data.locale, "region": data.region}
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
    """Grant or revoke the administrator role (admin pages); an erased account stays as it is."""
    if user.is_admin == is_admin or user.erased_at is not None:
        return user
    async with transaction():
        user.is_admin = is_admin
        await user.save(update_fields=["is_admin"])
        action = "account.role_grant" if is_admin else "account.role_revoke"
        await record(actor_id, action, "user", user.id, {"role": "admin"})
        mail.send_role_changed(user, role="admin", body_names=None, granted=is_admin)
    return user


async def set_active(actor_id: int | None, user: User, active: bool) -> User:
    """Suspend an account (its sessions end at once, it cannot sign in) or reinstate it; an
    erased account stays erased."""
    if user.is_active == active or user.erased_at is not None:
        return user
    async with transaction():
        user.is_active = active
        await user.save(update_fields=["is_active"])
        if not active:
            await sessions.end_all(user.id)
        await record(
            actor_id, "account.reinstate" if active else "account.suspend", "user", user.id
        )
    return user
