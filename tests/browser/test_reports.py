"""The feedback report page in a browser, JavaScript off, in English and Persian: charts
drawn on the server (SVG with a table beside each), right to left in Persian with its digits;
its officials' build controls and files-with-names page too. axe-core runs in a second,
JavaScript-on browser on the same pages (axe is a script: it cannot run where scripts are
off; the pages have none, so they are the same pages).

The demo data gives the closed consultation "public-library-opening-hours" with a built
report (consultations/seed.py) and the city's publisher as its official."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot

pytestmark = pytest.mark.browser

SLUG = "public-library-opening-hours"
REPORT = f"/consultations/{SLUG}/report"
EXPORTS = f"{REPORT}/exports"
PEOPLE = {"en": "2", "fa": "۲"}  # two demo citizens answered its questionnaire
OFFICIAL = "city@example.org"


def sign_in(page: Page, next_path: str) -> None:
    page.goto(f"/account/login?next={next_path}")
    form = page.locator("main form[method=post]")
    form.locator("input[name=email]").fill(OFFICIAL)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith(next_path), page.url


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_anyone_reads_the_report_without_javascript(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale, js=False).new_page()
    response = page.goto(REPORT)
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "fa" else "ltr")
    assert page.locator("main h1").is_visible()
    assert page.locator("#participation-heading").is_visible()
    assert page.locator("main dl.figures dd").first.inner_text() == PEOPLE[locale]
    charts = page.locator("main svg.chart[role=img]")
    assert charts.count() >= 3 and charts.first.is_visible()
    assert page.locator("main .chart-and-table table").count() == charts.count()
    if locale == "fa":
        assert page.locator("main svg.chart").first.get_attribute("direction") == "rtl"
    assert page.locator(f"main a[href$='{REPORT}.pdf']").is_visible()
    assert page.locator("#build").count() == 0  # no build controls for readers
    screenshot(page, f"report-{locale}")
    checked = new_context(locale, js=True).new_page()
    checked.goto(REPORT)
    assert_accessible(checked)


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_its_official_builds_it_and_finds_the_files_with_names_without_javascript(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale, js=False).new_page()
    sign_in(page, REPORT)
    build = page.locator("#build button[type=submit]")
    assert build.is_visible()
    with page.expect_navigation():
        build.click()  # a fresh version: built in the app's process (no Redis here)
    assert page.url.endswith(REPORT)
    assert page.locator("#build [role=status]").is_visible()
    with page.expect_navigation():
        page.locator(f"#build a[href$='{EXPORTS}']").click()
    assert page.locator("main h1").is_visible()
    assert page.locator(f"main a[href$='{EXPORTS}/comments.csv']").is_visible()
    screenshot(page, f"report-exports-{locale}")
    checked = new_context(locale, js=True).new_page()
    sign_in(checked, REPORT)
    assert_accessible(checked)
    checked.goto(EXPORTS)
    assert_accessible(checked)
