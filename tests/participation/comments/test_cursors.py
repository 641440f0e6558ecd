"""Comment cursors: what is encoded reads back; anything forged (garbage, another sort, a key
or id beyond its column's range) is the first page, never an error, on the section page, in
the API and in the queries."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from consultations import queries as consultation_queries
from participation.accounts.principal import load_principal
from participation.comments import queries, services
from participation.db import BIGINT_MAX, INT_MAX
from participation.settings import Settings
from tests.factories import make_body, make_consultation, make_user
from tests.participation.comments.fakehost import Hosts, as_principal

ZONES = st.integers(-23 * 60, 23 * 60).map(lambda m: timezone(timedelta(minutes=m)))
WHEN = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1), timezones=ZONES)
IDS = st.integers(0, BIGINT_MAX)
KEYS: dict[str, Any] = {
    "newest": WHEN,
    "oldest": WHEN,
    "supported": st.integers(-INT_MAX - 1, INT_MAX),
    "contested": st.integers(-BIGINT_MAX - 1, BIGINT_MAX),
}


def forged(*parts: object) -> str:
    raw = json.dumps(list(parts), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# beyond a column's range (PostgreSQL would refuse them as parameters), or not a key at all
FORGED = [
    forged("newest", "2026-01-01T00:00:00+00:00", 10**20),
    forged("newest", "2026-01-01T00:00:00+00:00", 2**63),
    forged("newest", "2026-01-01T00:00:00+00:00", -1),
    forged("newest", "0001-01-01T00:00:00+01:00", 1),  # before year 1 in UTC
    forged("newest", "9999-12-31T23:59:59-01:00", 1),  # after year 9999 in UTC
    forged("newest", "2026-01-01T00:00:00", 1),  # no time zone
    forged("supported", 10**20, 1),
    forged("supported", 2**31, 1),
    forged("supported", 5, 2**63),
    forged("contested", 2**63, 1),
    forged("contested", -(2**63) - 1, 1),
    forged("contested", 10**20, 10**20),
    forged("contested", True, 1),
    forged("supported", 1.5, 1),
    forged("oldest", None, None),
]


@given(st.data())
def test_a_cursor_reads_back_as_the_keys_it_was_made_of(data: st.DataObject) -> None:
    sort = data.draw(st.sampled_from(queries.SORTS))
    key, comment_id = data.draw(KEYS[sort]), data.draw(IDS)
    cursor = queries.encode_cursor(sort, key, comment_id)
    assert queries.decode_cursor(cursor, sort) == (key, comment_id)  # the same instant
    for other in queries.SORTS:
        if other != sort:
            assert queries.decode_cursor(cursor, other) is None


@given(st.one_of(st.text(max_size=300), st.binary(max_size=150).map(
    lambda b: base64.urlsafe_b64encode(b).decode().rstrip("="))),
    st.sampled_from(queries.SORTS))  # fmt: skip
def test_anything_else_is_no_cursor_and_never_an_error(cursor: str, sort: str) -> None:
    decoded = queries.decode_cursor(cursor, sort)
    assert decoded is None or (isinstance(decoded[1], int) and 0 <= decoded[1] <= BIGINT_MAX)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=6,
)


@given(st.sampled_from(queries.SORTS), JSON, JSON)
def test_a_forged_key_or_id_is_no_cursor_unless_its_column_holds_it(
    sort: str, key: object, comment_id: object
) -> None:
    decoded = queries.decode_cursor(forged(sort, key, comment_id), sort)
    if decoded is not None:
        got_key, got_id = decoded
        assert got_id == comment_id and 0 <= got_id <= BIGINT_MAX
        if sort in ("supported", "contested"):
            assert got_key == key and not isinstance(key, bool)


async def test_forged_cursors_give_the_first_page(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    for i in range(3):
        await services.post_comment(p, "fake", 1, f"Comment number {i}", settings=settings)
    for sort in queries.SORTS:
        first = [c.id for c in (await queries.comment_page("fake", 1, sort=sort)).items]
        for cursor in FORGED:
            page = await queries.comment_page("fake", 1, sort=sort, cursor=cursor)
            assert [c.id for c in page.items] == first, (sort, cursor)
    for cursor in FORGED:
        r = await client.get("/fake/fake/1", params={"sort": "contested", "cursor": cursor})
        assert r.status_code == 200 and "Comment number 0" in r.text


async def test_forged_cursors_on_the_section_page_and_in_the_api(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    body = await make_body()
    c = await make_consultation(body, slug="roads")
    section = (await consultation_queries.sections(c.id))[0]
    author = await load_principal((await make_user()).id, None)
    await services.post_comment(author, "section", section.id, "On the section",
                                settings=settings)  # fmt: skip
    page = "/consultations/roads/sections/1"
    api = "/api/v1/consultations/roads/sections/1/comments"
    for sort in queries.SORTS:
        for cursor in FORGED:
            r = await client.get(page, params={"sort": sort, "cursor": cursor})
            assert r.status_code == 200 and "On the section" in r.text, (sort, cursor)
            r = await client.get(api, params={"sort": sort, "cursor": cursor})
            assert r.status_code in (200, 400), (sort, cursor, r.status_code)
            if r.status_code == 200:
                assert [i["text"] for i in r.json()["items"]] == ["On the section"]


def test_a_cursor_of_another_time_zone_reads_as_the_same_instant_in_utc() -> None:
    when = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    tehran = when.astimezone(timezone(timedelta(hours=3, minutes=30)))
    key, _ = queries.decode_cursor(queries.encode_cursor("newest", tehran, 7), "newest") or (0, 0)
    assert key == when and key.utcoffset() == timedelta(0)
