"""The section page: its comments, threaded and sorted, 50 a page by cursor; support/oppose;
the same number of database queries whatever the number of comments (no N+1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from consultations import queries
from participation.accounts.principal import Principal, load_principal
from participation.comments import services as comment_services
from participation.db import conn
from participation.settings import Settings
from participation.votes import services as vote_services
from participation.votes.models import Vote
from tests.conftest import login, post_form
from tests.factories import make_body, make_consultation, make_user


@contextmanager
def counting(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every SQL statement sent through the default connection while inside."""
    seen: list[str] = []
    cls = type(conn())
    for name in ("execute_query", "execute_query_dict"):
        original = getattr(cls, name)

        def wrap(original=original):  # type: ignore[no-untyped-def]
            async def counted(self, query, values=None):  # type: ignore[no-untyped-def]
                seen.append(query)
                return await original(self, query, values)

            return counted

        monkeypatch.setattr(cls, name, wrap())
    yield seen
    monkeypatch.undo()


async def people(n: int) -> list[Principal]:
    return [await load_principal((await make_user()).id, None) for _ in range(n)]


async def test_query_count_does_not_grow_with_comments(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads")
    section = (await queries.sections(c.id))[0]
    authors = await people(3)
    viewer = await make_user()
    await login(client, viewer.email)
    url = "/consultations/roads/sections/1"

    async def add(start: int, n: int) -> None:
        for i in range(start, start + n):
            top = await comment_services.post_comment(
                authors[i % 3], "section", section.id, f"Comment number {i}",
                stance=("for", "against", "neutral")[i % 3], settings=settings
            )  # fmt: skip
            reply = await comment_services.post_comment(
                authors[(i + 1) % 3],
                "section",
                section.id,
                f"Reply to {i}",
                parent_id=top.id,
                settings=settings,
            )
            await vote_services.cast_vote(authors[(i + 2) % 3], "comment", reply.id, 1)

    await add(0, 3)
    await client.get(url)  # warm: session, caches
    with counting(monkeypatch) as few:
        r = await client.get(url)
    assert r.status_code == 200 and "Reply to 2" in r.text
    await add(3, 60)
    with counting(monkeypatch) as many:
        r = await client.get(url)
    assert r.status_code == 200
    assert "Comment number 62" in r.text and "Comment number 12" not in r.text  # 50 a page
    assert len(many) == len(few), (len(few), len(many))


async def test_sorting_and_paging_by_cursor_with_plain_links(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads")
    section = (await queries.sections(c.id))[0]
    [author] = await people(1)
    for i in range(55):
        await comment_services.post_comment(
            author, "section", section.id, f"Remark {i:02d}", settings=settings
        )
    first = await client.get("/consultations/roads/sections/1?sort=oldest")
    assert first.status_code == 200
    assert "Remark 00" in first.text and "Remark 49" in first.text
    assert "Remark 50" not in first.text
    links = re.findall(r'href="([^"]*cursor=[^"]+)"', first.text)
    assert links, "a plain link to the next page"
    nxt = await client.get(links[0].replace("&amp;", "&"))
    assert "Remark 50" in nxt.text and "Remark 54" in nxt.text and "Remark 00" not in nxt.text
    for sort in ("newest", "supported", "contested"):
        r = await client.get(f"/consultations/roads/sections/1?sort={sort}&lang=fa")
        assert r.status_code == 200 and 'dir="rtl"' in r.text


async def test_support_and_oppose_a_section_once_changeable(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads")
    section = (await queries.sections(c.id))[0]
    citizen = await make_user()
    await login(client, citizen.email)
    page = "/consultations/roads/sections/1"
    for value in (1, 1, -1):
        r = await post_form(client, "/votes/cast", {
            "target_type": "section", "target_id": section.id, "value": value, "next": page,
        }, page=page)  # fmt: skip
        assert r.status_code == 303
    assert [v.value for v in await Vote.filter(target_type="section")] == [-1]
    r = await client.get(page)
    assert "0 support · 1 oppose" in r.text
    assert "You oppose this section." in r.text
