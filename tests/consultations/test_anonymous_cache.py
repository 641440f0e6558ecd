"""Anonymous readers may be served a page's data from the read cache; signed-in people never
are, and a write committed through a service is visible to everyone at once."""

from __future__ import annotations

import re

import httpx
import pytest

from consultations import queries
from participation.accounts.principal import load_principal
from participation.caching import read_cache
from participation.comments import services as comment_services
from participation.comments.models import Comment
from participation.settings import Settings
from tests.conftest import login
from tests.consultations.test_section_page import counting
from tests.factories import make_body, make_consultation, make_user


async def test_section_page_for_anonymous_readers_comes_from_the_cache_until_a_commit(
    anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient],
    read_cache_on: None,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
) -> None:
    anonymous, member = anonymous_and_member
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads")
    section = (await queries.sections(c.id))[0]
    author = await load_principal((await make_user()).id, None)
    await comment_services.post_comment(
        author, "section", section.id, "The first remark", settings=settings
    )
    url = "/consultations/roads/sections/1"
    assert "The first remark" in (await anonymous.get(url)).text
    with counting(monkeypatch) as seen:
        again = await anonymous.get(url)
    assert again.status_code == 200 and "The first remark" in again.text
    assert seen == []  # no database work at all

    # a row written behind the services' back (no commit through transaction()):
    # anonymous readers keep the cached page, a signed-in reader reads the database
    first = await Comment.get(body_raw="The first remark")
    await Comment.filter(id=first.id).update(up_count=7)
    assert "7 up" not in (await anonymous.get(url)).text
    await login(member, (await make_user()).email)
    assert "7 up" in (await member.get(url)).text

    # another language is another entry
    fa = await anonymous.get(url + "?lang=fa")
    assert 'dir="rtl"' in fa.text and "7 up" not in fa.text

    # a comment posted through the service commits: everyone sees it on the next request
    await comment_services.post_comment(
        author, "section", section.id, "A second remark", settings=settings
    )
    after = await anonymous.get(url + "?lang=en")
    assert "A second remark" in after.text and "7 up" in after.text


async def test_the_next_page_of_comments_costs_one_query_once_the_page_head_is_cached(
    client: httpx.AsyncClient,
    read_cache_on: None,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads")
    section = (await queries.sections(c.id))[0]
    author = await load_principal((await make_user()).id, None)
    for i in range(55):
        await comment_services.post_comment(
            author, "section", section.id, f"Remark {i:02d}", settings=settings
        )
    url = "/consultations/roads/sections/1"
    first = await client.get(url + "?sort=oldest")
    assert "Remark 49" in first.text and "Remark 50" not in first.text
    [nxt] = re.findall(r'href="([^"]*cursor=[^"]+)" rel="next"', first.text)
    with counting(monkeypatch) as seen:
        r = await client.get(nxt.replace("&amp;", "&"))
    assert "Remark 50" in r.text and "Remark 54" in r.text and "Remark 49" not in r.text
    # the head came from the cache; the page itself is one query, or none when the read-ahead
    # started by the first page (participation.caching: prefetch) has finished already
    assert len(seen) <= 1 and all("comments" in q for q in seen), seen
    with counting(monkeypatch) as again:
        assert "Remark 54" in (await client.get(nxt.replace("&amp;", "&"))).text
    assert again == []
    # the thread kept for anonymous readers is the same for all of them: no form, no token
    threads = [v["thread_html"] for _, v in read_cache._data.values()
               if isinstance(v, dict) and "thread_html" in v]  # fmt: skip
    assert len(threads) == 2 and all("Remark" in t for t in threads)
    assert not any("csrf_token" in t or "<form" in t for t in threads)
