"""The scoreboard and the public audit log in a browser, in English and Persian (the pages
have no script; axe-core is injected, which hung in Chromium with JavaScript switched off on
served pages at the time of writing): the ranking of the demo's bodies, one body's figures and history by quarter, the
audit log filtered by a body; right to left and in Persian digits in Persian; axe clean.

The demo's seed computes the scoreboard (participation/accountability/seed.py): the city
answered its consultation late, so it is ranked with one answer given late."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.browser

ASCII_DIGIT = re.compile(r"[0-9]")


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_visitor_reads_the_scoreboard_and_a_bodys_figures(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale).new_page()
    response = page.goto("/accountability/scoreboard")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "fa" else "ltr")
    rows = page.locator("main table.scoreboard tbody tr")
    assert rows.count() >= 2
    first_rank = rows.first.locator("td").first.inner_text().strip()
    assert first_rank == ("1" if locale == "en" else "۱")
    assert_accessible(page)
    screenshot(page, f"scoreboard-{locale}")
    with page.expect_navigation():
        rows.first.locator("th a").click()
    assert "/accountability/scoreboard/" in page.url
    figures = page.locator("main dl.figures").first.inner_text()
    if locale == "fa":
        assert not ASCII_DIGIT.search(figures), figures  # Persian digits
    assert page.locator("main table tbody tr").count() >= 1  # the history by quarter
    assert_accessible(page)
    screenshot(page, f"scoreboard-body-{locale}")


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_visitor_filters_the_audit_log_by_body(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale).new_page()
    response = page.goto("/audit/")
    assert response is not None and response.status == 200
    assert page.locator("main table.audit-log tbody tr").count() >= 1
    assert_accessible(page)
    options = page.locator("#f-body option")
    assert options.count() >= 2
    page.select_option("#f-body", index=1)
    with page.expect_navigation():
        page.locator("main form.filters button[type=submit]").click()
    assert "body=" in page.url
    assert_accessible(page)
    screenshot(page, f"audit-log-{locale}")
