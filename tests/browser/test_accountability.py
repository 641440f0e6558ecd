"""Responses and commitments in a browser, in English and Persian: the public list, a
response ("we asked, you said, we did") and a commitment with its history, read by a visitor
and by the publisher who acts on them; axe clean.

The demo data (participation/accountability/seed.py) answers the closed consultation
"public-library-opening-hours" of the city, late, with two commitments in four languages; the
ministry's "street-lighting-in-residential-areas" is left unanswered, overdue."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot

pytestmark = pytest.mark.browser

PUBLISHER = "city@example.org"  # publisher of the city (participation/organisations/seed.py)


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_visitor_reads_a_response_and_a_commitment(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale).new_page()
    response = page.goto("/accountability/")
    assert response is not None and response.status == 200
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main a[href*='/accountability/responses/']").first.click()
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "fa" else "ltr")
    badge = page.locator("main header .badge").first.inner_text()
    assert ("late" in badge) == (locale == "en")  # "answered 3 days late", or its translation
    assert page.locator("main section.card").count() >= 2  # the whole, and each section
    assert_accessible(page)
    screenshot(page, f"accountability-response-{locale}")
    with page.expect_navigation():
        page.locator("main a[href*='/accountability/commitments/']").first.click()
    assert page.locator("main progress").count() == 1
    assert page.locator("#history li").count() >= 2
    assert_accessible(page)
    screenshot(page, f"accountability-commitment-{locale}")
    overdue = page.goto("/accountability/overdue")
    assert overdue is not None and overdue.status == 200
    # the demo's ministry consultation closed long ago, never answered
    assert ("overdue by" if locale == "en" else "روز گذشته از مهلت") in page.locator(
        "main"
    ).inner_text()
    assert_accessible(page)


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_the_publisher_sees_the_forms_and_they_are_accessible(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale).new_page()
    page.goto("/account/login?next=/accountability/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=email]").fill(PUBLISHER)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    with page.expect_navigation():
        page.locator("main a[href*='/accountability/responses/']").first.click()
    assert page.locator("form[action$='/debate']").count() == 1
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main a[href*='/accountability/commitments/']").first.click()
    assert page.locator("form[action$='/update']").count() == 1
    assert_accessible(page)
    screenshot(page, f"accountability-commitment-official-{locale}")


def test_a_publisher_has_one_way_to_answer_an_overdue_consultation(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context("fa", js=False).new_page()
    page.goto("/account/login?next=/consultations/street-lighting-in-residential-areas")
    form = page.locator("main form[method=post]")
    form.locator("input[name=email]").fill("publisher@example.org")  # the ministry's, in Persian
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/consultations/street-lighting-in-residential-areas" in page.url
    assert page.locator("html").get_attribute("dir") == "rtl"
    badge = page.locator("#accountability .badge").first.inner_text()
    assert "روز گذشته از مهلت" in badge and not any(ch.isascii() and ch.isdigit() for ch in badge)
    respond = page.locator("main a[href*='/accountability/respond/']")
    assert respond.count() == 1  # one way to respond
    assert page.locator("main a[href*='/outcome/response']").count() == 0
    assert_accessible(page)
    with page.expect_navigation():
        respond.click()
    assert page.locator("main form[method=post] textarea[name=summary]").count() == 1
    assert_accessible(page)
