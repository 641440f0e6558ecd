"""A person's comments and replies (with their earlier versions): exported.

Erasing keeps them by default, shown as written by "a former participant" (the account has no
name left); or, when the person asks, removes their words: each comment is deleted as its
author would delete it (replies under it stay), its text, stance and earlier versions gone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from participation.comments.models import Comment, CommentRevision
from participation.sanitize import text_hash


async def export_person(user_id: int) -> dict[str, Any]:
    rows = await Comment.filter(author_id=user_id).order_by("id")
    if not rows:
        return {}
    revisions: dict[int, list[dict[str, Any]]] = {}
    for r in await CommentRevision.filter(comment_id__in=[c.id for c in rows]).order_by("id"):
        revisions.setdefault(r.comment_id, []).append({"text": r.body_raw, "until": r.created_at})
    return {
        "comments": [
            {
                "id": c.id,
                "target_type": c.target_type,
                "target_id": c.target_id,
                "reply_to": c.parent_id,
                "stance": c.stance_value,
                "text": c.body_raw,
                "language": c.language,
                "created_at": c.created_at,
                "edited_at": c.edited_at,
                "deleted_at": c.deleted_at,
                "earlier_versions": revisions.get(c.id, []),
            }
            for c in rows
        ]  # fmt: skip
    }


async def erase_person(user_id: int, *, keep_comments: bool) -> None:
    if keep_comments:
        return None
    ids = list(await Comment.filter(author_id=user_id).values_list("id", flat=True))
    if not ids:
        return None
    await CommentRevision.filter(comment_id__in=ids).delete()
    now = datetime.now(UTC)
    await Comment.filter(id__in=ids, deleted_at__isnull=True).update(deleted_at=now)
    await Comment.filter(id__in=ids).update(
        author_id=None, body_raw="", body_html="", stance=None, text_hash=text_hash("")
    )
