"""Writes of integrity: placing new comments in the near-duplicate index (the indexing job),
rebuilding a space's index, and disowning an item made in one's name (``disown``).

**Placing a comment** (``place_comment``), in one transaction that also moves the watermark
past it: the comment's fingerprint is compared with the representatives of the clusters of its
space that share an LSH band (or its exact words) with it; it joins the one it verifies against
best, or starts its own. The watermark row is locked first, so two runs of the job never place
the same comment, and a run that dies leaves either both the rows and the watermark or
neither: the next run goes on from there, and gives the same clusters.

**Write path.** Nothing here runs when a comment is posted: the job reads new comments every
``tasks.INDEX_EVERY`` seconds, so posting costs nothing more and a growing campaign shows in
the moderation queue within a minute.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from participation.accounts.principal import Principal
from participation.audit.services import record
from participation.comments import queries as comment_queries
from participation.comments.targets import find_host
from participation.db import transaction
from participation.errors import NotFound, NotSignedIn
from participation.i18n import gettext as _
from participation.integrity import index, queries
from participation.integrity.models import (
    CommentBand,
    CommentCluster,
    Disowned,
    IndexedComment,
    IntegritySpace,
    IntegrityWatermark,
)
from participation.moderation import queries as moderation_queries
from participation.moderation import services as moderation
from participation.moderation.models import HELD, HiddenKind
from participation.moderation.targets import moderated

log = logging.getLogger("participation.integrity")

COMMENTS = "comments"  # the watermark's name
BATCH = 500
MAX_PER_RUN = 20_000


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Run:
    """What one run of the indexing job keeps between comments: word codes, spaces of
    targets, common sentences of spaces."""

    memo: dict[str, int] = field(default_factory=dict)
    spaces: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    common: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    placed: int = 0
    failed: int = 0


async def space_of(target_type: str, target_id: int, run: Run | None = None) -> tuple[str, int]:
    """The space a target's comments are grouped in: its moderation space (a consultation
    for its sections), else the target itself."""
    key = (target_type, int(target_id))
    if run is not None and key in run.spaces:
        return run.spaces[key]
    space = key
    host = find_host(target_type)
    target = await host.load(int(target_id)) if host is not None else None
    if host is not None and target is not None:
        s = await host.moderation_space(target)
        if s.type and s.id is not None:
            space = (s.type, int(s.id))
    if run is not None:
        run.spaces[key] = space
    return space


async def _watermark_row() -> int:
    """The id of the comments' watermark row, created if needed."""
    row = await IntegrityWatermark.get_or_none(name=COMMENTS)
    if row is None:
        try:
            async with transaction():
                row = await IntegrityWatermark.create(name=COMMENTS, last_id=0)
        except IntegrityError:  # a concurrent run created it
            row = await IntegrityWatermark.get(name=COMMENTS)
    return int(row.id)


async def _claim(watermark_id: int, comment_id: int) -> bool:
    """Lock the watermark (inside a transaction); False when this comment is behind it."""
    wm = await IntegrityWatermark.filter(id=watermark_id).select_for_update().first()
    return wm is not None and wm.last_id < comment_id


async def _advance(watermark_id: int, comment_id: int) -> None:
    await IntegrityWatermark.filter(id=watermark_id).update(last_id=comment_id, updated_at=_now())


async def _prepared(row: dict[str, Any], run: Run) -> tuple[tuple[str, int], index.Prepared]:
    space = await space_of(row["target_type"], row["target_id"], run)
    if space not in run.common:
        run.common[space] = await queries.space_common(*space)
    return space, index.prepare(row["body_raw"] or "", run.memo, run.common[space])


async def place_comment(row: dict[str, Any], watermark_id: int, run: Run) -> str:
    """Place one comment (``queries.comments_after`` row) in its space's index and move the
    watermark past it, in one transaction: "placed", "short" (too short to compare: kept,
    never grouped) or "behind" (another run did it)."""
    cid = int(row["id"])
    space, prepared = await _prepared(row, run)
    async with transaction():
        if not await _claim(watermark_id, cid):
            return "behind"
        if await queries.is_indexed(cid):  # a rebuild read it already
            await _advance(watermark_id, cid)
            return "placed"
        outcome = await _place(cid, row, space, prepared)
        await _advance(watermark_id, cid)
    return outcome


async def place_late_comment(row: dict[str, Any], watermark_id: int, run: Run) -> str:
    """Place a comment the watermark passed before it was committed (its transaction took
    its id before another's and committed after it): "placed", "short", or "done" (placed
    meanwhile). Under the watermark's lock, which it leaves where it is."""
    cid = int(row["id"])
    space, prepared = await _prepared(row, run)
    async with transaction():
        await IntegrityWatermark.filter(id=watermark_id).select_for_update().first()
        if await queries.is_indexed(cid):
            return "done"
        return await _place(cid, row, space, prepared)


async def _place(cid: int, row: dict[str, Any], space: tuple[str, int],
                 prepared: index.Prepared) -> str:  # fmt: skip
    space_type, space_id = space
    at = row["created_at"]
    common = dict(
        comment_id=cid, target_type=row["target_type"], target_id=int(row["target_id"]),
        space_type=space_type, space_id=space_id, exact=prepared.exact, created_at=at,
    )  # fmt: skip
    if not prepared.fp.informative:
        await IndexedComment.create(**common, informative=False)
        return "short"
    # the hash of its words is claimed like a band key: exact copies find their cluster too
    keys = (prepared.exact, *prepared.keys)
    claimed = await queries.band_clusters(space_type, space_id, keys)
    order = list(dict.fromkeys(claimed[k] for k in keys if k in claimed))
    reps = {c: index.stored(*v) for c, v in (await queries.representatives(order)).items()}
    best = index.best_cluster(prepared.fp, reps, order)
    if best < 0:
        cluster = await CommentCluster.create(
            space_type=space_type, space_id=space_id, representative_id=cid, size=1,
            first_at=at, last_at=at,
        )  # fmt: skip
        best = int(cluster.id)
    else:
        found = await CommentCluster.get(id=best)
        await CommentCluster.filter(id=best).update(
            size=found.size + 1, first_at=min(found.first_at, at), last_at=max(found.last_at, at)
        )
    await IndexedComment.create(
        **common, informative=True, cluster_id=best, tokens=prepared.tokens,
        content=prepared.content,
    )  # fmt: skip
    new_keys = [k for k in dict.fromkeys(keys) if k not in claimed]
    if new_keys:
        await CommentBand.bulk_create([
            CommentBand(space_type=space_type, space_id=space_id, key=k, cluster_id=best)
            for k in new_keys
        ])  # fmt: skip
    return "placed"


async def _skip(watermark_id: int, row: dict[str, Any]) -> None:
    """A comment that could not be placed: kept as not comparable (a rebuild of its space
    looks at it again) and passed, so that one bad row does not stop the index."""
    cid = int(row["id"])
    async with transaction():
        if not await _claim(watermark_id, cid):
            return
        if not await queries.is_indexed(cid):
            await IndexedComment.create(
                comment_id=cid, target_type=row["target_type"], target_id=int(row["target_id"]),
                space_type=row["target_type"], space_id=int(row["target_id"]),
                created_at=row["created_at"], informative=False,
            )  # fmt: skip
        await _advance(watermark_id, cid)


async def index_new_comments(limit: int = MAX_PER_RUN) -> Run:
    """Place the comments written since the watermark, each on its own (one that fails is
    logged and passed), at most ``limit`` in one run."""
    run = Run()
    watermark_id = await _watermark_row()
    done = 0
    while done < limit:
        rows = await queries.comments_after(await queries.watermark(COMMENTS), BATCH)
        if not rows:
            break
        for row in rows:
            try:
                await place_comment(row, watermark_id, run)
                run.placed += 1
            except Exception:
                log.exception("integrity: comment %s could not be placed", row["id"])
                run.failed += 1
                await _skip(watermark_id, row)
            done += 1
    return run


async def index_late_comments(limit: int = MAX_PER_RUN) -> Run:
    """Place the comments behind the watermark that are not in the index (committed after a
    later one was read), each on its own; the hourly sweep."""
    run = Run()
    watermark_id = await _watermark_row()
    for row in await queries.unindexed_before(await queries.watermark(COMMENTS), limit):
        try:
            await place_late_comment(row, watermark_id, run)
            run.placed += 1
        except Exception:
            log.exception("integrity: late comment %s could not be placed", row["id"])
            run.failed += 1
    return run


async def rebuild_space(space_type: str, space_id: int, known: list[int] | None = None) -> int:
    """The full rebuild of one space's index from its comments' texts (the bulk grouping,
    which also finds the sentences common in the space and the spun copies the incremental
    placing may miss). Replaces the space's clusters in one transaction, under the
    watermark's lock; returns the number of groups (two or more)."""
    rows = await queries.space_comments(space_type, space_id)
    built = index.build(rows, known or ())
    placed = {c.comment_id: c for c in built.comments}
    at = {int(r["id"]): r for r in await _created(list(placed))}
    watermark_id = await _watermark_row()
    async with transaction():
        await IntegrityWatermark.filter(id=watermark_id).select_for_update().first()
        ids = await queries.ids_of(
            CommentCluster.filter(space_type=space_type, space_id=space_id), "id"
        )
        await IndexedComment.filter(comment_id__in=list(placed)).update(cluster_id=None)
        await CommentBand.filter(space_type=space_type, space_id=space_id).delete()
        await CommentCluster.filter(id__in=ids).delete()
        members: dict[int, list[int]] = {}
        for c in built.comments:
            if c.cluster >= 0:
                members.setdefault(c.cluster, []).append(c.comment_id)
        cluster_ids: dict[int, int] = {}
        for n, rep in enumerate(built.representatives):
            times = [at[m]["created_at"] for m in members.get(n, [rep]) if m in at]
            created = await CommentCluster.create(
                space_type=space_type, space_id=space_id, representative_id=rep,
                size=len(members.get(n, [])), first_at=min(times), last_at=max(times),
            )  # fmt: skip
            cluster_ids[n] = int(created.id)
        for c in built.comments:
            await IndexedComment.filter(comment_id=c.comment_id).update(
                cluster_id=cluster_ids.get(c.cluster), informative=c.informative,
                exact=c.exact, tokens=c.tokens or None, content=c.content or None,
            )  # fmt: skip
        await CommentBand.bulk_create([
            CommentBand(space_type=space_type, space_id=space_id, key=k, cluster_id=cluster_ids[c])
            for k, c in built.bands.items()
        ], batch_size=1000)  # fmt: skip
        space_row = await IntegritySpace.get_or_none(space_type=space_type, space_id=space_id)
        if space_row is None:
            await IntegritySpace.create(space_type=space_type, space_id=space_id,
                                        common=built.common, rebuilt_at=_now(),
                                        indexed=len(rows))  # fmt: skip
        else:
            await IntegritySpace.filter(id=space_row.id).update(
                common=built.common, rebuilt_at=_now(), indexed=len(rows)
            )
    return sum(1 for ms in members.values() if len(ms) >= 2)


async def _created(ids: list[int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(0, len(ids), 1000):
        out += await IndexedComment.filter(comment_id__in=ids[i : i + 1000]).values(
            "comment_id", "created_at"
        )
    return [{"id": r["comment_id"], "created_at": r["created_at"]} for r in out]


# ---- "I did not write / sign this" ----------------------------------------------------------------


async def record_disowned(target_type: str, target_id: int, via: str) -> bool:
    """Mark an item disowned, once (inside the caller's transaction, which also takes it out
    of the counts and audits it). False when it was already."""
    if await queries.disowned(target_type, target_id) is not None:
        return False
    try:
        async with transaction():
            await Disowned.create(target_type=target_type, target_id=target_id,
                                  created_at=_now(), via=via)  # fmt: skip
    except IntegrityError:  # disowned at the same moment
        return False
    return True


async def disown_comment(principal: Principal, comment_id: int) -> bool:
    """The signed-in author says they did not write this comment (someone used their
    account): it is held for a moderator's review (others no longer see it; counts and
    reports leave it out), marked and audited. False when it was disowned already."""
    if not principal.authenticated or principal.id is None:
        raise NotSignedIn(_("Please sign in first."))
    comment = await comment_queries.comment_by_id(int(comment_id))
    if comment is None or comment.author_id != principal.id or comment.deleted_at is not None:
        raise NotFound(_("We could not find this comment."))
    item = await moderated("comment", comment.id)
    if item is None:
        raise NotFound(_("We could not find this comment."))
    async with transaction():
        if not await record_disowned("comment", comment.id, "account"):
            return False
        state = await moderation_queries.state_of("comment", comment.id)
        if state is None or state.hidden_at is None or state.hidden_kind in HELD:
            await moderation.hold("comment", comment.id, item, HiddenKind.PENDING)
        await record(principal.id, "integrity.disown", "comment", comment.id, {"via": "account"})
    return True


REBUILD_MIN = 50  # a space is rebuilt once it has this many comments ...
REBUILD_GROWTH = 0.25  # ... and grew by this share since its last rebuild


async def rebuild_grown_spaces(limit: int = 20) -> dict[tuple[str, int], int]:
    """Rebuild the spaces whose index grew much since their last rebuild (the bulk grouping
    finds the sentences common in a space and the spun copies placing one by one may miss),
    each on its own: one that fails is logged and the others go on. Space -> its groups."""
    done: dict[tuple[str, int], int] = {}
    for space_type, space_id in await queries.grown_spaces(REBUILD_MIN, REBUILD_GROWTH, limit):
        try:
            done[(space_type, space_id)] = await rebuild_space(space_type, space_id)
        except Exception:
            log.exception("integrity: rebuilding %s %s failed", space_type, space_id)
    return done
