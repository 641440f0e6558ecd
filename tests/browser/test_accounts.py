"""Sign-up as a visitor would do it: the form, the confirmation mail, the link, signing in;
in English and Persian, with JavaScript on and off."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    first_link,
    mail_text,
    screenshot,
)

pytestmark = pytest.mark.browser

PASSWORD = "a-long-enough-password"


def _register(page: Page, address: str, name: str, locale: str) -> None:
    page.goto("/account/register")
    form = page.locator("main form[method=post]")
    form.locator("input[name=email]").fill(address)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=display_name]").fill(name)
    form.locator("select[name=locale]").select_option(locale)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("js", [False, True], ids=["js-off", "js-on"])
@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_visitor_signs_up_confirms_the_mail_and_signs_in(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, locale: str, js: bool
) -> None:
    page = new_context(locale, js=js).new_page()
    address = f"new-{locale}-{'js' if js else 'nojs'}-{secrets.token_hex(3)}@example.org"
    name = "سارا نو" if locale == "fa" else "Nora New"

    _register(page, address, name, locale)
    assert page.url.endswith("/account/register/sent")
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator("main h1").is_visible()
    if js:
        assert_accessible(page)
    screenshot(page, f"register-sent-{locale}")

    link = first_link(mail_text(live_server.mail_to(address)), "/account/confirm/")
    page.goto(link)
    assert "/account/login" in page.url
    assert page.locator("main .flash").count() == 1

    form = page.locator("main form[method=post]")
    form.locator("input[name=email]").fill(address)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    profile = page.locator(".account-nav a[href$='/account/profile']")
    assert profile.inner_text().strip() == name
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "fa" else "ltr")


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_sign_up_and_sign_in_pages_have_no_serious_axe_violations(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale).new_page()
    for path, shot in (("/account/register", "register"), ("/account/login", "login")):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == locale
        assert_accessible(page)
        screenshot(page, f"{shot}-{locale}")


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_wrong_sign_up_shows_the_errors_next_to_the_fields_without_javascript(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale, js=False).new_page()
    page.goto("/account/register")
    form = page.locator("main form[method=post]")
    form.locator("input[name=email]").fill("not-an-address")
    form.locator("input[name=password]").fill("short")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/account/register")
    email_input = page.locator("main form input[name=email]")
    assert email_input.get_attribute("aria-invalid") == "true"
    assert email_input.input_value() == "not-an-address"
    described = email_input.get_attribute("aria-describedby") or ""
    assert any(page.locator(f"#{i}").inner_text().strip() for i in described.split() if i), (
        "the e-mail error is not tied to the field"
    )
