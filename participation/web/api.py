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

Open data, once for every GET under /api/v1 (``OpenDataMiddleware``): an ``ETag`` (the hash of
the body) with 304 on ``If-None-Match``; ``Last-Modified`` where the endpoint gives it
(``api_response(..., last_modified=...)``) with 304 on ``If-Modified-Since``; and
``Access-Control-Allow-Origin: *`` (no credentials) so that any site may read the data. Other
methods, and a response that sets a cookie, get no CORS header. Lists are cursor-paginated
(``Page``, ``next_cursor``). A streamed response (a large export, ``media_type`` CSV or JSON)
is passed on as it comes, with CORS but no ETag (hashing it would hold it whole in memory).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
    media_type: str = "application/json"


def operation(
    summary: str, *, response: type[BaseModel], query: type[BaseModel] | None = None,
    path: type[BaseModel] | None = None, tags: Sequence[str] = (), description: str = "",
    errors: Mapping[int, str] | None = None, media_type: str = "application/json",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:  # fmt: skip
    """Marks an endpoint for the document; ``errors``: the other statuses it answers (status
    -> when), beyond 200, 400 (a bad query, a NUL byte) and 404 (nothing there)."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__openapi__ = Operation(  # type: ignore[attr-defined]
            summary, response, query, path, tags, description, dict(errors or {}), media_type
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
    content: BaseModel, status_code: int = 200, headers: dict[str, str] | None = None,
    last_modified: datetime | None = None,
) -> Response:  # fmt: skip
    """``content`` as JSON; ``last_modified``: when what it shows last changed (the
    ``Last-Modified`` header, and 304 on ``If-Modified-Since``)."""
    if last_modified is not None:
        headers = {**(headers or {}), "last-modified": http_date(last_modified)}
    return JSONModelResponse(content.model_dump_json(), status_code=status_code, headers=headers)


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


# ---- open data: ETag, Last-Modified, CORS on GET ------------------------------------------------

API_PREFIX = "/api/v1"
CORS_HEADERS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"ETag, Last-Modified"),
]


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _etag_matches(header: str, etag: str) -> bool:
    """``If-None-Match`` compares weakly: ``W/"x"`` matches ``"x"``; ``*`` matches any."""
    for candidate in header.split(","):
        c = candidate.strip()
        if c == "*" or c.removeprefix("W/") == etag:
            return True
    return False


def _not_modified_since(header: str, last_modified: str) -> bool:
    try:
        since = parsedate_to_datetime(header)
        changed = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None or changed.tzinfo is None:
        return False
    return changed <= since


class OpenDataMiddleware:
    """Every GET under /api/v1: ETag and 304, Last-Modified and 304, CORS for any origin.
    Placed inside ``CoreMiddleware`` (which serves HEAD as GET without the body)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not (path == API_PREFIX or path.startswith(API_PREFIX + "/"))
        ):
            await self.app(scope, receive, send)
            return
        request_headers = {k.lower(): v for k, v in scope.get("headers", [])}
        start: Message | None = None
        chunks: list[bytes] = []
        streaming = False

        async def buffer(message: Message) -> None:
            nonlocal start, streaming
            if streaming:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            if message.get("more_body") and not chunks:  # a stream: passed on, no ETag
                assert start is not None
                streaming = True
                await send({**start, "headers": OpenDataMiddleware._shared(start)})
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            assert start is not None
            await self._answer(start, b"".join(chunks), request_headers, send)

        await self.app(scope, receive, buffer)

    @staticmethod
    def _shared(start: Message) -> list[tuple[bytes, bytes]]:
        """The response's headers, with CORS unless it sets a cookie (its effect is not
        shared)."""
        headers = list(start.get("headers", []))
        if b"set-cookie" not in {k.lower() for k, _ in headers}:
            headers.extend(CORS_HEADERS)
            headers.append((b"vary", b"Accept-Language, Cookie"))
        return headers

    @staticmethod
    async def _answer(start: Message, body: bytes, request_headers: dict[bytes, bytes],
                      send: Send) -> None:  # fmt: skip
        status = start["status"]
        headers = OpenDataMiddleware._shared(start)
        if status == 200:
            etag = etag_of(body)
            headers.append((b"etag", etag.encode()))
            last_modified = next((v.decode() for k, v in headers if k.lower() == b"last-modified"),
                                 None)  # fmt: skip
            inm = request_headers.get(b"if-none-match")
            ims = request_headers.get(b"if-modified-since")
            if (inm is not None and _etag_matches(inm.decode("latin-1"), etag)) or (
                inm is None and ims is not None and last_modified is not None
                and _not_modified_since(ims.decode("latin-1"), last_modified)
            ):  # fmt: skip
                kept = [(k, v) for k, v in headers
                        if k.lower() not in (b"content-length", b"content-type")]  # fmt: skip
                await send({"type": "http.response.start", "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b""})
                return
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})


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
                "content": {op.media_type: {"schema": refs[(op.response, "serialization")]
                                            if op.media_type == "application/json"
                                            else {"type": "string"}}},
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
