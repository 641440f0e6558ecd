"""The JSON API's edge: pydantic models in, pydantic models out, OpenAPI 3.1 generated from them.

A domain's ``schemas.py`` holds its response models and its query and path parameter models
(subclasses of ``Schema``, ``Page`` and ``Params`` of ``participation.schemas``, free of HTTP);
its ``api.py`` marks each endpoint with what it takes and returns:

    class PetitionPath(BaseModel):
        id: int = Field(ge=0, le=INT_MAX)

    @operation("One petition", response=PetitionOut, path=PetitionPath, tags=["petitions"])
    async def petition(request):
        where = path_params(request, PetitionPath)      # 404 when it cannot exist
        ...
        return api_response(PetitionOut(...))

Query parameters that break their model are a 400 with the field named (declared in the
document); path parameters that cannot exist (too long, out of range) are a 404. An empty
query parameter counts as absent (``?body=`` from a form is no filter); one given twice is a
400. ``operation(..., errors={409: "why"})`` declares the other refusals an endpoint makes.
``openapi_document(routes)`` walks the routes for endpoints marked with ``operation``; the
document says all of this (``allowEmptyValue``, no NUL in a string, every status), so that a
request the document allows is answered and one it forbids is refused (checked by
tests/security/test_api_schema.py with schemathesis).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from participation.schemas import Page as Page  # the bases live free of HTTP, for schemas.py
from participation.schemas import Params as Params
from participation.schemas import Schema
from participation.web.errors import Refused

M = TypeVar("M", bound=BaseModel)


class ErrorOut(Schema):
    error: str
    detail: str


@dataclass(frozen=True)
class Operation:
    summary: str
    response: type[BaseModel]
    query: type[BaseModel] | None
    path: type[BaseModel] | None
    tags: Sequence[str]
    description: str
    errors: Mapping[int, str]


def operation(
    summary: str, *, response: type[BaseModel], query: type[BaseModel] | None = None,
    path: type[BaseModel] | None = None, tags: Sequence[str] = (), description: str = "",
    errors: Mapping[int, str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:  # fmt: skip
    """Marks an endpoint for the document; ``errors``: the other statuses it answers (status
    -> when), beyond 200, 400 (a bad query, a NUL byte) and 404 (nothing there)."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__openapi__ = Operation(  # type: ignore[attr-defined]
            summary, response, query, path, tags, description, dict(errors or {})
        )
        return fn

    return mark


def query_params(request: Request, model: type[M]) -> M:
    """The query string as ``model``; a value it refuses, or a parameter given twice, is a 400
    naming the parameter; an empty one is absent."""
    raw: dict[str, Any] = {}
    seen: set[str] = set()
    for key, value in request.query_params.multi_items():
        if "\x00" in value:
            raise HTTPException(400)
        if key in seen and key in model.model_fields:
            raise Refused(400, f"invalid query parameter: {key} (given more than once)")
        seen.add(key)
        if value != "":
            raw[key] = value
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        names = ", ".join(sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]}))
        raise Refused(400, f"invalid query parameter: {names}") from None


def path_params(request: Request, model: type[M]) -> M:
    """The path parameters as ``model``; a value that cannot exist is a 404."""
    try:
        return model.model_validate(dict(request.path_params))
    except ValidationError:
        raise HTTPException(404) from None


class JSONModelResponse(Response):
    media_type = "application/json"


def api_response(
    content: BaseModel, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return JSONModelResponse(content.model_dump_json(), status_code=status_code, headers=headers)


# ---- OpenAPI ------------------------------------------------------------------------------


def _walk(routes: Sequence[BaseRoute], prefix: str = "") -> list[tuple[str, Route]]:
    out: list[tuple[str, Route]] = []
    for r in routes:
        if isinstance(r, Mount):
            out.extend(_walk(r.routes, prefix + r.path))
        elif isinstance(r, Route):
            out.append((prefix + r.path, r))
    return out


REF = "#/components/schemas/{model}"


NO_NUL = "^[^\\u0000]*$"  # a NUL byte anywhere in a request is a 400 (the core middleware)


def _without_nul(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` where every free string (no pattern, no enum) excludes the NUL byte."""
    if schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
        schema = {**schema, "pattern": NO_NUL}
    for key in ("anyOf", "oneOf"):
        if key in schema:
            schema = {**schema, key: [_without_nul(s) for s in schema[key]]}
    return schema


def _parameters(model: type[BaseModel] | None, where: str) -> list[dict[str, Any]]:
    if model is None:
        return []
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", ()))
    out = []
    for name, prop in schema.get("properties", {}).items():
        description = prop.pop("description", "")
        prop.pop("title", None)
        param: dict[str, Any] = {
            "name": name, "in": where, "required": where == "path" or name in required,
            "description": description, "schema": _without_nul(prop),
        }  # fmt: skip
        if where == "query" and not param["required"]:
            param["allowEmptyValue"] = True  # empty counts as absent (``query_params``)
        out.append(param)
    return out


def openapi_document(routes: Sequence[BaseRoute], title: str, version: str) -> dict[str, Any]:
    found: list[tuple[str, Route, Operation]] = []
    for path, route in _walk(routes):
        op = getattr(route.endpoint, "__openapi__", None)
        if isinstance(op, Operation):
            found.append((path, route, op))
    models = [(op.response, "serialization") for _, _, op in found] + [(ErrorOut, "serialization")]
    refs, defs = models_json_schema(models, ref_template=REF)  # type: ignore[arg-type]
    paths: dict[str, Any] = {}
    error = {"application/json": {"schema": refs[(ErrorOut, "serialization")]}}
    for path, route, op in found:
        clean_path = path.replace(":int", "").replace(":str", "").replace(":bigid", "")
        responses: dict[str, Any] = {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": refs[(op.response, "serialization")]}},
            },
            "400": {"description": "A parameter is not valid, or a NUL byte was sent",
                    "content": error},
            "404": {"description": "Not found", "content": error},
        }  # fmt: skip
        for status, why in sorted(op.errors.items()):
            responses[str(status)] = {"description": why, "content": error}
        paths.setdefault(clean_path, {})["get"] = {
            "summary": op.summary,
            "description": op.description,
            "tags": list(op.tags),
            "operationId": route.name or route.endpoint.__name__,
            "parameters": _parameters(op.path, "path") + _parameters(op.query, "query"),
            "responses": responses,
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {})},
    }
