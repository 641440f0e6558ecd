"""Flagging by citizens; hiding, restoring and dismissing by moderators (audited with the
reason). Moderators are global, or scoped to bodies: a body moderator may moderate a target
whose host names that body in ``moderating_body_ids``. Officials are not moderators."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from participation.accounts.principal import Principal
from participation.audit.services import record
from participation.db import transaction
from participation.i18n import gettext as _
from participation.moderation.models import Flag, FlagReason, ModerationState
from participation.web.errors import Refused


class ModerationRefused(Refused):
    """Not allowed or not valid (status and a translated sentence)."""


async def moderating_body_ids(target_type: str, target_id: int) -> list[int] | None:
    """Bodies whose moderators may moderate the target; None when the target does not exist.
    Comments ask their host; other types ask their comment host when they have one."""
    from participation.domains import comment_hosts

    if target_type == "comment":
        from participation.comments.models import Comment

        comment = await Comment.get_or_none(id=target_id)
        if comment is None:
            return None
        target_type, target_id = comment.target_type, comment.target_id
    host = comment_hosts().get(target_type)
    if host is None:
        return []
    target = await host.load(target_id)
    if target is None:
        return None
    return list(await host.moderating_body_ids(target))


def _reason(value: str) -> FlagReason:
    try:
        return FlagReason(value)
    except ValueError:
        raise ModerationRefused(400, _("Please choose a reason.")) from None


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
    principal: Principal, target_type: str, target_id: int, reason: str, note: str = ""
) -> Flag:
    """A signed-in person reports a target, once per target."""
    if not principal.authenticated:
        raise ModerationRefused(401, _("Please sign in to report content."))
    chosen = _reason(reason)
    if await moderating_body_ids(target_type, target_id) is None:
        raise ModerationRefused(404, _("We could not find what you are reporting."))
    note = " ".join((note or "").split())[:500]
    async with transaction():
        try:
            async with transaction():
                row = await Flag.create(
                    target_type=target_type, target_id=target_id, user_id=principal.id,
                    reason=chosen, note=note,
                )  # fmt: skip
        except IntegrityError:
            raise ModerationRefused(
                409, _("You have already reported this. Our moderators will look at it.")
            ) from None
        await _state(target_type, target_id)
        await ModerationState.filter(target_type=target_type, target_id=target_id).update(
            flag_count=F("flag_count") + 1
        )
    return row


async def _require_moderator(principal: Principal, target_type: str, target_id: int) -> None:
    bodies = await moderating_body_ids(target_type, target_id)
    if bodies is None:
        raise ModerationRefused(404, _("We could not find this item."))
    if not principal.can_moderate(bodies):
        raise ModerationRefused(403, _("Only moderators can do this."))


async def hide(
    principal: Principal, target_type: str, target_id: int, reason: str, note: str = ""
) -> None:
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
            raise ModerationRefused(409, _("This item is not hidden."))
        await record(principal.id, "moderation.restore", target_type, target_id, {"note": note})


async def dismiss(principal: Principal, target_type: str, target_id: int) -> None:
    """A moderator keeps a flagged target visible; it leaves the queue (audited)."""
    await _require_moderator(principal, target_type, target_id)
    async with transaction():
        await ModerationState.filter(target_type=target_type, target_id=target_id).update(
            reviewed_at=datetime.now(UTC)
        )
        await record(principal.id, "moderation.dismiss", target_type, target_id, {})


async def hide_campaign(principal: Principal, text_hash: str, reason: str, note: str = "") -> int:
    """Hide every visible copy of one text (a copy-pasted campaign) that the moderator may
    moderate, with one reason; one audit event lists the comment ids. Returns how many."""
    from participation.comments.models import Comment
    from participation.comments.queries import hidden_ids

    chosen = _reason(reason)
    if not principal.is_any_moderator:
        raise ModerationRefused(403, _("Only moderators can do this."))
    rows = await (
        Comment.filter(text_hash=text_hash, deleted_at__isnull=True)
        .exclude(id__in=hidden_ids())
        .values_list("id", "target_type", "target_id")
    )
    allowed: dict[tuple[str, int], bool] = {}
    ids: list[int] = []
    for cid, ttype, tid in rows:
        key = (ttype, tid)
        if key not in allowed:
            bodies = await moderating_body_ids(ttype, tid)
            allowed[key] = bodies is not None and principal.can_moderate(bodies)
        if allowed[key]:
            ids.append(int(cid))
    if not ids:
        raise ModerationRefused(403, _("There is nothing here that you may hide."))
    note = " ".join((note or "").split())[:500]
    now = datetime.now(UTC)
    async with transaction():
        for cid in ids:
            await _state("comment", cid)
        await ModerationState.filter(target_type="comment", target_id__in=ids).update(
            hidden_at=now, hidden_reason=chosen, hidden_note=note, hidden_by_id=principal.id,
            reviewed_at=now,
        )  # fmt: skip
        data: dict[str, Any] = {"reason": chosen.value, "note": note, "text_hash": text_hash,
                                "comment_ids": ids}  # fmt: skip
        await record(principal.id, "moderation.hide_campaign", "comment", ids[0], data)
    return len(ids)
