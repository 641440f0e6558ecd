"""Finding one's way: the main navigation on every page, each person's own pages, sign-in that
comes back to where one was, and lists whose items do not run together."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from participation.organisations.models import Role
from tests.conftest import csrf_token, login
from tests.factories import make_body, make_consultation, make_moderator, make_official, make_user


def _nav(html: str, label_class: str) -> str:
    m = re.search(rf'<nav class="{label_class}"[^>]*>(.*?)</nav>', html, re.S)
    assert m, f"no <nav class={label_class}>"
    return m.group(1)


def _links(nav: str) -> dict[str, str]:
    """href -> the link's attributes and text, for each link of a navigation."""
    return {
        m.group(1): m.group(0)
        for m in re.finditer(r'<a href="http://testserver([^"]*)"[^>]*>.*?</a>', nav, re.S)
    }


PAGES = ["/", "/consultations/", "/petitions/", "/bodies/", "/audit/", "/account/login"]


@pytest.mark.parametrize("locale", ["en", "fa"])
async def test_every_page_has_the_main_navigation_without_script(
    client: httpx.AsyncClient, locale: str
) -> None:
    for path in PAGES:
        r = await client.get(path, headers={"Accept-Language": locale})
        assert r.status_code == 200, path
        main = _nav(r.text, "main-nav")
        assert set(_links(main)) >= {"/consultations/", "/petitions/", "/bodies/"}, path
        assert "<script" not in r.text
        assert f'<html lang="{locale}" dir="{"rtl" if locale == "fa" else "ltr"}">' in r.text


async def test_the_section_being_read_is_marked_current(client: httpx.AsyncClient) -> None:
    body = await make_body("city", name="City")
    c = await make_consultation(body)
    r = await client.get("/consultations/")
    links = _links(_nav(r.text, "main-nav"))
    assert 'aria-current="page"' in links["/consultations/"]
    assert "aria-current" not in links["/petitions/"]
    r = await client.get(f"/consultations/{c.slug}")
    assert 'aria-current="true"' in _links(_nav(r.text, "main-nav"))["/consultations/"]
    r = await client.get("/bodies/")
    assert 'aria-current="page"' in _links(_nav(r.text, "main-nav"))["/bodies/"]
    assert "City" in r.text  # the bodies index lists the bodies


async def test_each_person_finds_their_own_pages(app: Starlette) -> None:
    body = await make_body()
    people = {
        "citizen": await make_user("citizen@example.org"),
        "official": await make_official(body, Role.EDITOR, email="official@example.org"),
        "moderator": await make_moderator(None, email="moderator@example.org"),
        "admin": await make_user("admin@example.org", admin=True),
    }
    expected = {
        "citizen": {"/account/profile"},
        "official": {"/account/profile", "/consultations/new"},
        "moderator": {"/account/profile", "/moderation/", "/petitions/moderation"},
        # administrators may moderate, everywhere (participation.accounts.principal)
        "admin": {"/account/profile", "/admin/", "/moderation/", "/petitions/moderation"},
    }
    own = {"/consultations/new", "/moderation/", "/petitions/moderation", "/admin/"}
    for role, user in people.items():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            await login(c, user.email)
            r = await c.get("/")
            links = set(_links(_nav(r.text, "account-nav")))
            assert expected[role] <= links, role
            assert not (own - expected[role]) & links, role
            for path in expected[role]:
                assert (await c.get(path)).status_code == 200, (role, path)


async def test_sign_in_from_the_header_comes_back_to_the_page(
    client: httpx.AsyncClient,
) -> None:
    await make_user("reader@example.org")
    r = await client.get("/petitions/")
    sign_in = next(h for h in _links(_nav(r.text, "account-nav")) if h.startswith("/account/login"))
    assert parse_qs(urlsplit(sign_in).query)["next"] == ["/petitions/"]
    token = await csrf_token(client, sign_in)
    r = await client.post(
        "/account/login",
        data={"csrf_token": token, "email": "reader@example.org", "password": "password123",
              "next": "/petitions/"},
    )  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].endswith("/petitions/")


async def test_a_signed_out_page_leads_to_sign_in_and_back_with_its_query(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get("/account/profile?tab=1")
    assert r.status_code == 303
    assert parse_qs(urlsplit(r.headers["location"]).query)["next"] == ["/account/profile?tab=1"]


async def _vote_signed_out(client: httpx.AsyncClient, referer: str) -> httpx.Response:
    body = await make_body()
    c = await make_consultation(body)
    token = await csrf_token(client, f"/consultations/{c.slug}")
    data = {"csrf_token": token, "target_type": "consultation", "target_id": str(c.id),
            "value": "1"}  # fmt: skip
    return await client.post("/votes/cast", data=data, headers={"Referer": referer})


def _sign_in_link(page: str) -> str:
    m = re.search(r'<a class="button" href="([^"]+)"', page)
    assert m, "no sign-in offered"
    return m.group(1).replace("&amp;", "&")


async def test_a_form_sent_signed_out_offers_sign_in_and_return_to_its_page(
    client: httpx.AsyncClient,
) -> None:
    r = await _vote_signed_out(client, "http://testserver/consultations/x?sort=oldest")
    assert r.status_code == 401
    assert "<script" not in r.text
    query = parse_qs(urlsplit(_sign_in_link(r.text)).query)
    assert query["next"] == ["/consultations/x?sort=oldest"]


@pytest.mark.parametrize(
    "referer", ["http://evil.example/phish", "https://evil.example//testserver/", "", "nonsense"]
)
async def test_the_way_back_after_sign_in_never_leaves_the_site(
    client: httpx.AsyncClient, referer: str
) -> None:
    r = await _vote_signed_out(client, referer)
    assert r.status_code == 401
    link = _sign_in_link(r.text)
    assert urlsplit(link).path == "/account/login"
    assert "next" not in parse_qs(urlsplit(link).query)
    assert "evil.example" not in r.text


async def test_comment_sort_choices_are_separate_items(client: httpx.AsyncClient) -> None:
    body = await make_body()
    c = await make_consultation(body)
    r = await client.get(f"/consultations/{c.slug}", headers={"Accept-Language": "en"})
    sort = _nav(r.text, "comment-sort")
    items = re.findall(r"<li>(.*?)</li>", sort, re.S)
    texts = [re.sub(r"<[^>]+>", "", i).strip() for i in items]
    assert texts == ["Newest", "Oldest", "Most supported", "Most contested"]
