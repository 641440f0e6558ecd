"""Finding one's way in a real browser: the main navigation on every page, each person's own
links, and signing in from a page that asks for it, then coming back to it; in English and
Persian, with JavaScript on and off, axe clean."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot

pytestmark = pytest.mark.browser

MAIN = ("/consultations/", "/petitions/", "/bodies/")


def _hrefs(page: Page, nav: str) -> list[str]:
    return [
        (a.get_attribute("href") or "").split("?")[0] for a in page.locator(f"nav.{nav} a").all()
    ]


def _sign_in(page: Page, address: str) -> None:
    form = page.locator("main form[method=post]")
    form.locator("input[name=email]").fill(address)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("js", [False, True], ids=["js-off", "js-on"])
@pytest.mark.parametrize("locale", ["en", "fa"])
def test_the_main_navigation_leads_to_each_section_and_marks_where_one_is(
    new_context: Callable[..., BrowserContext], locale: str, js: bool
) -> None:
    page = new_context(locale, js=js).new_page()
    page.goto("/")
    hrefs = _hrefs(page, "main-nav")
    for path in MAIN:
        assert any(h.endswith(path) for h in hrefs), (path, hrefs)
    account = _hrefs(page, "account-nav")
    assert any(h.endswith("/account/login") for h in account)
    assert any(h.endswith("/account/register") for h in account)
    for path in MAIN:
        page.locator(f"nav.main-nav a[href$='{path}']").click()
        page.wait_for_load_state()
        assert page.url.endswith(path)
        current = page.locator("nav.main-nav a[aria-current=page]")
        assert current.count() == 1 and (current.get_attribute("href") or "").endswith(path)
        assert page.locator("html").get_attribute("lang") == locale
        assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "fa" else "ltr")
        if js:
            assert_accessible(page)
    screenshot(page, f"navigation-{locale}")


@pytest.mark.parametrize(
    ("address", "own_pages"),
    [
        ("shahrvand@example.org", ["/account/profile"]),
        ("moderator@example.org", ["/moderation/", "/account/profile"]),
        ("admin@example.org", ["/admin/", "/account/profile"]),
        ("publisher@example.org", ["/consultations/new", "/account/profile"]),
    ],
)
def test_each_person_finds_their_own_pages_in_the_navigation(
    new_context: Callable[..., BrowserContext], address: str, own_pages: list[str]
) -> None:
    page = new_context("fa", js=False).new_page()
    page.goto("/account/login")
    _sign_in(page, address)
    hrefs = _hrefs(page, "account-nav")
    for path in own_pages:
        assert any(h.endswith(path) for h in hrefs), (path, hrefs)
    assert not any(h.endswith("/account/login") for h in hrefs)
    for path in own_pages:
        page.locator(f"nav.account-nav a[href$='{path}']").first.click()
        page.wait_for_load_state()
        assert page.url.split("?")[0].endswith(path), page.url


@pytest.mark.parametrize("js", [False, True], ids=["js-off", "js-on"])
@pytest.mark.parametrize("locale", ["en", "fa"])
def test_signing_in_from_a_page_that_asks_for_it_comes_back_to_that_page(
    new_context: Callable[..., BrowserContext], locale: str, js: bool
) -> None:
    page = new_context(locale, js=js).new_page()
    page.goto("/petitions/")
    # the "Sign in" link of any page brings one back to it
    page.locator("nav.account-nav a[href*='/account/login']").click()
    page.wait_for_load_state()
    assert "next=" in page.url
    if js:
        assert_accessible(page)
    _sign_in(page, "shahrvand@example.org")
    assert page.url.endswith("/petitions/")
    # a page only signed-in people may see asks to sign in, then shows itself
    page.locator("form[action$='/account/logout'] button").click()
    page.wait_for_load_state()
    page.goto("/account/profile")
    assert "/account/login" in page.url and "next=" in page.url
    _sign_in(page, "shahrvand@example.org")
    assert page.url.endswith("/account/profile")
    assert page.locator("main h1").is_visible()
