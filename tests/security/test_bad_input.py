"""Bad input everywhere, property-based: every path parameter of every route, every form field
of every form, every query parameter the code reads, given values no one should send (too long,
out of range, other digits, other encodings, forged cursors, NUL, huge numbers, deep JSON).
The app never answers 5xx, and a refused request changes nothing stored.

Requests are sent by a person allowed to make them (the authorisation table's "ok"), so that
the values reach the code behind the permission checks.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from participation.comments.models import Comment
from tests.security.routes import endpoint_of
from tests.security.test_authorisation import FORMS, ROWS, Row, outcome
from tests.security.world import ROLES, World, fingerprint

pytestmark = pytest.mark.asyncio(loop_scope="module")
ROOT = Path(__file__).resolve().parents[2]

# A few examples per target in `make test` (SECURITY_EXAMPLES=200 for a long hunt); no
# shrinking: the failing value is reported as it was drawn.
FEW = settings(
    max_examples=int(os.environ.get("SECURITY_EXAMPLES", "4")), deadline=None, database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.differing_executors],
)  # fmt: skip


def _cursor(*parts: object) -> str:
    raw = json.dumps(list(parts), separators=(",", ":"), allow_nan=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


HUGE = ["2147483648", "9223372036854775808", "1" + "0" * 20, "1" + "0" * 25, "9" * 400,
        "-9223372036854775809", "1e309", "NaN", "-Infinity", "0x7fffffff", "1_000"]  # fmt: skip
ODD = [
    "", " ", "0", "-1", "00001", "١٢٣", "۱۲۳", "１２３", "1.5", "a" * 81, "a" * 121, "a" * 255,
    "a" * 5000, "..", "../../../../etc/passwd", "\u202egnp.exe", "\u200b", "💥" * 50,
    "{{7*7}}", "{% debug %}", "<script>alert(1)</script>", "' OR 1=1 --", "\\", "\r\nX: y",
    "%", "%ff", "\x00", "\x01\x1f\x7f", "[" * 10_000, json.dumps({"a": float("nan")}),
]  # fmt: skip
CURSORS = [
    _cursor("newest", "2024-01-01T00:00:00+00:00", 10**20), _cursor("supported", 2**63, 1),
    _cursor("contested", -(2**63) - 1, 2**63), _cursor("oldest", "not a date", 1),
    _cursor("newest", None, None), _cursor("supported", 10**400, 10**400),
    _cursor(*[[]] * 3), "W1s" * 60, "99999999999999999999-1", "1-99999999999999999999", "-1--1",
    "١٢-٣", "1e9-2", base64.urlsafe_b64encode(b"[" * 5000).decode(),
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(HUGE + ODD + CURSORS),
    st.integers(-(2**80), 2**80).map(str),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=300),
    st.text(max_size=30).map(lambda s: s * 400),
)


def _rows(method: str) -> list[Row]:
    return [r for r in ROWS if r.method == method and r.path != "/account/logout"]


def _role(row: Row) -> str:
    return next((r for r in ROLES if row.expected[r] == "ok"), "citizen")


def _query_names() -> list[str]:
    """Every query parameter the code reads: ``query_params.get("x")``, ``q.get("x")`` after
    ``q = request.query_params``, the fields of the API's query models."""
    names = {"cursor", "sort", "lang"}
    for path in [*ROOT.glob("participation/**/*.py"), *ROOT.glob("consultations/*.py"),
                 *ROOT.glob("petitions/*.py")]:  # fmt: skip
        text = path.read_text()
        names |= set(re.findall(r'query_params(?:\.get\(|\[)"(\w+)"', text))
        if "q = request.query_params" in text:
            names |= set(re.findall(r'\bq(?:\.get\(|\[)"(\w+)"', text))
    from participation.web.api import Params

    stack = list(Params.__subclasses__())
    while stack:
        model = stack.pop()
        names |= set(model.model_fields)
        stack.extend(model.__subclasses__())
    return sorted(names)


QUERY_NAMES = _query_names()


async def _send(world: World, role: str, method: str, url: str, form: dict[str, str] | None,
                raw: str = "") -> httpx.Response:  # fmt: skip
    client = world.clients[role]
    if method == "GET":
        return await client.get(url)
    body = urlencode({"csrf_token": world.tokens[role], **(form or {})}) + raw
    return await client.post(
        url, content=body.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )


async def _check(world: World, role: str, method: str, url: str, form: dict[str, str] | None,
                 raw: str = "") -> None:  # fmt: skip
    before = await fingerprint() if method != "GET" else ""
    try:
        r = await _send(world, role, method, url, form, raw)
    except httpx.InvalidURL:
        return  # not a request a client can send
    assert r.status_code < 500, f"{method} {url} {form or ''}{raw} as {role}: {r.status_code}"
    if method != "GET" and outcome(r) != "ok":
        assert await fingerprint() == before, f"{method} {url} as {role}: refused, yet stored"
    if outcome(r) == "ok" and method != "GET":
        await world.refresh_token(role)


# ---- first, what must hold exactly (the searches below may change the world) ----------


async def test_a_reply_to_a_comment_that_cannot_exist_is_refused(world: World) -> None:
    """A parent id beyond the column's range is no parent: refused, not a top-level comment."""
    section = world.names["open"]["section"]
    for parent in ("1" + "0" * 25, str(2**63), "-1", "١٢"):
        before = await Comment.filter(target_type="section", target_id=int(section)).count()
        r = await world.clients["citizen"].post("/comments/reply", data={
            "csrf_token": world.tokens["citizen"], "target_type": "section",
            "target_id": section, "text": "A reply to nothing", "parent_id": parent,
        })  # fmt: skip
        assert r.status_code < 500
        after = await Comment.filter(target_type="section", target_id=int(section)).count()
        assert after == before, f"parent_id={parent}: stored ({r.status_code})"


async def test_slugs_too_long_to_exist_are_not_found(world: World) -> None:
    """A slug longer than its column is simply not found, on every route that takes one."""
    problems = []
    for row in _rows("GET") + _rows("POST"):
        e = endpoint_of(await world.resolve(row.path, {}))
        if e is None or "{slug}" not in e.path:
            continue
        index = e.path.split("/").index("{slug}")
        parts = (await world.resolve(row.path, {})).split("/")
        parts[index] = "s" * 121
        role = _role(row)
        r = await _send(world, role, row.method, "/".join(parts), {})
        if r.status_code != 404 and outcome(r) != "in":
            problems.append(f"{row.key} (slug of 121) as {role}: {r.status_code}")
    for url in ("/api/v1/consultations?body=" + "b" * 81, "/api/v1/petitions?body=" + "b" * 81):
        r = await world.clients["anonymous"].get(url)
        if r.status_code not in (200, 400):
            problems.append(f"GET {url[:50]}...: {r.status_code}")
    assert not problems, "\n".join(problems)


# ---- the searches ----------------------------------------------------------------------------


def _segments_with_params(row: Row) -> list[int]:
    e = endpoint_of(re.sub(r"\{[^}]+\}", "1", row.path))
    if e is None:  # a row naming no route: test_authorisation says so
        return []
    return [i for i, seg in enumerate(e.path.split("/")) if seg.startswith("{")]


PATH_TARGETS = [
    (row, i) for row in _rows("GET") + _rows("POST") for i in _segments_with_params(row)
]


@pytest.mark.parametrize(("row", "segment"), PATH_TARGETS,
                         ids=[f"{r.key} #{i}" for r, i in PATH_TARGETS])  # fmt: skip
@FEW
@given(value=VALUES, encode=st.booleans())
@example(value="9" * 30, encode=True)
@example(value="%ff%fe", encode=False)
async def test_path_parameters(
    world: World, row: Row, segment: int, value: str, encode: bool
) -> None:
    # a plain number may be the id of something of the world: a permitted POST would act on
    # it (suspend a person, revoke a role) and change the world under the next tests
    assume(row.method == "GET" or not re.fullmatch(r"\s*[0-9]{1,9}\s*", value))
    cache: dict[str, dict[str, str]] = {}
    parts = (await world.resolve(row.path, cache)).split("/")
    parts[segment] = quote(value, safe="") if encode or not value else value
    if not encode and (not value or "/" in value or "?" in value or "#" in value):
        parts[segment] = quote(value, safe="%")
    form = {await world.resolve(k, cache): await world.resolve(v, cache)
            for k, v in FORMS.get(row.key, {}).items()}  # fmt: skip
    await _check(world, _role(row), row.method, "/".join(parts), form)


@pytest.mark.parametrize("row", _rows("GET"), ids=repr)
@FEW
@given(values=st.dictionaries(st.sampled_from(QUERY_NAMES), VALUES, min_size=1))
@example(values={name: "9" * 30 for name in QUERY_NAMES})
@example(values={"cursor": _cursor("supported", 10**20, 2**63), "sort": "supported"})
async def test_query_parameters(world: World, row: Row, values: dict[str, str]) -> None:
    path = await world.resolve(row.path, {})
    await _check(world, _role(row), "GET", path + "?" + urlencode(values), None)


_RAW_SAFE = re.compile(r"[%\w.-]*")  # sent as it is, raw percent escapes included
FORM_ROWS = [row for row in _rows("POST") if FORMS.get(row.key)]


@pytest.mark.parametrize("row", FORM_ROWS, ids=repr)
@FEW
@given(data=st.data())
async def test_form_fields(world: World, row: Row, data: st.DataObject) -> None:
    cache: dict[str, dict[str, str]] = {}
    path = await world.resolve(row.path, cache)
    form = {await world.resolve(k, cache): await world.resolve(v, cache)
            for k, v in FORMS[row.key].items()}  # fmt: skip
    names = sorted(form) + ["unexpected"]
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    raw = ""
    for name in chosen:
        value = data.draw(VALUES, label=name)
        if data.draw(st.booleans(), label=f"{name} raw"):
            form.pop(name, None)
            raw += f"&{name}={value if _RAW_SAFE.fullmatch(value) else quote(value)}"
        else:
            form[name] = value
    await _check(world, _role(row), "POST", path, form, raw)


@pytest.mark.parametrize("row", _rows("POST"), ids=repr)
async def test_deep_json_bodies_are_refused(world: World, row: Row) -> None:
    role = _role(row)
    path = await world.resolve(row.path, {})
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000,
                 '{"n": NaN, "big": 1e999}'):  # fmt: skip
        before = await fingerprint()
        r = await world.clients[role].post(path, content=body.encode(), headers={
            "Content-Type": "application/json", "X-CSRF-Token": world.tokens[role]})  # fmt: skip
        assert r.status_code < 500, f"{row.key}: {r.status_code}"
        if outcome(r) != "ok":
            assert await fingerprint() == before, f"{row.key}: refused, yet something stored"
