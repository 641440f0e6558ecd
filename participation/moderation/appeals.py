"""Appeals: the author of an item hidden by a moderator asks, once, with a few words, for
another look. The appeal goes to a moderator other than the one who hid the item (of those
who may moderate it, the one with the fewest open appeals), who is mailed; any moderator of
the item but the one who hid it may decide. The outcome is mailed to the author in their
language; both steps are in the audit log (the appeal without the author's name)."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from participation.accounts.principal import Principal
from participation.audit.services import record
from participation.db import transaction
from participation.errors import Conflict, Forbidden, Invalid, NotFound, NotSignedIn
from participation.i18n import gettext as _
from participation.mail.services import queue_email
from participation.moderation import queries
from participation.moderation.models import Appeal, AppealOutcome, HiddenKind, ModerationState
from participation.moderation.services import (
    appeal_link,
    ensure_state,
    require_moderator,
    show_again,
)
from participation.moderation.targets import moderated, moderation_host

TEXT_MIN, TEXT_MAX = 10, 2000


async def choose_moderator(body_ids: tuple[int, ...], *, besides: set[int]) -> int | None:
    """Who decides an appeal: of the people who may moderate an item of these bodies, not
    ``besides`` (who hid it, who wrote it), the one holding the fewest open appeals (then the
    longest-standing account); None when there is nobody else."""
    everyone = (await queries.moderators()).of(body_ids)
    body_moderators = (await queries.moderators(admins=False)).of(body_ids)
    candidates = [u for u in body_moderators if u not in besides] or [
        u for u in everyone if u not in besides
    ]
    if not candidates:
        return None
    load = await queries.open_appeal_counts(candidates)
    return min(candidates, key=lambda u: (load.get(u, 0), u))


async def appeal(
    principal: Principal, target_type: str, target_id: int, text: str, *, base_url: str = ""
) -> Appeal:
    """The author of an item hidden by a moderator appeals, once. A person suspended from
    taking part may appeal too."""
    if not principal.authenticated or principal.id is None:
        raise NotSignedIn(_("Please sign in to appeal."))
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) < TEXT_MIN:
        raise Invalid(_("Please write at least %(n)s characters.", n=TEXT_MIN), "text")
    if len(text) > TEXT_MAX:
        raise Invalid(
            _("Please keep this to %(n)s characters or fewer (now %(len)s).",
              n=TEXT_MAX, len=len(text)), "text",
        )  # fmt: skip
    item = await moderated(target_type, target_id)
    state = await queries.state_of(target_type, target_id)
    if item is None or item.author_id != principal.id:
        raise NotFound(_("We could not find this item."))
    if state is None or state.hidden_at is None or state.hidden_kind != HiddenKind.MODERATOR:
        raise Conflict(_("Only what a moderator has hidden can be appealed."))
    hider = state.hidden_by_id
    assigned = await choose_moderator(item.body_ids, besides={hider or 0, principal.id})
    async with transaction():
        try:
            async with transaction():
                row = await Appeal.create(
                    target_type=target_type, target_id=target_id, author_id=principal.id,
                    text=text, created_at=datetime.now(UTC), hidden_by_id=hider,
                    assigned_to_id=assigned,
                )  # fmt: skip
        except IntegrityError:
            raise Conflict(
                _("You have already appealed. Each item can be appealed once.")
            ) from None
        await record(None, "moderation.appeal", target_type, target_id,
                     {"appeal_id": row.id, "assigned_to": assigned})  # fmt: skip
        if assigned is not None:
            queue_email(
                "moderation-appeal", to_user_id=assigned, reason=_code(state.hidden_reason),
                excerpt=await moderation_host(target_type).own_text(target_id), appeal=text,
                link=f"{base_url}/moderation/#appeal-{row.id}",
            )  # fmt: skip
    return row


def _code(value: object) -> str:
    return str(getattr(value, "value", value) or "")


async def decide(
    principal: Principal, appeal_id: int, decision: str, note: str = "", *, base_url: str = ""
) -> Appeal:
    """A moderator, not the one who hid the item, shows it again (``restore``) or keeps it
    hidden (``uphold``); the author is mailed the outcome (audited)."""
    row = await queries.appeal_by_id(appeal_id)
    if row is None:
        raise NotFound(_("We could not find this appeal."))
    item = await require_moderator(principal, row.target_type, row.target_id)
    if principal.id == row.hidden_by_id:
        raise Forbidden(_("You hid this item: another moderator decides its appeal."))
    if principal.id == row.author_id:
        raise Forbidden(_("You cannot decide your own appeal."))
    try:
        outcome = {"restore": AppealOutcome.RESTORED, "uphold": AppealOutcome.UPHELD}[decision]
    except KeyError:
        raise Invalid(_("Please choose one of the options."), "decision") from None
    note = " ".join((note or "").split())[:1000]
    now = datetime.now(UTC)
    async with transaction():
        decided = await Appeal.filter(id=row.id, decided_at__isnull=True).update(
            decided_at=now, decided_by_id=principal.id, outcome=outcome, decision_note=note
        )
        if not decided:
            raise Conflict(_("This appeal has already been decided."))
        if outcome == AppealOutcome.RESTORED:
            state_id = await ensure_state(row.target_type, row.target_id, item)
            if await ModerationState.exists(id=state_id, hidden_at__isnull=False):
                await show_again(state_id, row.target_type, row.target_id, now)
        await record(principal.id, "moderation.appeal_decided", row.target_type, row.target_id,
                     {"appeal_id": row.id, "outcome": outcome.value, "note": note})  # fmt: skip
        queue_email(
            "moderation-appeal-decided", to_user_id=row.author_id, outcome=outcome.value,
            note=note, excerpt=await moderation_host(row.target_type).own_text(row.target_id),
            link=appeal_link(base_url, row.target_type, row.target_id),
        )  # fmt: skip
    row.decided_at, row.decided_by_id, row.outcome, row.decision_note = (
        now, principal.id, outcome, note
    )  # fmt: skip
    return row
