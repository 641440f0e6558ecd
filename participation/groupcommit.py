"""Group commit (PostgreSQL): requests arriving at the same moment share one write.

Each request queues its item with ``submit`` and waits; one task takes up to ``max_batch``
queued items at a time and hands them to the subclass's ``_write``, with at most ``in_flight``
batches being written at once; whatever arrives meanwhile forms the next batch. ``_write``
writes its batch (one statement, its own transaction), releases its slot with
``self.slots.release()`` once the statement has returned (exactly once, also when it fails),
and settles every future of its batch: a request answers only after its row is committed.

Used by signing (``petitions.signing.SignatureBatcher``) and by posting
(``participation.comments.batching.CommentBatcher``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
B = TypeVar("B", bound="GroupCommit")  # type: ignore[type-arg]


class GroupCommit(Generic[T, R]):
    """One process's group commit of items ``T``, each answered with an ``R``."""

    def __init__(self, max_batch: int, in_flight: int) -> None:
        self.max_batch = max_batch
        self.queue: list[tuple[T, asyncio.Future[R]]] = []
        self.slots = asyncio.Semaphore(in_flight)
        self.task: asyncio.Task[None] | None = None
        self.writing: set[asyncio.Task[None]] = set()
        self.batches = 0

    async def submit(self, item: T) -> R:
        """What ``_write`` answers for ``item``, once the statement holding it committed."""
        fut: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self.queue.append((item, fut))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run())
        return await fut

    async def _run(self) -> None:
        while self.queue:
            await self.slots.acquire()
            if not self.queue:
                self.slots.release()
                break
            batch, self.queue = self.queue[: self.max_batch], self.queue[self.max_batch :]
            task = asyncio.create_task(self._write(batch))
            self.writing.add(task)
            task.add_done_callback(self.writing.discard)

    async def _write(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        raise NotImplementedError


def per_loop(registry: dict[int, B], make: Callable[[], B]) -> B:
    """The group commit of this event loop, kept in ``registry`` (one per process in
    production; each test has a fresh loop, and an old loop's one is dropped)."""
    loop = asyncio.get_running_loop()
    found = registry.get(id(loop))
    if found is None:
        registry.clear()
        found = registry[id(loop)] = make()
    return found
