"""The bare baseline endpoints of `make bench`: present only with BENCH_ENDPOINTS=1."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import post_form


@pytest.fixture
def bench_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_ENDPOINTS", "1")


async def test_the_bare_page_shows_fifty_comments_in_the_site_template(
    bench_endpoints: None, client: httpx.AsyncClient
) -> None:
    r = await client.get("/_bench/page?lang=fa")
    assert r.status_code == 200
    assert r.text.count('<li class="comment"') == 50
    assert r.text.count("the worst hour of the day. (") == 50  # every comment with its text
    assert 'dir="rtl"' in r.text
    assert 'rel="next"' in r.text  # the cursor walk of the bench follows it
    assert 'class="skip-link"' in r.text  # the base template's landmarks


async def test_the_bare_form_parses_the_post_and_redirects_with_303(
    bench_endpoints: None, client: httpx.AsyncClient
) -> None:
    r = await post_form(client, "/_bench/form", {"name": "A", "email": "a@example.org"})
    assert r.status_code == 303
    assert r.headers["location"].endswith("/_bench/page?fields=3")  # with the CSRF token


async def test_the_bare_form_is_refused_without_a_csrf_token(
    bench_endpoints: None, client: httpx.AsyncClient
) -> None:
    r = await client.post("/_bench/form", data={"name": "A"})
    assert r.status_code == 403


async def test_there_are_no_bench_endpoints_without_the_switch(client: httpx.AsyncClient) -> None:
    assert (await client.get("/_bench/page")).status_code == 404
