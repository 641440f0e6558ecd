"""Reads of the near-duplicate index: campaign groups of a space or a target, their members,
and what the indexing job needs (the next comments, a space's clusters and band keys)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from participation.comments.models import Comment
from participation.integrity.models import (
    CommentBand,
    CommentCluster,
    Disowned,
    IndexedComment,
    IntegritySpace,
    IntegrityWatermark,
)
from participation.moderation.models import ModerationState
from participation.sanitize import plain_text

CHUNK = 1000


@dataclass(frozen=True, slots=True)
class CampaignGroup:
    """Near-duplicate comments of one space (a possible campaign: a form letter sent many
    times, however varied). Every copy counts; none is dropped."""

    id: int  # the group (stable while the index is not rebuilt)
    size: int  # copies, deleted ones left out (hidden and held ones counted)
    visible: int  # copies readers see (neither hidden nor held by moderation)
    authors: int  # distinct signed-in authors of the copies
    representative_id: int  # the comment the others were compared with
    representative_text: str  # its raw text
    first_at: datetime  # the earliest copy
    last_at: datetime  # the latest copy
    share: float  # size / all indexed comments of the space or target (0..1)
    targets: tuple[tuple[str, int], ...]  # where the copies are ("section", id), sorted
    comment_ids: tuple[int, ...]  # the copies, oldest first


def _where(target_type: str, target_id: int) -> Q:
    """The indexed comments of a space (a consultation: all its sections) or of one target."""
    return Q(space_type=target_type, space_id=target_id) | Q(
        target_type=target_type, target_id=target_id
    )


async def ids_of(qs: QuerySet[Any], column: str) -> list[int]:
    """One integer column of a query's rows."""
    return [int(r[column]) for r in await qs.values(column)]


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]


async def _deleted(ids: Sequence[int]) -> set[int]:
    out: set[int] = set()
    for chunk in _chunks(ids):
        out.update(await ids_of(Comment.filter(id__in=chunk, deleted_at__isnull=False), "id"))
    return out


async def _hidden(ids: Sequence[int]) -> set[int]:
    out: set[int] = set()
    for chunk in _chunks(ids):
        out.update(
            await ids_of(
                ModerationState.filter(
                    target_type="comment", target_id__in=chunk, hidden_at__isnull=False
                ),
                "target_id",
            )
        )
    return out


async def _submissions(where: Q) -> int:
    """Indexed comments that are not deleted."""
    gone = Subquery(Comment.filter(deleted_at__isnull=False).values("id"))
    return await IndexedComment.filter(where).exclude(comment_id__in=gone).count()


async def campaign_groups(
    target_type: str, target_id: int, *, min_size: int = 3, visible_only: bool = False,
    limit: int | None = None,
) -> list[CampaignGroup]:  # fmt: skip
    """The near-duplicate groups of ``min_size`` copies or more among the comments of a space
    (``("consultation", id)``: the consultation's own comments and all its sections') or of
    one target (``("section", id)``), largest first. ``size`` counts every copy that is not
    deleted, hidden or held ones included; with ``visible_only`` a group needs ``min_size``
    copies that readers see (what moderators still have to act on). What the indexing job has
    not read yet (a minute at most) is not in any group yet."""
    where = _where(target_type, target_id)
    in_target = Subquery(
        IndexedComment.filter(target_type=target_type, target_id=target_id).values("cluster_id")
    )
    big = await CommentCluster.filter(
        Q(space_type=target_type, space_id=target_id) | Q(id__in=in_target),
        size__gte=max(2, min_size),
    ).values("id", "representative_id")
    if not big:
        return []
    reps = {int(r["id"]): int(r["representative_id"]) for r in big}
    members = (
        await IndexedComment.filter(where, cluster_id__in=list(reps))
        .order_by("created_at", "comment_id")
        .values("comment_id", "cluster_id", "target_type", "target_id", "created_at")
    )
    member_ids = [int(m["comment_id"]) for m in members]
    deleted = await _deleted(member_ids)
    hidden = await _hidden(member_ids)
    authors: dict[int, int | None] = {}
    texts: dict[int, str] = {}
    for chunk in _chunks(member_ids + list(reps.values())):
        for row in await Comment.filter(id__in=chunk).values("id", "author_id", "body_raw"):
            authors[int(row["id"])] = row["author_id"]
            texts[int(row["id"])] = row["body_raw"]
    by_cluster: dict[int, list[dict[str, Any]]] = {}
    for m in members:
        cid = int(m["comment_id"])
        if cid in deleted or cid not in authors:
            continue
        by_cluster.setdefault(int(m["cluster_id"]), []).append(m)
    total = await _submissions(where)
    out = []
    for gid, ms in by_cluster.items():
        visible = sum(1 for m in ms if int(m["comment_id"]) not in hidden)
        if len(ms) < min_size or (visible_only and visible < min_size):
            continue
        ids = tuple(int(m["comment_id"]) for m in ms)
        rep = reps[gid]
        out.append(CampaignGroup(
            id=gid, size=len(ms), visible=visible,
            authors=len({authors[i] for i in ids if authors.get(i) is not None}),
            representative_id=rep, representative_text=texts.get(rep, ""),
            first_at=ms[0]["created_at"], last_at=max(m["created_at"] for m in ms),
            share=len(ms) / total if total else 0.0,
            targets=tuple(sorted({(str(m["target_type"]), int(m["target_id"])) for m in ms})),
            comment_ids=ids,
        ))  # fmt: skip
    out.sort(key=lambda g: (-g.size, g.first_at, g.id))
    return out[:limit] if limit is not None else out


async def spaces_with_groups(min_size: int, limit: int = 200) -> list[tuple[str, int]]:
    """Spaces that hold a cluster of ``min_size`` or more, the biggest cluster first."""
    rows = (
        await CommentCluster.filter(size__gte=min_size)
        .order_by("-size", "id")
        .limit(limit * 5)
        .values("space_type", "space_id")
    )
    return list(dict.fromkeys((str(r["space_type"]), int(r["space_id"])) for r in rows))[:limit]


async def group(group_id: int) -> CommentCluster | None:
    return await CommentCluster.get_or_none(id=group_id)


async def group_member_ids(group_id: int) -> list[int]:
    """The comments of one group, oldest first."""
    return await ids_of(
        IndexedComment.filter(cluster_id=group_id).order_by("created_at", "comment_id"),
        "comment_id",
    )


# ---- what the indexing job reads --------------------------------------------------------------


async def watermark(name: str) -> int:
    row = await IntegrityWatermark.get_or_none(name=name)
    return int(row.last_id) if row is not None else 0


async def comments_after(after_id: int, limit: int) -> list[dict[str, Any]]:
    """The next comments by id: id, target_type, target_id, body_raw, created_at."""
    return (
        await Comment.filter(id__gt=after_id)
        .order_by("id")
        .limit(limit)
        .values("id", "target_type", "target_id", "body_raw", "created_at")
    )


async def unindexed_before(watermark: int, limit: int) -> list[dict[str, Any]]:
    """Comments at or below the watermark that are not in the index (``comments_after``'s
    rows), oldest first."""
    placed = Subquery(IndexedComment.filter(comment_id__lte=watermark).values("comment_id"))
    return (
        await Comment.filter(id__lte=watermark)
        .exclude(id__in=placed)
        .order_by("id")
        .limit(limit)
        .values("id", "target_type", "target_id", "body_raw", "created_at")
    )


async def is_indexed(comment_id: int) -> bool:
    return await IndexedComment.exists(comment_id=comment_id)


async def space_common(space_type: str, space_id: int) -> list[int]:
    row = await IntegritySpace.get_or_none(space_type=space_type, space_id=space_id)
    return list(row.common) if row is not None else []


async def band_clusters(space_type: str, space_id: int, keys: Sequence[int]) -> dict[int, int]:
    """band key -> the cluster that claimed it, for those of ``keys`` that are claimed."""
    rows = await CommentBand.filter(
        space_type=space_type, space_id=space_id, key__in=list(keys)
    ).values("key", "cluster_id")
    return {int(r["key"]): int(r["cluster_id"]) for r in rows}


async def representatives(cluster_ids: Sequence[int]) -> dict[int, tuple[bytes, bytes]]:
    """cluster -> its representative's stored (tokens, content), in one query."""
    if not cluster_ids:
        return {}
    reps = Subquery(CommentCluster.filter(id__in=list(cluster_ids)).values("representative_id"))
    rows = await IndexedComment.filter(
        cluster_id__in=list(cluster_ids), comment_id__in=reps
    ).values("cluster_id", "tokens", "content")
    return {int(r["cluster_id"]): (r["tokens"] or b"", r["content"] or b"") for r in rows}


async def space_comments(space_type: str, space_id: int) -> list[tuple[int, str]]:
    """(id, raw text) of the indexed comments of a space, in id order (a rebuild)."""
    ids = await ids_of(
        IndexedComment.filter(space_type=space_type, space_id=space_id).order_by("comment_id"),
        "comment_id",
    )
    out: list[tuple[int, str]] = []
    for chunk in _chunks(ids):
        rows = await Comment.filter(id__in=chunk).order_by("id").values_list("id", "body_raw")
        out.extend((int(i), str(t)) for i, t in rows)
    return out


async def grown_spaces(minimum: int, growth: float, limit: int) -> list[tuple[str, int]]:
    """Spaces with ``minimum`` indexed comments or more that grew by ``growth`` (a share)
    since their last rebuild (or were never rebuilt), the biggest first."""
    sizes = (
        await IndexedComment.annotate(n=Count("id"))
        .group_by("space_type", "space_id")
        .values("space_type", "space_id", "n")
    )
    last = {
        (str(r["space_type"]), int(r["space_id"])): int(r["indexed"])
        for r in await IntegritySpace.all().values("space_type", "space_id", "indexed")
    }
    out = []
    for r in sizes:
        key, n = (str(r["space_type"]), int(r["space_id"])), int(r["n"])
        before = last.get(key, 0)
        if n >= minimum and n >= before * (1 + growth) and n > before:
            out.append((n, key))
    out.sort(key=lambda x: (-x[0], x[1]))
    return [key for _, key in out[:limit]]


async def texts(ids: Sequence[int]) -> dict[int, str]:
    """id -> raw text of these comments."""
    out: dict[int, str] = {}
    for chunk in _chunks(ids):
        for row in await Comment.filter(id__in=chunk).values("id", "body_raw"):
            out[int(row["id"])] = str(row["body_raw"])
    return out


MINE = 50


async def comments_of(user_id: int, limit: int = MINE) -> list[dict[str, Any]]:
    """A person's latest comments (not deleted), newest first: id, body_raw, excerpt (plain
    text), created_at, disowned (bool)."""
    rows = (
        await Comment.filter(author_id=user_id, deleted_at__isnull=True)
        .order_by("-created_at", "-id")
        .limit(limit)
        .values("id", "body_raw", "created_at")
    )
    ids = [int(r["id"]) for r in rows]
    gone = set(await ids_of(Disowned.filter(target_type="comment", target_id__in=ids), "target_id"))
    return [{**r, "excerpt": _excerpt(r["body_raw"]), "disowned": int(r["id"]) in gone}
            for r in rows]  # fmt: skip


def _excerpt(text: str, n: int = 300) -> str:
    words = " ".join(html.unescape(plain_text(text)).split())
    return words if len(words) <= n else words[: n - 1].rstrip() + "…"


async def disowned(target_type: str, target_id: int) -> Disowned | None:
    return await Disowned.get_or_none(target_type=target_type, target_id=target_id)
