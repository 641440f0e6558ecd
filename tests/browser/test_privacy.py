"""Your own data, as a person would use it: download a copy of it, and erase the account; in
English and Persian, with JavaScript on and off, axe clean."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import (
    DEMO_PASSWORD,
    LiveServer,
    assert_accessible,
    first_link,
    mail_text,
    screenshot,
)

pytestmark = pytest.mark.browser

PASSWORD = "a-long-enough-password"
DEMO_CITIZEN = {"en": "citizen@example.org", "fa": "shahrvand@example.org"}


def _sign_in(page: Page, address: str, password: str) -> None:
    form = page.locator("main form[method=post]")
    form.locator("input[name=email]").fill(address)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _new_account(page: Page, live_server: LiveServer, locale: str, name: str) -> str:
    """Sign up through the form, confirm the address from the mail, sign in."""
    address = f"erase-{locale}-{secrets.token_hex(4)}@example.org"
    page.goto("/account/register")
    form = page.locator("main form[method=post]")
    form.locator("input[name=email]").fill(address)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=display_name]").fill(name)
    form.locator("select[name=locale]").select_option(locale)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(first_link(mail_text(live_server.mail_to(address)), "/account/confirm/"))
    _sign_in(page, address, PASSWORD)
    return address


@pytest.mark.parametrize("js", [False, True], ids=["js-off", "js-on"])
@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_person_downloads_a_copy_of_their_data(
    new_context: Callable[..., BrowserContext], locale: str, js: bool
) -> None:
    page = new_context(locale, js=js).new_page()
    address = DEMO_CITIZEN[locale]
    page.goto("/account/data")  # signed out: asked to sign in, then brought back
    assert "/account/login" in page.url
    _sign_in(page, address, DEMO_PASSWORD)
    assert page.url.endswith("/account/data")
    assert page.locator("html").get_attribute("lang") == locale

    page.locator("main form[action$='/account/data/export'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/account/data")
    assert page.locator("main .flash").count() == 1
    link = page.locator("main a[href*='/account/data/export/']").first
    assert link.is_visible()  # built by the job right after the request (no Redis here)
    if js:
        assert_accessible(page)
    screenshot(page, f"your-data-{locale}")

    with page.expect_download() as download:
        link.click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["accounts"]["profile"]["email"] == address
    assert "sessions" in data["accounts"]


@pytest.mark.parametrize("js", [False, True], ids=["js-off", "js-on"])
@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_person_erases_their_account_with_their_password(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, locale: str, js: bool
) -> None:
    page = new_context(locale, js=js).new_page()
    name = "رها پاک‌کن" if locale == "fa" else "Erin Eraser"
    address = _new_account(page, live_server, locale, name)
    page.goto("/account/profile")
    page.locator("main a[href$='/account/data']").click()
    page.wait_for_load_state()
    page.locator("main a[href$='/account/erase']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/account/erase")
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "fa" else "ltr")

    form = page.locator("main form[method=post]")
    form.locator("input[name=password]").fill("not the password at all")
    form.locator("input[name=confirm]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    password = page.locator("main form input[name=password]")
    assert password.get_attribute("aria-invalid") == "true"
    if js:
        assert_accessible(page)
    screenshot(page, f"erase-{locale}")

    form = page.locator("main form[method=post]")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[value=remove]").check()
    form.locator("input[name=confirm]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("main .flash").count() == 1
    assert page.locator(".account-nav a[href*='/account/login']").count() == 1  # signed out
    if js:
        assert_accessible(page)

    page.goto("/account/login")
    _sign_in(page, address, PASSWORD)
    assert "/account/login" in page.url  # the account is gone
    assert page.locator("main form input[name=password]").get_attribute("aria-invalid") == "true"
