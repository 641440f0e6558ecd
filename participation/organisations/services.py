"""Creating and editing government bodies; appointing and revoking officials and moderators.

Each use case is one transaction with one audit event; role changes also mail the person.
"""

from __future__ import annotations

import re
from typing import Any

from tortoise.exceptions import IntegrityError

from participation.accounts import queries as account_queries
from participation.accounts.models import User
from participation.audit.services import record
from participation.db import transaction
from participation.errors import Conflict, Invalid
from participation.i18n import LOCALES
from participation.i18n import gettext as _
from participation.i18n.content import build
from participation.mail import services as mail
from participation.organisations.body_settings import BodySettings
from participation.organisations.models import Body, Membership, Role

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


async def _check_parent(body: Body | None, parent_id: int | None) -> None:
    if parent_id is None:
        return
    parent = await Body.get_or_none(id=parent_id)
    if parent is None:
        raise Invalid(_("Please choose one of the options."), "parent")
    if body is None:
        return
    # Walk up from the new parent: meeting the body itself would make a cycle.
    seen: set[int] = set()
    current: Body | None = parent
    while current is not None and current.id not in seen:
        if current.id == body.id:
            raise Invalid(
                _("A body cannot be placed under itself or under one of its own units."),
                "parent",
            )
        seen.add(current.id)
        current = await Body.get_or_none(id=current.parent_id) if current.parent_id else None


def _clean_i18n(i18n: dict[str, dict[str, str]], original_locale: str) -> dict[str, Any]:
    clean = build(i18n)
    if original_locale not in LOCALES or not clean.get(original_locale, {}).get("name"):
        raise Invalid(
            _("Please give the name at least in the original language."), "original_locale"
        )
    return clean


async def create_body(
    actor_id: int | None,
    *,
    slug: str,
    i18n: dict[str, dict[str, str]],
    original_locale: str,
    parent_id: int | None = None,
    settings: BodySettings | None = None,
) -> Body:
    if not SLUG_RE.match(slug):
        raise Invalid(
            _("Use lower-case Latin letters, digits and hyphens, like ministry-of-roads."), "slug"
        )
    clean = _clean_i18n(i18n, original_locale)
    await _check_parent(None, parent_id)
    async with transaction():
        try:
            async with transaction():
                body = await Body.create(
                    slug=slug,
                    i18n=clean,
                    original_locale=original_locale,
                    parent_id=parent_id,
                    settings=settings.stored() if settings is not None else {},
                )
        except IntegrityError:
            raise Conflict(_("Another body already uses this address."), "slug") from None
        await record(
            actor_id, "body.create", "body", body.id,
            {"slug": slug, "parent_id": parent_id, "i18n": clean},
        )  # fmt: skip
    return body


async def update_body(
    actor_id: int | None,
    body: Body,
    *,
    i18n: dict[str, dict[str, str]],
    original_locale: str,
    parent_id: int | None,
    settings: BodySettings | None = None,
) -> Body:
    clean = _clean_i18n(i18n, original_locale)
    await _check_parent(body, parent_id)
    async with transaction():
        before = {"i18n": body.i18n, "parent_id": body.parent_id, "settings": body.settings}
        body.i18n = clean
        body.original_locale = original_locale
        body.parent_id = parent_id
        if settings is not None:
            body.settings = settings.stored()
        await body.save(update_fields=["i18n", "original_locale", "parent_id", "settings"])
        after = {"i18n": body.i18n, "parent_id": body.parent_id, "settings": body.settings}
        changed = sorted(k for k in before if before[k] != after[k])
        await record(
            actor_id, "body.update", "body", body.id,
            {"changed": changed, **{k: after[k] for k in changed}},
        )  # fmt: skip
    return body


async def appoint(
    actor_id: int | None, user: User, role: Role, body: Body | None, *, notify: bool = True
) -> Membership:
    """Make ``user`` an editor/publisher/moderator of ``body`` (``None``: global moderator).

    Appointing someone who already holds the role changes nothing. ``notify`` mails them.
    """
    if body is None and role != Role.MODERATOR:
        raise Invalid(_("Only moderators can be appointed for all bodies."), "role")
    async with transaction():
        existing = await Membership.get_or_none(
            user_id=user.id, body_id=body.id if body else None, role=role
        )
        if existing is not None:
            return existing
        try:
            async with transaction():
                membership = await Membership.create(user=user, body=body, role=role)
        except IntegrityError:  # a concurrent appointment won
            found = await Membership.get_or_none(
                user_id=user.id, body_id=body.id if body else None, role=role
            )
            if found is None:
                raise
            return found
        await record(
            actor_id, "role.appoint", "user", user.id,
            {"role": role.value, "body_id": body.id if body else None},
        )  # fmt: skip
        mail.send_role_changed(user, role=role.value, body_names=_names(body), granted=True)
    return membership


async def appoint_by_email(
    actor_id: int | None, email: str, role: Role, body: Body | None
) -> Membership:
    """``appoint`` the person whose account uses this address (the admin pages)."""
    user = await account_queries.user_by_email(email)
    if user is None:
        raise Invalid(_("No account uses this e-mail address."), "email")
    return await appoint(actor_id, user, role, body)


async def revoke(actor_id: int | None, membership: Membership) -> None:
    async with transaction():
        deleted = await Membership.filter(id=membership.id).delete()
        if not deleted:
            return
        user = await User.get(id=membership.user_id)
        body = await Body.get_or_none(id=membership.body_id) if membership.body_id else None
        await record(
            actor_id, "role.revoke", "user", membership.user_id,
            {"role": Role(membership.role).value, "body_id": membership.body_id},
        )  # fmt: skip
        mail.send_role_changed(
            user, role=Role(membership.role).value, body_names=_names(body), granted=False
        )


def _names(body: Body | None) -> dict[str, str] | None:
    if body is None:
        return None
    return {loc: v["name"] for loc, v in (body.i18n or {}).items() if v.get("name")}
