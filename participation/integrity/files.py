"""The platform's integrity checks over JSON Lines files, for analysts (no server, no database).

``participation integrity comments FILE``: one comment a line, ``{"id": ..., "text": ...}`` with
optional ``lang``, ``section``, ``stance`` (copies on other sections or with other stances are
still copies, so these do not separate groups). Prints ``{"groups": [[id, ...], ...]}``: the
near-duplicate groups of two or more, largest first, each in file order.

``participation integrity signatures FILE``: one signature a line in arrival order, with ``t``
(seconds since the first row, or an ISO 8601 time), ``name``, ``email``, ``region``, ``ip``,
``user_agent``. Prints ``{"flagged": [i, ...]}``: 0-based line numbers of the signatures the
platform would hold as suspect.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

import orjson

from participation.integrity import neardup, waves


class BadLine(ValueError):
    def __init__(self, number: int, problem: str) -> None:
        super().__init__(f"line {number}: {problem}")


def _objects(lines: Iterable[str | bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each line's JSON object with its line number; a bad line stops the run with both."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise BadLine(number, f"not JSON ({str(exc).split(':', 1)[0]})") from None
        if not isinstance(obj, dict):
            raise BadLine(number, "not a JSON object")
        yield number, obj


def comment_groups(lines: Iterable[str]) -> dict[str, list[list[Any]]]:
    ids: list[Any] = []
    seen: set[str] = set()

    def texts() -> Iterator[str]:
        for number, obj in _objects(lines):
            if "id" not in obj or not isinstance(obj.get("text"), str):
                raise BadLine(number, 'needs "id" and a "text" string')
            cid = obj["id"]
            key = json.dumps(cid)
            if key in seen:
                raise BadLine(number, f"id {key} appears twice")
            seen.add(key)
            ids.append(cid)
            yield obj["text"]  # parsed a chunk at a time; the texts themselves are not kept

    groups = neardup.group_texts(texts()).groups()
    return {"groups": [[ids[i] for i in g] for g in groups]}


def flagged_signatures(lines: Iterable[str | bytes]) -> dict[str, list[int]]:
    """Each line is parsed and reduced to its features at once (a million lines are never
    held as objects); a bad line stops the run with its number and what is wrong."""
    line_of = array("q")
    builder = waves.FeatureBuilder(strict=True)
    for number, obj in _objects(lines):
        try:
            builder.add(obj)
        except ValueError as exc:
            raise BadLine(number, str(exc)) from None
        line_of.append(number - 1)
    return {"flagged": [line_of[i] for i in waves.flagged(builder.features())]}


def _lines(stream: TextIO) -> Iterator[str | bytes]:
    """The stream's lines, as bytes straight from the file when it has them (no decoding to
    str first; orjson parses UTF-8 bytes and refuses bad UTF-8)."""
    raw = getattr(stream, "buffer", None)
    if raw is None:
        yield from stream
        return
    yield from raw


def run(kind: str, stream: TextIO, out: TextIO) -> None:
    result: dict[str, Any] = (
        comment_groups(stream) if kind == "comments" else flagged_signatures(_lines(stream))
    )
    json.dump(result, out, ensure_ascii=False)
    out.write("\n")
