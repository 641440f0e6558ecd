"""The API against its own document: schemathesis generates requests for every operation that
/api/v1/openapi.json lists, valid ones (within the document) and invalid ones (outside it),
sends them to the app and checks the answers with its checks: no 5xx, no status the document
does not declare, bodies and headers that match the schemas, valid requests accepted and
invalid ones refused. Half of the requests name things that exist (the world's open
consultation, its first section, the open petition), the rest whatever is generated.

Every GET route under /api/v1 must be in the document (a new one cannot escape)."""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Any

import hypothesis.strategies as st
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from tests.security.routes import endpoints
from tests.security.world import World

pytestmark = pytest.mark.asyncio(loop_scope="module")

MANY = settings(
    max_examples=int(os.environ.get("SECURITY_API_EXAMPLES", "20")), deadline=None,
    database=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)  # fmt: skip


@cache
def _document() -> dict[str, Any]:
    from participation.app import collect_routes
    from participation.web.api import openapi_document

    return openapi_document(collect_routes(), "Participation open data API", "1.0.0")


def _operations() -> list[tuple[str, str]]:
    return [(method.upper(), path) for path, item in _document()["paths"].items()
            for method in item]  # fmt: skip


def _can_be_wrong(method: str, path: str) -> bool:
    """An operation schemathesis can send an invalid request to: one with a query parameter
    or a path parameter that has a type or range to break (a free text slug in a path has
    nothing an HTTP client can send that the document forbids)."""
    params = _document()["paths"][path][method.lower()]["parameters"]
    return any(p["in"] == "query" or p["schema"].get("type") == "integer" for p in params)


CASES = [
    pytest.param(method, path, mode, id=f"{method}-{path}-{mode}")
    for method, path in _operations()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode == GenerationMode.POSITIVE or _can_be_wrong(method, path)
]


async def _schema(world: World) -> Any:
    r = await world.clients["anonymous"].get("/api/v1/openapi.json")
    assert r.status_code == 200
    return schemathesis.openapi.from_dict(r.json())


_strategies: dict[tuple[int, str, str, str, bool], Any] = {}


async def _strategy(world: World, method: str, path: str, mode: GenerationMode, real: bool) -> Any:
    key = (id(world), method, path, mode.value, real)
    if key not in _strategies:
        schema = await _schema(world)
        op = next(o.ok() for o in schema.get_all_operations()
                  if o.ok().method.upper() == method and o.ok().path == path)  # fmt: skip
        known = {"slug": world.names["open"]["id"], "number": "1",
                 "id": world.names["petition"]["id"]}  # fmt: skip
        fixed = {p.name: known[p.name] for p in op.path_parameters if p.name in known}
        _strategies[key] = op.as_strategy(
            generation_mode=mode, path_parameters=fixed if real and fixed else None
        )
    return _strategies[key]


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
@MANY
@given(data=st.data())
async def test_every_operation_answers_as_documented(
    world: World, method: str, path: str, mode: GenerationMode, data: st.DataObject
) -> None:
    # names that exist (half the valid requests): an invalid request needs its freedom, as
    # an operation may have nothing to get wrong but its path
    real = mode == GenerationMode.POSITIVE and data.draw(st.booleans(), label="real names")
    case = data.draw(await _strategy(world, method, path, mode, real))
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    kwargs.pop("cookies", None)
    response = await world.clients["anonymous"].request(**kwargs)
    case.validate_response(response)


def _largest(schema: dict[str, Any]) -> str | None:
    """The largest value a parameter's schema allows, when it says: its ``maximum``, a string
    of ``maxLength``, or the longest match of a pattern made of digits runs and literals."""
    for branch in schema.get("anyOf", [schema]):
        if "maximum" in branch:
            return str(branch["maximum"])
        pattern = branch.get("pattern", "")
        if re.fullmatch(r"\^(?:\[0-9\]\{\d+,\d+\}|[-_.a-z])+\$", pattern):
            return re.sub(r"\[0-9\]\{\d+,(\d+)\}", lambda m: "9" * int(m.group(1)), pattern[1:-1])
        if "maxLength" in branch and not pattern:
            return "a" * branch["maxLength"]
    return None


async def test_the_largest_values_the_document_allows_are_answered(world: World) -> None:
    """Deterministic edges of the random search above: each is allowed, so it is answered
    (200, or 404 when it names nothing), never refused as invalid."""
    problems = []
    for path, item in _document()["paths"].items():
        for param in item["get"]["parameters"]:
            value = _largest(param["schema"])
            if value is None:
                continue
            url = path.format(slug=world.names["open"]["id"], number=1,
                              id=world.names["petition"]["id"])  # fmt: skip
            if param["in"] == "path":
                url = path.replace("{" + param["name"] + "}", value).format(
                    slug=world.names["open"]["id"], number=1, id=world.names["petition"]["id"]
                )
                r = await world.clients["anonymous"].get(url)
            else:
                r = await world.clients["anonymous"].get(url, params={param["name"]: value})
            if r.status_code not in (200, 404):
                problems.append(f"{param['name']}={value[:30]} on {path}: {r.status_code}")
    assert not problems, "\n".join(problems)


async def test_every_api_route_is_in_the_document() -> None:
    documented = {(m, p) for m, p in _operations()}
    missing = [
        e.path for e in endpoints()
        if e.path.startswith("/api/v1/") and e.path != "/api/v1/openapi.json"
        and ("GET", e.path.replace(":int", "").replace(":bigid", "")) not in documented
    ]  # fmt: skip
    assert not missing, f"API routes missing from /api/v1/openapi.json: {missing}"
