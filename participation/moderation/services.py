"""Flagging by citizens; holding new items for approval; approving, hiding and restoring by
moderators, each act audited with its reason. Appeals: ``appeals``; suspensions:
``suspensions``; the moderators' alert mails: ``tasks``.

Moderators are global (administrators are too), or scoped to bodies: a body moderator may act
on an item whose host (``targets.ModerationHost``) names that body. Officials are not
moderators. Only the types that a host registered can be moderated; refusals are
``participation.errors``. Moderators never change what a citizen wrote: they show it or not.

The flag threshold is exact under concurrency: a flag moves the state's ``flag_count`` by one
in one UPDATE (the row lock orders concurrent flags), and the item is hidden by a conditional
UPDATE (``flag_count >= threshold`` and not hidden yet) in the same transaction, so exactly
the flag that reaches the threshold hides it, once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from participation.accounts.principal import Principal, refuse_if_suspended
from participation.audit.services import record
from participation.db import transaction
from participation.errors import Conflict, Forbidden, Invalid, NotFound, NotSignedIn
from participation.i18n import gettext as _
from participation.mail.services import queue_email
from participation.moderation import queries
from participation.moderation.models import (
    HELD,
    WAITING,
    Flag,
    FlagReason,
    HiddenKind,
    ModerationScope,
    ModerationState,
)
from participation.moderation.targets import Moderated, moderated, moderation_host

NOTE_MAX = 500


def _reason(value: str | FlagReason) -> FlagReason:
    try:
        return FlagReason(value)
    except ValueError:
        raise Invalid(_("Please choose a reason."), "reason") from None


def _note(note: str | None) -> str:
    return " ".join((note or "").split())[:NOTE_MAX]


def _now() -> datetime:
    return datetime.now(UTC)


def appeal_link(base_url: str, target_type: str, target_id: int) -> str:
    """Where the author of a hidden item reads why and appeals (``views.appeal``)."""
    return f"{base_url}/moderation/appeal/{target_type}/{target_id}"


async def ensure_state(target_type: str, target_id: int, item: Moderated) -> int:
    """The id of the one state row of the target, created if needed (concurrent creators are
    fine), with the item's author and space, and its bodies in ``ModerationScope``. Call it
    inside a transaction."""
    space = item.space
    state = await ModerationState.filter(target_type=target_type, target_id=target_id).first()
    if state is None:
        try:
            async with transaction():  # a savepoint: a concurrent creator may win
                state = await ModerationState.create(
                    target_type=target_type, target_id=target_id, author_id=item.author_id,
                    space_type=space.type, space_id=space.id,
                )  # fmt: skip
        except IntegrityError:
            state = await ModerationState.get(target_type=target_type, target_id=target_id)
    elif (state.space_type, state.space_id, state.author_id) != (
        space.type,
        space.id,
        item.author_id,
    ):
        await ModerationState.filter(id=state.id).update(
            space_type=space.type, space_id=space.id, author_id=item.author_id
        )
    have = set(await ModerationScope.filter(state_id=state.id).values_list("body_id", flat=True))
    for body_id in sorted(set(item.body_ids) - have):
        try:
            async with transaction():
                await ModerationScope.create(state_id=state.id, body_id=body_id)
        except IntegrityError:
            pass  # written by a concurrent flag
    return int(state.id)


# ---- citizens -------------------------------------------------------------------------------


async def flag(
    principal: Principal, target_type: str, target_id: int, reason: str | FlagReason,
    note: str = "",
) -> Flag:  # fmt: skip
    """A signed-in person reports an item, once per item, with a reason ("other" needs a few
    words); not their own. At its space's threshold the item is hidden pending review."""
    if not principal.authenticated or principal.id is None:
        raise NotSignedIn(_("Please sign in to report content."))
    refuse_if_suspended(principal)
    chosen = _reason(reason)
    note = _note(note)
    if chosen == FlagReason.OTHER and not note:
        raise Invalid(_("Please say in a few words what is wrong."), "note")
    item = await moderated(target_type, target_id)
    if item is None:
        raise NotFound(_("We could not find what you are reporting."))
    if item.author_id is not None and item.author_id == principal.id:
        raise Forbidden(_("You cannot report what you wrote yourself."))
    now = _now()
    async with transaction():
        state_id = await ensure_state(target_type, target_id, item)
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
        await ModerationState.filter(id=state_id).update(flag_count=F("flag_count") + 1)
        # it waits for a moderator from its first flag since the last review
        await ModerationState.filter(
            id=state_id, queued_at__isnull=True, hidden_at__isnull=True
        ).update(queued_at=now)
        threshold = item.space.flag_threshold
        if threshold > 0:
            hidden = await ModerationState.filter(
                id=state_id, hidden_at__isnull=True, flag_count__gte=threshold
            ).update(hidden_at=now, hidden_kind=HiddenKind.FLAGS)
            if hidden:
                await record(None, "moderation.auto_hide", target_type, target_id,
                             {"threshold": threshold})  # fmt: skip
    return row


async def hold(target_type: str, target_id: int, item: Moderated, kind: HiddenKind) -> None:
    """A new item waits for a moderator's approval before anyone but its author sees it
    (``kind``: a pre-moderated space, or the word list). Inside the writer's transaction."""
    state_id = await ensure_state(target_type, target_id, item)
    now = _now()
    await ModerationState.filter(id=state_id).update(hidden_at=now, hidden_kind=kind, queued_at=now)


# ---- moderators -----------------------------------------------------------------------------


async def require_moderator(principal: Principal, target_type: str, target_id: int) -> Moderated:
    """The item, if this person may moderate it. Not found before anything else: an unknown
    type or item leaves no trace."""
    item = await moderated(target_type, target_id)
    if item is None:
        raise NotFound(_("We could not find this item."))
    if not principal.can_moderate(item.body_ids):
        raise Forbidden(_("Only moderators can do this."))
    return item


async def show_again(state_id: int, target_type: str, target_id: int, now: datetime) -> None:
    """Shown to everyone again, its flags so far cleared (a moderator has looked)."""
    await ModerationState.filter(id=state_id).update(
        hidden_at=None, hidden_kind=None, hidden_reason=None, hidden_by_id=None, hidden_note="",
        flag_count=0, queued_at=None, alerted_at=None, reviewed_at=now,
    )  # fmt: skip
    await Flag.filter(target_type=target_type, target_id=target_id, cleared_at__isnull=True).update(
        cleared_at=now
    )


async def approve(
    principal: Principal, target_type: str, target_id: int, note: str = "", *,
    base_url: str = "",
) -> None:  # fmt: skip
    """A moderator approves an item that waits for them (flagged, hidden pending review or
    held for approval): it is shown and its flags are cleared (audited). An item held before
    anyone saw it is news at last: its host is told (``approved``: a reply mails its parent's
    author)."""
    item = await require_moderator(principal, target_type, target_id)
    note = _note(note)
    now = _now()
    async with transaction():
        state_id = await ensure_state(target_type, target_id, item)
        state = await ModerationState.filter(id=state_id).select_for_update().first()
        assert state is not None
        waiting = (
            state.queued_at is not None
            or (state.hidden_at is not None and state.hidden_kind in WAITING)
            or (state.hidden_at is None and state.flag_count > 0)
        )
        if not waiting:
            raise Conflict(_("Nothing about this item waits for a decision."))
        await show_again(state_id, target_type, target_id, now)
        was = state.hidden_kind.value if state.hidden_kind else "flagged"
        await record(principal.id, "moderation.approve", target_type, target_id,
                     {"was": was, "flags": state.flag_count, "note": note})  # fmt: skip
        if state.hidden_at is not None and state.hidden_kind in HELD:
            approved = getattr(moderation_host(target_type), "approved", None)
            if approved is not None:
                await approved(target_id, base_url)


async def hide(
    principal: Principal, target_type: str, target_id: int, reason: str | FlagReason,
    note: str = "", *, base_url: str = "",
) -> None:  # fmt: skip
    """A moderator hides an item with a reason (audited). Everyone else sees "hidden by a
    moderator: reason" in its place; its author is mailed, in their language, with a link to
    appeal."""
    chosen = _reason(reason)
    item = await require_moderator(principal, target_type, target_id)
    note = _note(note)
    now = _now()
    async with transaction():
        state_id = await ensure_state(target_type, target_id, item)
        state = await ModerationState.filter(id=state_id).select_for_update().first()
        assert state is not None
        if state.hidden_at is not None and state.hidden_kind == HiddenKind.MODERATOR:
            raise Conflict(_("A moderator has already hidden this item."))
        await ModerationState.filter(id=state_id).update(
            hidden_at=now, hidden_kind=HiddenKind.MODERATOR, hidden_reason=chosen,
            hidden_note=note, hidden_by_id=principal.id, reviewed_at=now, queued_at=None,
        )  # fmt: skip
        await record(principal.id, "moderation.hide", target_type, target_id,
                     {"reason": chosen.value, "note": note})  # fmt: skip
        await _tell_author(item, target_type, target_id, chosen, note, base_url)


async def _tell_author(
    item: Moderated, target_type: str, target_id: int, reason: FlagReason, note: str,
    base_url: str,
) -> None:  # fmt: skip
    if item.author_id is None:
        return
    text = await moderation_host(target_type).own_text(target_id)
    queue_email(
        "moderation-hidden", to_user_id=item.author_id, reason=reason.value, note=note,
        excerpt=text, kind=target_type, link=appeal_link(base_url, target_type, target_id),
        delivery_key=f"moderation-hidden:{target_type}:{target_id}:{_now().isoformat()}",
    )  # fmt: skip


async def restore(principal: Principal, target_type: str, target_id: int, note: str = "") -> None:
    """A moderator shows a hidden item again, its flags cleared (audited)."""
    item = await require_moderator(principal, target_type, target_id)
    note = _note(note)
    now = _now()
    async with transaction():
        state_id = await ensure_state(target_type, target_id, item)
        state = await ModerationState.filter(id=state_id).select_for_update().first()
        if state is None or state.hidden_at is None:
            raise Conflict(_("This item is not hidden."))
        await show_again(state_id, target_type, target_id, now)
        await record(principal.id, "moderation.restore", target_type, target_id, {"note": note})


async def hide_campaign(
    principal: Principal, group_id: int, reason: str | FlagReason, note: str = "",
    *, base_url: str = "",
) -> int:  # fmt: skip
    """Hide, with one reason, every copy readers still see of one group of near-duplicate
    comments (a campaign: ``participation.integrity``) that the moderator may moderate; one
    audit event lists the ids; each author is mailed once. Returns how many."""
    chosen = _reason(reason)
    if not principal.is_any_moderator:
        raise Forbidden(_("Only moderators can do this."))
    members = await queries.campaign_member_ids(group_id)
    if not members:
        raise NotFound(_("We could not find this group of comments."))
    host = moderation_host("comment")
    shown = set(members) - await _hidden_comments(members)
    items: dict[int, Moderated] = {}
    for cid in members:
        if cid not in shown:
            continue
        item = await host.load(cid)
        if item is not None and principal.can_moderate(item.body_ids):
            items[cid] = item
    if not items:
        raise Forbidden(_("There is nothing here that you may hide."))
    ids = sorted(items)
    note = _note(note)
    now = _now()
    told: set[int] = set()
    async with transaction():
        for cid, item in items.items():
            await ensure_state("comment", cid, item)
            if item.author_id is not None and item.author_id not in told:
                told.add(item.author_id)
                await _tell_author(item, "comment", cid, chosen, note, base_url)
        await ModerationState.filter(target_type="comment", target_id__in=ids).update(
            hidden_at=now, hidden_kind=HiddenKind.MODERATOR, hidden_reason=chosen,
            hidden_note=note, hidden_by_id=principal.id, reviewed_at=now, queued_at=None,
        )  # fmt: skip
        data: dict[str, Any] = {"reason": chosen.value, "note": note, "group": group_id,
                                "comment_ids": ids}  # fmt: skip
        await record(principal.id, "moderation.hide_campaign", "comment", ids[0], data)
    return len(ids)


async def _hidden_comments(ids: list[int]) -> set[int]:
    return {
        int(s.target_id)
        for s in await ModerationState.filter(
            target_type="comment", target_id__in=ids, hidden_at__isnull=False
        ).only("target_id")
    }
