"""The home page (the portal) in English and Persian: direction, accessibility, screenshots."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.browser

DIRECTION = {"en": "ltr", "fa": "rtl"}


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_home_page_speaks_the_visitors_language_and_has_no_serious_axe_violations(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale).new_page()
    response = page.goto("/")
    assert response is not None and response.status == 200
    html = page.locator("html")
    assert html.get_attribute("lang") == locale
    assert html.get_attribute("dir") == DIRECTION[locale]
    assert page.locator("main h1").count() >= 1
    assert page.get_by_role("navigation").count() >= 1
    assert_accessible(page)
    screenshot(page, f"home-{locale}")


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_language_switcher_works_without_javascript(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    other = "fa" if locale == "en" else "en"
    page = new_context(locale, js=False).new_page()
    page.goto("/")
    page.locator("#lang-select").select_option(other)
    page.locator("form.lang-switch button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == other
    assert page.locator("html").get_attribute("dir") == DIRECTION[other]
