"""Petitions in a browser, in English and Persian: searching without JavaScript, the page of a
petition hidden by a moderator, and a body's page with its consultations and petitions; axe
clean."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import LiveServer, assert_accessible, screenshot

pytestmark = pytest.mark.browser

# a word of a demo petition's title in each language
WORD = {"en": "libraries", "fa": "دوچرخه"}


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_searching_petitions_without_javascript(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale, js=False).new_page()
    page.goto("/petitions/")
    page.locator("#f-q").fill(WORD[locale])
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    assert "q=" in page.url
    results = page.locator("main .card-list li")
    assert results.count() == 1
    assert WORD[locale] in results.first.inner_text()
    found_url = page.url

    page.locator("#f-q").fill("zzzz nothing like it")
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    assert page.locator("main .card-list li").count() == 0
    assert page.locator("main [role=status]").is_visible()
    nothing_url = page.url

    # axe-core runs as a script: the same pages, read with JavaScript on
    checker = new_context(locale).new_page()
    for url in (found_url, nothing_url):
        checker.goto(url)
        assert_accessible(checker)
    checker.goto(found_url)
    screenshot(checker, f"petition-search-{locale}")


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_hidden_petition_says_why_to_its_readers(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, locale: str
) -> None:
    with sqlite3.connect(live_server.var_dir / "browser.sqlite3") as db:
        (pid,) = db.execute(
            "SELECT target_id FROM moderation_states"
            " WHERE target_type = 'petition' AND hidden_at IS NOT NULL"
        ).fetchone()
    page = new_context(locale).new_page()
    response = page.goto(f"/petitions/{pid}")
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "fa" else "ltr")
    assert page.locator("main h1").is_visible()
    assert page.locator("main .flash-warn").is_visible()
    assert "Name and shame" not in page.content()
    assert page.locator("main a[href*='/account/login?next=']").is_visible()
    assert_accessible(page)
    screenshot(page, f"petition-hidden-{locale}")


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_body_page_lists_its_consultations_and_petitions(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale).new_page()
    response = page.goto("/bodies/tehran-municipality")
    assert response is not None and response.status == 200
    assert page.locator("#body-petitions-heading").is_visible()
    assert page.locator("main a[href*='/petitions/']").count() >= 2
    assert page.locator("#body-consultations-heading").is_visible()
    for slug in ("city-cycling-network", "public-library-opening-hours"):  # coming, closed
        assert page.locator(f"main a[href$='/consultations/{slug}']").count() == 1
    assert_accessible(page)
    screenshot(page, f"body-{locale}")


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_moderator_reviews_a_wave_of_held_signatures_without_javascript(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, locale: str
) -> None:
    """The demo's scripted wave on its petition's review page: shown once with its reasons
    and samples (axe clean); removed with one act, then the removal undone (it is held again
    for the next reader of this page)."""
    from tests.browser.test_consultations import sign_in, submit

    with sqlite3.connect(live_server.var_dir / "browser.sqlite3") as db:
        (pid, wid) = db.execute(
            "SELECT petition_id, id FROM petition_signature_waves ORDER BY id"
        ).fetchone()
    review = f"/petitions/{pid}/signatures"
    page = new_context(locale, js=False).new_page()
    sign_in(page, "moderator@example.org", review)
    page.locator("#lang-select").select_option(locale)
    submit(page.locator("form.lang-switch button[type=submit]"))
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "fa" else "ltr")
    wave = page.locator(f"article[aria-labelledby='wave-{wid}-heading']")
    assert wave.is_visible()
    assert wave.locator("tbody tr").count() == 5  # a few samples, minimised
    assert "203.0.113.0/24" in wave.inner_text() and "203.0.113.1 " not in wave.inner_text()
    assert_accessible(page)
    screenshot(page, f"petition-waves-{locale}")

    submit(wave.locator("form:has(input[value=remove]) button[type=submit]"))
    assert page.locator("main .flash-success").count() == 1
    assert page.locator(f"article[aria-labelledby='wave-{wid}-heading']").count() == 0
    assert_accessible(page)
    submit(page.locator("form[action*='/invalidations/'] button[type=submit]").first)
    assert page.locator(f"article[aria-labelledby='wave-{wid}-heading']").is_visible()
