"""Suspensions from taking part: a global moderator (or an administrator) suspends a person for
some days with a reason; until then the person reads and signs in, manages their account and
may appeal, but posts, votes, flags and signs nothing (``accounts.principal``: no roles,
``refuse_if_suspended`` in every service that writes). They are mailed why and until when,
and told again on every page and refusal. Lifting early ends it at once. What they wrote
stays as it is, waiting items included. Both acts are in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from participation.accounts.models import User
from participation.accounts.principal import Principal
from participation.audit.services import record
from participation.db import transaction
from participation.errors import Conflict, Forbidden, Invalid, NotFound
from participation.i18n import gettext as _
from participation.mail.services import queue_email
from participation.moderation import queries

DAYS = (1, 3650)
REASON_MIN, REASON_MAX = 5, 1000


def can_suspend(principal: Principal) -> bool:
    """Suspensions hold everywhere: global moderators and administrators only."""
    return principal.authenticated and principal.is_global_moderator


async def _person(principal: Principal, user_id: int) -> User:
    if not can_suspend(principal):
        raise Forbidden(_("Only global moderators and administrators can suspend people."))
    user = await queries.person(user_id)
    if user is None:
        raise NotFound(_("We could not find this person."))
    return user


async def suspend(
    principal: Principal, user_id: int, days: int, reason: str, *, base_url: str = "",
    now: datetime | None = None,
) -> User:  # fmt: skip
    """Suspend a person from taking part for ``days`` days, with the reason they are told."""
    user = await _person(principal, user_id)
    if user.id == principal.id:
        raise Forbidden(_("You cannot suspend yourself."))
    if user.is_admin:
        raise Forbidden(_("Administrators cannot be suspended; remove the role first."))
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN:
        raise Invalid(_("Please write at least %(n)s characters.", n=REASON_MIN), "reason")
    reason = reason[:REASON_MAX]
    if not DAYS[0] <= days <= DAYS[1]:
        raise Invalid(
            _("Please enter a number between %(a)s and %(b)s.", a=DAYS[0], b=DAYS[1]), "days"
        )
    now = now or datetime.now(UTC)
    until = now + timedelta(days=days)
    async with transaction():
        await User.filter(id=user.id).update(
            suspended_until=until, suspension_reason=reason, suspended_by_id=principal.id
        )
        await record(principal.id, "moderation.suspend", "user", user.id,
                     {"until": until.isoformat(), "days": days, "reason": reason})  # fmt: skip
        queue_email(
            "moderation-suspended", to_user_id=user.id, until=until.isoformat(), reason=reason,
            link=f"{base_url}/account/profile",
        )  # fmt: skip
    user.suspended_until, user.suspension_reason = until, reason
    return user


async def lift(principal: Principal, user_id: int, note: str = "") -> User:
    """End a suspension early."""
    user = await _person(principal, user_id)
    now = datetime.now(UTC)
    note = " ".join((note or "").split())[:500]
    async with transaction():
        lifted = await User.filter(id=user.id, suspended_until__gt=now).update(
            suspended_until=None, suspension_reason="", suspended_by_id=None
        )
        if not lifted:
            raise Conflict(_("This person is not suspended."))
        await record(principal.id, "moderation.lift_suspension", "user", user.id, {"note": note})
        queue_email("moderation-suspension-lifted", to_user_id=user.id, note=note)
    user.suspended_until = None
    return user
