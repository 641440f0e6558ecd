"""TEMPORARY: removed once consultations and petitions APIs use participation.web.api.

The JSON API toolkit: schemas are dataclasses; the same schema validates each response
and produces the OpenAPI 3 document.

    @dataclass
    class PetitionOut:
        id: int
        title: str
        count: int
        closes_at: datetime | None

    @operation(summary="One petition", response=PetitionOut, params=[Param("id", "path", int)])
    async def petition(request): ...
        return api_response(PetitionOut(...))

``openapi_document(routes)`` walks the route list for endpoints marked with ``operation``.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route


class SchemaError(ValueError):
    pass


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # "path" | "query"
    type: Any = str
    description: str = ""
    required: bool | None = None
    enum: Sequence[str] | None = None


@dataclass(frozen=True)
class Operation:
    summary: str
    response: Any
    params: Sequence[Param] = ()
    tags: Sequence[str] = ()
    description: str = ""


def operation(
    summary: str, response: Any, params: Sequence[Param] = (), tags: Sequence[str] = (),
    description: str = "",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:  # fmt: skip
    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__openapi__ = Operation(summary, response, params, tags, description)  # type: ignore[attr-defined]
        return fn

    return mark


@dataclass
class Page:
    """Marker for cursor-paginated lists: ``Page[Item]`` is written ``page_of(Item)``."""

    items: list[Any]
    next_cursor: str | None = None


_page_types: dict[type, type] = {}


def page_of(item: type) -> type:
    """A dataclass ``{items: [item], next_cursor: str | null}`` named after the item."""
    if item not in _page_types:
        _page_types[item] = dataclasses.make_dataclass(
            f"{item.__name__}Page",
            [("items", list[item]), ("next_cursor", str | None, field(default=None))],  # type: ignore[valid-type]
        )
    return _page_types[item]


# ---- JSON Schema from type hints ---------------------------------------------------------


def _ref(tp: type) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{tp.__name__}"}


def type_schema(tp: Any, components: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        non_null = [a for a in args if a is not type(None)]
        inner = (
            type_schema(non_null[0], components)
            if len(non_null) == 1
            else {"anyOf": [type_schema(a, components) for a in non_null]}
        )
        if type(None) in args:
            return (
                {"anyOf": [inner, {"type": "null"}]}
                if "$ref" in inner
                else {**inner, "type": [inner["type"], "null"]}
                if "type" in inner
                else {"anyOf": [inner, {"type": "null"}]}
            )
        return inner
    if origin in (list, Sequence, tuple):
        return {"type": "array", "items": type_schema(args[0], components)}
    if origin is dict:
        return {"type": "object", "additionalProperties": type_schema(args[1], components)}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is str:
        return {"type": "string"}
    if tp is datetime:
        return {"type": "string", "format": "date-time"}
    if tp is date:
        return {"type": "string", "format": "date"}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"type": "string", "enum": [m.value for m in tp]}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if tp.__name__ not in components:
            components[tp.__name__] = {}  # placeholder against recursion
            hints = typing.get_type_hints(tp)
            props = {f.name: type_schema(hints[f.name], components) for f in dataclasses.fields(tp)}
            components[tp.__name__] = {
                "type": "object",
                "properties": props,
                "required": [f.name for f in dataclasses.fields(tp)],
                "additionalProperties": False,
            }
        return _ref(tp)
    raise SchemaError(f"unsupported type in schema: {tp!r}")


# ---- validation and serialisation ---------------------------------------------------------


def to_json(value: Any, tp: Any, path: str = "$") -> Any:
    """Serialise ``value`` checking it against the type ``tp``; SchemaError on mismatch."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            if type(None) in args:
                return None
            raise SchemaError(f"{path}: null not allowed")
        for a in args:
            if a is type(None):
                continue
            try:
                return to_json(value, a, path)
            except SchemaError:
                continue
        raise SchemaError(f"{path}: {value!r} matches none of {tp}")
    if origin in (list, Sequence, tuple):
        if not isinstance(value, list | tuple):
            raise SchemaError(f"{path}: expected a list")
        return [to_json(v, args[0], f"{path}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise SchemaError(f"{path}: expected an object")
        return {str(k): to_json(v, args[1], f"{path}.{k}") for k, v in value.items()}
    if tp is bool:
        if not isinstance(value, bool):
            raise SchemaError(f"{path}: expected a boolean")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(f"{path}: expected an integer")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SchemaError(f"{path}: expected a number")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise SchemaError(f"{path}: expected a string")
        return value
    if tp is datetime:
        if not isinstance(value, datetime):
            raise SchemaError(f"{path}: expected a datetime")
        return value.isoformat()
    if tp is date:
        if not isinstance(value, date):
            raise SchemaError(f"{path}: expected a date")
        return value.isoformat()
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value).value
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(value, tp):
            raise SchemaError(f"{path}: expected {tp.__name__}")
        hints = typing.get_type_hints(tp)
        return {
            f.name: to_json(getattr(value, f.name), hints[f.name], f"{path}.{f.name}")
            for f in dataclasses.fields(tp)
        }
    raise SchemaError(f"{path}: unsupported type {tp!r}")


class ApiResponse(Response):
    media_type = "application/json"

    def __init__(self, content: Any, schema: Any = None, status_code: int = 200,
                 headers: dict[str, str] | None = None) -> None:  # fmt: skip
        tp = schema if schema is not None else type(content)
        data = to_json(content, tp)
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        super().__init__(body, status_code=status_code, headers=headers)


def api_response(content: Any, schema: Any = None, status_code: int = 200,
                 headers: dict[str, str] | None = None) -> ApiResponse:  # fmt: skip
    return ApiResponse(content, schema, status_code, headers)


# ---- OpenAPI ------------------------------------------------------------------------------


def _walk(routes: Sequence[BaseRoute], prefix: str = "") -> list[tuple[str, Route]]:
    out: list[tuple[str, Route]] = []
    for r in routes:
        if isinstance(r, Mount):
            out.extend(_walk(r.routes, prefix + r.path))
        elif isinstance(r, Route):
            out.append((prefix + r.path, r))
    return out


def openapi_document(routes: Sequence[BaseRoute], title: str, version: str) -> dict[str, Any]:
    components: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for path, route in _walk(routes):
        op: Operation | None = getattr(route.endpoint, "__openapi__", None)
        if op is None:
            continue
        params = []
        for p in op.params:
            schema = type_schema(p.type, components)
            if p.enum:
                schema = {**schema, "enum": list(p.enum)}
            params.append({
                "name": p.name, "in": p.location,
                "required": p.required if p.required is not None else p.location == "path",
                "description": p.description, "schema": schema,
            })  # fmt: skip
        clean_path = path.replace(":int", "").replace(":str", "")
        paths.setdefault(clean_path, {})["get"] = {
            "summary": op.summary,
            "description": op.description,
            "tags": list(op.tags),
            "operationId": route.name or route.endpoint.__name__,
            "parameters": params,
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {"schema": type_schema(op.response, components)}
                    },
                },
                "404": {"description": "Not found"},
            },
        }
    components["Error"] = {
        "type": "object",
        "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {"schemas": components},
    }
