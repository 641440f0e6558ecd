"""Writing comments: post, reply, enter a paper submission, edit, delete. Each function owns its
transaction; the host domain decides whether a target accepts comments and who may comment.
A suspended person writes nothing (``refuse_if_suspended``).

A new top-level comment shown at once is group-committed with the others being posted in the
process at the same moment (PostgreSQL: ``participation.comments.batching``).

A new comment in a pre-moderated space (the host's ``moderation_space``), or one whose text
holds a word of the deployment's list (``settings.moderation_words``; an edit too), is held
for a moderator's approval: only its author sees it until then
(``participation.moderation.services.hold``); nobody is told of it yet.

Refusals are domain errors (``participation.errors``) with a translated sentence and, when the
refusal is about one form field, that field (``text``, ``stance``, ``channel``...). The limits
(length, edit window, rate) come from the ``settings`` the caller passes.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import F

from participation.accounts.principal import Principal, refuse_if_suspended
from participation.audit.services import record
from participation.comments import batching, queries
from participation.comments.models import (
    CONTESTED_FACTOR,
    MAX_DEPTH,
    Channel,
    Comment,
    CommentRevision,
    Stance,
)
from participation.comments.targets import CommentHost, comment_host, load_target
from participation.db import conn, transaction
from participation.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    NotSignedIn,
    TooMany,
)
from participation.i18n import gettext as _
from participation.mail.services import queue_email
from participation.moderation import services as moderation
from participation.moderation.models import HiddenKind
from participation.moderation.targets import Moderated
from participation.moderation.words import matches
from participation.ratelimit import RateLimiter
from participation.sanitize import Sanitised, plain_text, sanitise, text_hash
from participation.settings import Settings


def _check_text(text: str, settings: Settings) -> tuple[str, Sanitised]:
    """The text as kept (trimmed, one kind of newline) and its HTML, words and hash (one
    sanitising: ``participation.sanitize.sanitise``), or the refusal."""
    text = (text or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise Invalid(_("The text contains characters that are not allowed."), "text")
    n = len(text)
    if n < settings.comment_min_length:
        raise Invalid(_("Please write at least %(n)s characters.", n=settings.comment_min_length),
                      "text")  # fmt: skip
    if n > settings.comment_max_length:
        raise Invalid(
            _("Please keep this to %(n)s characters or fewer (now %(len)s).",
              n=settings.comment_max_length, len=n),
            "text",
        )  # fmt: skip
    clean = sanitise(text)
    if not clean.plain.strip():
        raise Invalid(_("Please write some text."), "text")
    return text, clean


def _stance(value: str | None, host: CommentHost, top_level: bool) -> Stance | None:
    if not value:
        return None
    if not top_level or not host.comments_have_stance:
        raise Invalid(_("Only a top-level comment can take a position."), "stance")
    try:
        return Stance(value)
    except ValueError:
        raise Invalid(_("Please choose for, against or neutral."), "stance") from None


def _language(value: str | None) -> str:
    value = (value or "").strip()
    return value[:12] if value.replace("-", "").isalnum() else ""


async def _closed(host: CommentHost, target: Any) -> None:
    if not await host.accepts_comments(target):
        raise Forbidden(_("Comments are closed here. Nothing was changed."))


async def _parent(parent_id: int, target_type: str, target_id: int) -> Comment:
    parent = await queries.visible_comment(parent_id)
    if parent is None or parent.target_type != target_type or parent.target_id != target_id:
        raise NotFound(_("The comment you are replying to no longer exists."))
    if parent.deleted_at is not None:
        raise Conflict(_("You cannot reply to a deleted comment."))
    if parent.depth >= MAX_DEPTH:
        raise Invalid(_("Replies can only be nested three levels deep."))
    return parent


def permalink(settings: Settings, comment_id: int) -> str:
    return f"{settings.base_url}/comments/{comment_id}"


def excerpt(text: str, n: int = 300) -> str:
    """The words of a comment as plain text (no markup, no HTML escapes: "<" stays "<"), cut
    to ``n`` characters; whoever shows it escapes it once (an HTML template does)."""
    words = " ".join(html.unescape(plain_text(text)).split())
    return words if len(words) <= n else words[: n - 1].rstrip() + "…"


async def post_comment(
    principal: Principal,
    target_type: str,
    target_id: int,
    text: str,
    *,
    settings: Settings,
    parent_id: int | None = None,
    stance: str | None = None,
    language: str | None = None,
    limiter: RateLimiter | None = None,
    now: datetime | None = None,
    target: Any = None,
) -> Comment:
    """A citizen comments on a target, or replies to a comment there (``parent_id``).
    ``target``: the host's target of (target_type, target_id) when the caller has loaded it
    already (the view needs it for the way back: one load instead of two)."""
    if not principal.authenticated:
        raise NotSignedIn(_("Please sign in to comment."))
    refuse_if_suspended(principal)
    if target is None:
        host, target = await load_target(target_type, target_id)
    else:
        host = comment_host(target_type)
    await _closed(host, target)
    if not await host.can_comment(principal, target):
        raise Forbidden(_("You cannot comment here."))
    body, clean = _check_text(text, settings)
    parent = await _parent(parent_id, target_type, target_id) if parent_id is not None else None
    chosen = _stance(stance, host, parent is None)
    if limiter is not None and not await limiter.hit(
        f"{settings.comments_per_minute}/minute", "comment", str(principal.id)
    ):
        raise TooMany(
            _("You are posting too fast: at most %(n)s comments a minute. Please wait a moment.",
              n=settings.comments_per_minute),
        )  # fmt: skip
    now = now or datetime.now(UTC)
    space = await host.moderation_space(target)
    held = (
        HiddenKind.PENDING if space.premoderated
        else HiddenKind.WORDS if matches(body, settings.moderation_words) else None
    )  # fmt: skip
    if held is None and parent is None and batching.available():  # one row, nothing else
        assert principal.id is not None
        return await batching.batcher().submit(batching.NewComment(
            target_type=target_type, target_id=target_id, author_id=principal.id,
            stance=chosen.value if chosen else None, body_raw=body, body_html=clean.html,
            language=_language(language), created_at=now, text_hash=clean.hash,
        ))  # fmt: skip
    async with transaction():
        comment = await Comment.create(
            target_type=target_type, target_id=target_id, parent_id=parent.id if parent else None,
            root_id=(parent.root_id or parent.id) if parent else None,
            depth=parent.depth + 1 if parent else 0, author_id=principal.id, stance=chosen,
            body_raw=body, body_html=clean.html, language=_language(language),
            channel=Channel.ONLINE, created_at=now, text_hash=clean.hash,
        )  # fmt: skip
        if held is not None:
            bodies = tuple(await host.moderating_body_ids(target))
            item = Moderated(bodies, principal.id, space)
            await moderation.hold("comment", comment.id, item, held)
        if parent is not None:
            await Comment.filter(id=parent.id).update(reply_count=F("reply_count") + 1)
            if held is None and parent.author_id and parent.author_id != principal.id:
                queue_email(
                    "comment-reply", to_user_id=parent.author_id,
                    replier=principal.user.display_name if principal.user else "",
                    excerpt=excerpt(body), link=permalink(settings, comment.id),
                )  # fmt: skip
    return comment


async def enter_paper_submission(
    principal: Principal,
    target_type: str,
    target_id: int,
    text: str,
    *,
    settings: Settings,
    channel: str,
    received_at: datetime,
    author_name: str | None = None,
    stance: str | None = None,
    body_id: int,
    language: str | None = None,
) -> Comment:
    """An official enters what arrived by post, e-mail, meeting or phone. It is shown and
    counted like any other comment, marked with its channel and the entering body; audited."""
    refuse_if_suspended(principal)
    host, target = await load_target(target_type, target_id)
    if not await host.can_enter_paper(principal, target) or not principal.is_official_of(body_id):
        raise Forbidden(_("Only officials of the owning body can enter submissions."))
    try:
        ch = Channel(channel)
    except ValueError:
        ch = Channel.ONLINE
    if ch == Channel.ONLINE:
        raise Invalid(_("Please choose how the submission arrived."), "channel")
    now = datetime.now(UTC)
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=UTC)
    if received_at > now + timedelta(minutes=5):
        raise Invalid(_("The date received cannot be in the future."), "received_at")
    body, clean = _check_text(text, settings)
    chosen = _stance(stance, host, True)
    name = " ".join((author_name or "").split())[:200]
    async with transaction():
        comment = await Comment.create(
            target_type=target_type, target_id=target_id, author_id=None, author_name=name,
            stance=chosen, body_raw=body, body_html=clean.html,
            language=_language(language), channel=ch, received_at=received_at,
            entered_by_id=principal.id, entered_by_body_id=body_id, created_at=now,
            text_hash=clean.hash,
        )  # fmt: skip
        await record(principal.id, "comment.paper_entered", "comment", comment.id, {
            "target_type": target_type, "target_id": target_id, "channel": ch.value,
            "received_at": received_at.isoformat(), "body_id": body_id,
        })  # fmt: skip
    return comment


async def _existing(comment_id: int) -> Comment:
    comment = await queries.visible_comment(comment_id)
    if comment is None or comment.deleted_at is not None:
        raise NotFound(_("This comment no longer exists."))
    return comment


async def _own(principal: Principal, comment_id: int) -> Comment:
    comment = await _existing(comment_id)
    if not principal.authenticated or comment.author_id != principal.id:
        raise Forbidden(_("You can only change your own comments."))
    return comment


async def edit_comment(
    principal: Principal,
    comment_id: int,
    text: str,
    *,
    settings: Settings,
    now: datetime | None = None,
) -> Comment:
    """The author corrects their comment within the edit window; the old text is kept. A
    text that now holds a word of the list waits for approval again."""
    refuse_if_suspended(principal)
    comment = await _own(principal, comment_id)
    now = now or datetime.now(UTC)
    if now >= comment.created_at + timedelta(minutes=settings.comment_edit_minutes):
        raise Forbidden(
            _("Comments can only be edited within %(n)s minutes of posting.",
              n=settings.comment_edit_minutes),
        )  # fmt: skip
    host, target = await load_target(comment.target_type, comment.target_id)
    await _closed(host, target)
    body, clean = _check_text(text, settings)
    if body == comment.body_raw:
        return comment
    async with transaction():
        await CommentRevision.create(
            comment_id=comment.id, body_raw=comment.body_raw, body_html=comment.body_html,
            created_at=comment.edited_at or comment.created_at,
        )  # fmt: skip
        comment.body_raw = body
        comment.body_html = clean.html
        comment.text_hash = clean.hash
        comment.edited_at = now
        await comment.save(update_fields=["body_raw", "body_html", "text_hash", "edited_at"])
        if matches(body, settings.moderation_words):
            item = Moderated(
                tuple(await host.moderating_body_ids(target)), principal.id,
                await host.moderation_space(target),
            )  # fmt: skip
            await moderation.hold("comment", comment.id, item, HiddenKind.WORDS)
    return comment


async def delete_comment(principal: Principal, comment_id: int) -> None:
    """The author (or a moderator of the target) deletes a comment. A placeholder stays so
    replies keep their place; the text is removed (revisions too)."""
    refuse_if_suspended(principal)
    comment = await _existing(comment_id)
    by_author = principal.authenticated and comment.author_id == principal.id
    if not by_author:
        host = comment_host(comment.target_type)
        target = await host.load(comment.target_id)
        bodies = await host.moderating_body_ids(target) if target is not None else []
        if not principal.can_moderate(bodies):
            raise Forbidden(_("You can only change your own comments."))
    now = datetime.now(UTC)
    async with transaction():
        await Comment.filter(id=comment.id).update(
            deleted_at=now, body_raw="", body_html="", stance=None, text_hash=text_hash("")
        )
        await CommentRevision.filter(comment_id=comment.id).delete()
        if not by_author:
            await record(principal.id, "comment.deleted_by_moderator", "comment", comment.id, {
                "target_type": comment.target_type, "target_id": comment.target_id,
            })  # fmt: skip


async def move_vote_counts(comment_id: int, up: int, down: int) -> None:
    """A vote on a comment moved its counters by ``up`` and ``down`` (each -1, 0 or 1): one
    statement, in the vote's transaction, so the counters and the "contested" sort key move
    together and concurrent votes are never lost."""
    table = Comment._meta.db_table
    new_up, new_down = f"(up_count + {int(up)})", f"(down_count + {int(down)})"
    await conn().execute_query(
        f'UPDATE "{table}" SET up_count = {new_up}, down_count = {new_down}, '  # noqa: S608
        f"contested = (CASE WHEN {new_up} < {new_down} THEN {new_up} ELSE {new_down} END) "
        f"* CAST({CONTESTED_FACTOR} AS BIGINT) + {new_up} + {new_down} WHERE id = {int(comment_id)}"
    )
