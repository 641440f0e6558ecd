"""Queueing e-mails. A function per mail returns its context (warehouse's ``@_email``).

``queue_email`` only records a ``send_email`` job inside the caller's transaction; the job
renders ``templates/email/<name>/`` in the recipient's language and sends it after commit.
Jobs carry ids and small JSON, never model objects.

Every queued mail carries a delivery key (``MailDelivery``): the ``send_email`` job records it
once the mail server has accepted the mail and skips a key already recorded, so a job re-run
after a crash does not send the mail again. A fan-out job that queues mails names them after
itself (its outbox row and the recipient) unless it passes its own ``delivery_key``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from participation import jobs
from participation.accounts.models import User
from participation.mail.models import MailDelivery

ContextFn = Callable[..., dict[str, Any]]


def queue_email(
    name: str,
    to_user_id: int | None = None,
    to_email: str | None = None,
    locale: str | None = None,
    delivery_key: str | None = None,
    **context: Any,
) -> None:
    """Send ``templates/email/<name>/`` after the current transaction commits.

    With ``to_user_id`` the mail goes to that user's address in their language; ``to_email``
    (with ``locale``) is for addresses that have no account. ``delivery_key`` names this mail
    for ``MailDelivery`` (one send per key, ever); by default, inside a running outbox job
    ``job:<row id>:<name>:<recipient>``, so that a re-run of that job queues the mails again
    but none is sent twice, and elsewhere the job's own key.
    """
    if to_user_id is None and not to_email:
        raise ValueError("queue_email needs to_user_id or to_email")
    # One arq job id per mail: a re-delivery of the same outbox row is not sent twice.
    key = f"email:{secrets.token_hex(12)}"
    if delivery_key is None:
        job_id = jobs.current_job_id()
        recipient = f"user:{to_user_id}" if to_user_id is not None else f"to:{to_email}"
        delivery_key = f"job:{job_id}:{name}:{recipient}" if job_id is not None else key
    jobs.enqueue(
        "send_email",
        key=key,
        template=name,
        to_user_id=to_user_id,
        to_email=to_email,
        locale=locale,
        context=context,
        delivery_key=delivery_key,
    )


def _stored(key: str) -> str:
    """The key as stored: a long one (an address in it) is shortened to a digest."""
    if len(key) <= 255:
        return key
    return f"{key[:180]}#{hashlib.sha256(key.encode()).hexdigest()}"


async def was_delivered(key: str) -> bool:
    return await MailDelivery.exists(key=_stored(key))


async def record_delivery(key: str) -> None:
    """Record, in a commit of its own, that the mail ``key`` was accepted by the server.
    Called outside any transaction, so the row is committed before the next mail goes out."""
    try:
        await MailDelivery.create(key=_stored(key))
    except IntegrityError:  # recorded by a concurrent run of the same mail
        pass


async def forget_deliveries(before: datetime) -> int:
    """Drop delivery records older than any re-run of their job can be."""
    return await MailDelivery.filter(sent_at__lt=before).delete()


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
