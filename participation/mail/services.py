"""Queueing e-mails. A function per mail returns its context (warehouse's ``@_email``).

``queue_email`` only records a ``send_email`` job inside the caller's transaction; the job
renders ``templates/email/<name>/`` in the recipient's language and sends it after commit.
Jobs carry ids and small JSON, never model objects.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from participation import jobs
from participation.accounts.models import User

ContextFn = Callable[..., dict[str, Any]]


def queue_email(
    name: str,
    to_user_id: int | None = None,
    to_email: str | None = None,
    locale: str | None = None,
    **context: Any,
) -> None:
    """Send ``templates/email/<name>/`` after the current transaction commits.

    With ``to_user_id`` the mail goes to that user's address in their language; ``to_email``
    (with ``locale``) is for addresses that have no account.
    """
    if to_user_id is None and not to_email:
        raise ValueError("queue_email needs to_user_id or to_email")
    jobs.enqueue(
        "send_email",
        # One arq job id per mail: a re-delivery of the same outbox row is not sent twice.
        key=f"email:{secrets.token_hex(12)}",
        template=name,
        to_user_id=to_user_id,
        to_email=to_email,
        locale=locale,
        context=context,
    )


def _email(name: str) -> Callable[[ContextFn], Callable[..., None]]:
    """Turn a context function into one that queues the mail ``name`` to a user."""

    def decorator(fn: ContextFn) -> Callable[..., None]:
        def send(user: User, **kwargs: Any) -> None:
            context = fn(user, **kwargs)
            queue_email(name, to_user_id=user.id, locale=user.locale, **context)

        send.__name__ = fn.__name__
        send.__doc__ = fn.__doc__
        return send

    return decorator


@_email("confirm-email")
def send_confirm_email(user: User, *, link: str) -> dict[str, Any]:
    """The link that confirms a new account's address."""
    return {"display_name": user.display_name, "link": link}


@_email("account-exists")
def send_account_exists(user: User, *, login_link: str, reset_link: str) -> dict[str, Any]:
    """Somebody tried to register with an address that already has an account."""
    return {"display_name": user.display_name, "login_link": login_link, "reset_link": reset_link}


@_email("password-reset")
def send_password_reset(user: User, *, link: str) -> dict[str, Any]:
    """A single-use link to choose a new password."""
    return {"display_name": user.display_name, "link": link}


@_email("role-changed")
def send_role_changed(
    user: User, *, role: str, body_names: dict[str, str] | None, granted: bool
) -> dict[str, Any]:
    """An admin appointed or revoked one of the user's roles (``body_names``: per locale)."""
    return {
        "display_name": user.display_name,
        "role": role,
        "body_names": body_names or {},
        "granted": granted,
    }
