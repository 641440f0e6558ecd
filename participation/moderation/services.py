"""Flagging by citizens; hiding, restoring and dismissing by moderators (audited with the
reason). Moderators are global, or scoped to bodies: a body moderator may moderate an item
whose host (``targets.ModerationHost``) names that body. Officials are not moderators. Only
the types that a host registered can be moderated; refusals are ``participation.errors``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from participation.accounts.principal import Principal
from participation.audit.services import record
from participation.db import transaction
from participation.errors import Conflict, Forbidden, Invalid, NotFound, NotSignedIn
from participation.i18n import gettext as _
from participation.moderation.models import Flag, FlagReason, ModerationState
from participation.moderation.targets import moderated, moderation_host


def _reason(value: str | FlagReason) -> FlagReason:
    try:
        return FlagReason(value)
    except ValueError:
        raise Invalid(_("Please choose a reason.")) from None


async def _state(target_type: str, target_id: int) -> None:
    """Make sure the one state row of the target exists (concurrent creators are fine)."""
    if await ModerationState.exists(target_type=target_type, target_id=target_id):
        return
    try:
        async with transaction():
            await ModerationState.create(target_type=target_type, target_id=target_id)
    except IntegrityError:
        pass


async def flag(
    principal: Principal, target_type: str, target_id: int, reason: str | FlagReason,
    note: str = "",
) -> Flag:  # fmt: skip
    """A signed-in person reports a target, once per target; not their own."""
    if not principal.authenticated:
        raise NotSignedIn(_("Please sign in to report content."))
    chosen = _reason(reason)
    item = await moderated(target_type, target_id)
    if item is None:
        raise NotFound(_("We could not find what you are reporting."))
    if item.author_id is not None and item.author_id == principal.id:
        raise Forbidden(_("You cannot report what you wrote yourself."))
    note = " ".join((note or "").split())[:500]
    async with transaction():
        try:
            async with transaction():
                row = await Flag.create(
                    target_type=target_type, target_id=target_id, user_id=principal.id,
                    reason=chosen, note=note,
                )  # fmt: skip
        except IntegrityError:
            raise Conflict(
                _("You have already reported this. Our moderators will look at it.")
            ) from None
        await _state(target_type, target_id)
        await ModerationState.filter(target_type=target_type, target_id=target_id).update(
            flag_count=F("flag_count") + 1
        )
    return row


async def _require_moderator(principal: Principal, target_type: str, target_id: int) -> None:
    """Not found before anything else: an unknown type or item leaves no trace."""
    item = await moderated(target_type, target_id)
    if item is None:
        raise NotFound(_("We could not find this item."))
    if not principal.can_moderate(item.body_ids):
        raise Forbidden(_("Only moderators can do this."))


async def hide(
    principal: Principal, target_type: str, target_id: int, reason: str | FlagReason,
    note: str = "",
) -> None:  # fmt: skip
    """A moderator hides a target from every list and count, with a reason (audited)."""
    chosen = _reason(reason)
    await _require_moderator(principal, target_type, target_id)
    note = " ".join((note or "").split())[:500]
    now = datetime.now(UTC)
    async with transaction():
        await _state(target_type, target_id)
        await ModerationState.filter(target_type=target_type, target_id=target_id).update(
            hidden_at=now, hidden_reason=chosen, hidden_note=note, hidden_by_id=principal.id,
            reviewed_at=now,
        )  # fmt: skip
        await record(principal.id, "moderation.hide", target_type, target_id,
                     {"reason": chosen.value, "note": note})  # fmt: skip


async def restore(principal: Principal, target_type: str, target_id: int, note: str = "") -> None:
    """A moderator shows a hidden target again (audited)."""
    await _require_moderator(principal, target_type, target_id)
    note = " ".join((note or "").split())[:500]
    async with transaction():
        updated = await ModerationState.filter(
            target_type=target_type, target_id=target_id, hidden_at__isnull=False
        ).update(hidden_at=None, hidden_reason=None, hidden_by_id=None, hidden_note="",
                 reviewed_at=datetime.now(UTC))  # fmt: skip
        if not updated:
            raise Conflict(_("This item is not hidden."))
        await record(principal.id, "moderation.restore", target_type, target_id, {"note": note})


async def dismiss(principal: Principal, target_type: str, target_id: int) -> None:
    """A moderator keeps a flagged target visible; it leaves the queue (audited)."""
    await _require_moderator(principal, target_type, target_id)
    async with transaction():
        await ModerationState.filter(target_type=target_type, target_id=target_id).update(
            reviewed_at=datetime.now(UTC)
        )
        await record(principal.id, "moderation.dismiss", target_type, target_id, {})


async def hide_campaign(
    principal: Principal, text_hash: str, reason: str | FlagReason, note: str = "",
    target_type: str = "comment",
) -> int:  # fmt: skip
    """Hide every visible copy of one text (a copy-pasted campaign) that the moderator may
    moderate, with one reason; one audit event lists the ids. Returns how many."""
    chosen = _reason(reason)
    if not principal.is_any_moderator:
        raise Forbidden(_("Only moderators can do this."))
    host = moderation_host(target_type)
    ids = await host.campaign_copies(text_hash, principal.can_moderate)
    if not ids:
        raise Forbidden(_("There is nothing here that you may hide."))
    note = " ".join((note or "").split())[:500]
    now = datetime.now(UTC)
    async with transaction():
        for cid in ids:
            await _state(target_type, cid)
        await ModerationState.filter(target_type=target_type, target_id__in=ids).update(
            hidden_at=now, hidden_reason=chosen, hidden_note=note, hidden_by_id=principal.id,
            reviewed_at=now,
        )  # fmt: skip
        data: dict[str, Any] = {"reason": chosen.value, "note": note, "text_hash": text_hash,
                                "comment_ids": ids}  # fmt: skip
        await record(principal.id, "moderation.hide_campaign", target_type, ids[0], data)
    return len(ids)
