"""Writing comments: post, reply, enter a paper submission, edit, delete. Each function owns its
transaction; the host domain decides whether a target accepts comments and who may comment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from participation import jobs
from participation.accounts.principal import Principal
from participation.audit.services import record
from participation.comments.hosts import CommentHost, comment_host
from participation.comments.models import MAX_DEPTH, Channel, Comment, CommentRevision, Stance
from participation.db import transaction
from participation.i18n import gettext as _
from participation.ratelimit import RateLimiter
from participation.sanitize import plain_text, sanitize_comment, text_hash
from participation.settings import Settings
from participation.web.errors import Refused


class CommentRefused(Refused):
    """A comment was not accepted: ``status`` and a translated sentence for the user.
    ``field`` names the form field the message belongs to (``text``, ``stance``...) or None."""

    def __init__(self, status_code: int, message: str, field: str | None = None) -> None:
        super().__init__(status_code, message)
        self.field = field


def current_settings() -> Settings:
    """The running app's settings (the job context holds them), else the defaults."""
    settings = jobs._state.ctx.get("settings")
    return settings if isinstance(settings, Settings) else Settings()


def _check_text(text: str, settings: Settings) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise CommentRefused(400, _("The text contains characters that are not allowed."), "text")
    n = len(text)
    if n < settings.comment_min_length:
        raise CommentRefused(
            400, _("Please write at least %(n)s characters.", n=settings.comment_min_length), "text"
        )
    if n > settings.comment_max_length:
        raise CommentRefused(
            400,
            _("Please keep this to %(n)s characters or fewer (now %(len)s).",
              n=settings.comment_max_length, len=n),
            "text",
        )  # fmt: skip
    if not plain_text(text).strip():
        raise CommentRefused(400, _("Please write some text."), "text")
    return text


def _stance(value: str | None, host: CommentHost, top_level: bool) -> Stance | None:
    if not value:
        return None
    if not top_level or not host.comments_have_stance:
        raise CommentRefused(400, _("Only a top-level comment can take a position."), "stance")
    try:
        return Stance(value)
    except ValueError:
        raise CommentRefused(400, _("Please choose for, against or neutral."), "stance") from None


def _language(value: str | None) -> str:
    value = (value or "").strip()
    return value[:12] if value.replace("-", "").isalnum() else ""


async def _load_target(host: CommentHost, target_id: int) -> Any:
    target = await host.load(target_id)
    if target is None:
        raise CommentRefused(404, _("We could not find what you are commenting on."))
    return target


async def _closed(host: CommentHost, target: Any) -> None:
    if not await host.accepts_comments(target):
        raise CommentRefused(403, _("Comments are closed here. Nothing was changed."))


async def _parent(parent_id: int | None, target_type: str, target_id: int) -> Comment | None:
    if parent_id is None:
        return None
    from participation.comments.queries import visible_comment

    parent = await visible_comment(int(parent_id))
    if parent is None or parent.target_type != target_type or parent.target_id != target_id:
        raise CommentRefused(404, _("The comment you are replying to no longer exists."))
    if parent.deleted_at is not None:
        raise CommentRefused(409, _("You cannot reply to a deleted comment."))
    if parent.depth >= MAX_DEPTH:
        raise CommentRefused(400, _("Replies can only be nested three levels deep."))
    return parent


def permalink(settings: Settings, comment_id: int) -> str:
    return f"{settings.base_url}/comments/{comment_id}"


async def post_comment(
    principal: Principal,
    target_type: str,
    target_id: int,
    text: str,
    *,
    parent_id: int | None = None,
    stance: str | None = None,
    language: str | None = None,
    limiter: RateLimiter | None = None,
    now: datetime | None = None,
) -> Comment:
    """A citizen comments on a target, or replies to a comment there."""
    settings = current_settings()
    if not principal.authenticated:
        raise CommentRefused(401, _("Please sign in to comment."))
    host = comment_host(target_type)
    target = await _load_target(host, target_id)
    await _closed(host, target)
    if not await host.can_comment(principal, target):
        raise CommentRefused(403, _("You cannot comment here."))
    body = _check_text(text, settings)
    parent = await _parent(parent_id, target_type, target_id)
    chosen = _stance(stance, host, parent is None)
    if limiter is not None and not await limiter.hit(
        f"{settings.comments_per_minute}/minute", "comment", str(principal.id)
    ):
        raise CommentRefused(
            429,
            _("You are posting too fast: at most %(n)s comments a minute. Please wait a moment.",
              n=settings.comments_per_minute),
        )  # fmt: skip
    now = now or datetime.now(UTC)
    async with transaction():
        comment = await Comment.create(
            target_type=target_type, target_id=target_id, parent_id=parent.id if parent else None,
            root_id=(parent.root_id or parent.id) if parent else None,
            depth=parent.depth + 1 if parent else 0, author_id=principal.id, stance=chosen,
            body_raw=body, body_html=sanitize_comment(body), language=_language(language),
            channel=Channel.ONLINE, created_at=now, text_hash=text_hash(body),
        )  # fmt: skip
        if parent is not None:
            from tortoise.expressions import F

            await Comment.filter(id=parent.id).update(reply_count=F("reply_count") + 1)
            if parent.author_id and parent.author_id != principal.id:
                from participation.mail.services import queue_email

                queue_email(
                    "comment-reply", to_user_id=parent.author_id,
                    replier=principal.user.display_name if principal.user else "",
                    excerpt=_excerpt(body), link=permalink(settings, comment.id),
                )  # fmt: skip
    return comment


def _excerpt(text: str, n: int = 300) -> str:
    words = " ".join(plain_text(text).split())
    return words if len(words) <= n else words[: n - 1].rstrip() + "…"


async def enter_paper_submission(
    principal: Principal,
    target_type: str,
    target_id: int,
    text: str,
    *,
    channel: str,
    received_at: datetime,
    author_name: str | None = None,
    stance: str | None = None,
    body_id: int,
    language: str | None = None,
) -> Comment:
    """An official enters what arrived by post, e-mail, meeting or phone. It is shown and
    counted like any other comment, marked with its channel and the entering body; audited."""
    settings = current_settings()
    host = comment_host(target_type)
    target = await _load_target(host, target_id)
    if not await host.can_enter_paper(principal, target) or not principal.is_official_of(body_id):
        raise CommentRefused(403, _("Only officials of the owning body can enter submissions."))
    try:
        ch = Channel(channel)
    except ValueError:
        ch = Channel.ONLINE
    if ch == Channel.ONLINE:
        raise CommentRefused(400, _("Please choose how the submission arrived."), "channel")
    now = datetime.now(UTC)
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=UTC)
    if received_at > now + timedelta(minutes=5):
        raise CommentRefused(400, _("The date received cannot be in the future."), "received_at")
    body = _check_text(text, settings)
    chosen = _stance(stance, host, True)
    name = " ".join((author_name or "").split())[:200]
    async with transaction():
        comment = await Comment.create(
            target_type=target_type, target_id=target_id, author_id=None, author_name=name,
            stance=chosen, body_raw=body, body_html=sanitize_comment(body),
            language=_language(language), channel=ch, received_at=received_at,
            entered_by_id=principal.id, entered_by_body_id=body_id, created_at=now,
            text_hash=text_hash(body),
        )  # fmt: skip
        await record(principal.id, "comment.paper_entered", "comment", comment.id, {
            "target_type": target_type, "target_id": target_id, "channel": ch.value,
            "received_at": received_at.isoformat(), "body_id": body_id,
        })  # fmt: skip
    return comment


async def _own(principal: Principal, comment_id: int) -> Comment:
    from participation.comments.queries import visible_comment

    comment = await visible_comment(int(comment_id))
    if comment is None or comment.deleted_at is not None:
        raise CommentRefused(404, _("This comment no longer exists."))
    if not principal.authenticated or comment.author_id != principal.id:
        raise CommentRefused(403, _("You can only change your own comments."))
    return comment


async def edit_comment(
    principal: Principal, comment_id: int, text: str, *, now: datetime | None = None
) -> Comment:
    """The author corrects their comment within the edit window; the old text is kept."""
    settings = current_settings()
    comment = await _own(principal, comment_id)
    now = now or datetime.now(UTC)
    if now >= comment.created_at + timedelta(minutes=settings.comment_edit_minutes):
        raise CommentRefused(
            403,
            _("Comments can only be edited within %(n)s minutes of posting.",
              n=settings.comment_edit_minutes),
        )  # fmt: skip
    host = comment_host(comment.target_type)
    target = await _load_target(host, comment.target_id)
    await _closed(host, target)
    body = _check_text(text, settings)
    if body == comment.body_raw:
        return comment
    async with transaction():
        await CommentRevision.create(
            comment_id=comment.id, body_raw=comment.body_raw, body_html=comment.body_html,
            created_at=comment.edited_at or comment.created_at,
        )  # fmt: skip
        comment.body_raw = body
        comment.body_html = sanitize_comment(body)
        comment.text_hash = text_hash(body)
        comment.edited_at = now
        await comment.save(update_fields=["body_raw", "body_html", "text_hash", "edited_at"])
    return comment


async def delete_comment(principal: Principal, comment_id: int) -> None:
    """The author (or a moderator of the target) deletes a comment. A placeholder stays so
    replies keep their place; the text is removed (revisions too)."""
    from participation.comments.queries import visible_comment

    comment = await visible_comment(int(comment_id))
    if comment is None or comment.deleted_at is not None:
        raise CommentRefused(404, _("This comment no longer exists."))
    by_author = principal.authenticated and comment.author_id == principal.id
    if not by_author:
        host = comment_host(comment.target_type)
        target = await host.load(comment.target_id)
        bodies = await host.moderating_body_ids(target) if target is not None else []
        if not principal.can_moderate(bodies):
            raise CommentRefused(403, _("You can only change your own comments."))
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
