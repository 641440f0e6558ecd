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
document); path parameters that cannot exist (too long, out of range) are a 404.
``openapi_document(routes)`` walks the routes for endpoints marked with ``operation``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


def operation(
    summary: str, *, response: type[BaseModel], query: type[BaseModel] | None = None,
    path: type[BaseModel] | None = None, tags: Sequence[str] = (), description: str = "",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:  # fmt: skip
    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__openapi__ = Operation(summary, response, query, path, tags, description)  # type: ignore[attr-defined]
        return fn

    return mark


def query_params(request: Request, model: type[M]) -> M:
    """The query string as ``model``; a value it refuses is a 400 naming the parameter."""
    raw: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        if "\x00" in value:
            raise HTTPException(400)
        raw.setdefault(key, value)
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


def _parameters(model: type[BaseModel] | None, where: str) -> list[dict[str, Any]]:
    if model is None:
        return []
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", ()))
    out = []
    for name, prop in schema.get("properties", {}).items():
        description = prop.pop("description", "")
        prop.pop("title", None)
        out.append({
            "name": name, "in": where, "required": where == "path" or name in required,
            "description": description, "schema": prop,
        })  # fmt: skip
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
            "404": {"description": "Not found", "content": error},
        }
        if op.query is not None:
            responses["400"] = {"description": "A query parameter is not valid", "content": error}
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
