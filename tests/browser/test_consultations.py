"""Taking part in a consultation in a browser: read it, comment, reply, vote and answer the
questionnaire; in English and Persian, with JavaScript on and off; axe clean.

The demo data gives the open consultation "clean-air-in-our-cities" with sections, comments by
the demo citizens and a questionnaire (one single-choice, one multiple-choice, one 1-5 scale
and one free-text question)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Locator, Page

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot

pytestmark = pytest.mark.browser

SLUG = "clean-air-in-our-cities"
DETAIL = f"/consultations/{SLUG}"
SECTION = f"{DETAIL}/sections/2"
# A demo citizen per language (seeded by participation/accounts/seed.py, confirmed).
CITIZEN = {"en": "citizen@example.org", "fa": "shahrvand@example.org"}
TEXT = {
    "en": "Cleaner buses first, please; the school run is the worst hour.",
    "fa": "لطفاً اول اتوبوس‌های پاک‌تر؛ ساعت رفتن به مدرسه بدترین ساعت است.",
}
REPLY = {"en": "Agreed, and more cycle lanes.", "fa": "موافقم، و مسیر دوچرخهٔ بیشتر."}
JS = [pytest.param(False, id="js-off"), pytest.param(True, id="js-on")]


def sign_in(page: Page, address: str, next_path: str) -> None:
    page.goto(f"/account/login?next={next_path}")
    form = page.locator("main form[method=post]")
    form.locator("input[name=email]").fill(address)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.split("#")[0].endswith(next_path), page.url


def submit(button: Locator) -> None:
    with button.page.expect_navigation():
        button.click()


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_visitor_reads_the_consultation_and_a_section_without_signing_in(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale).new_page()
    response = page.goto(DETAIL)
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "fa" else "ltr")
    assert page.locator("main h1").is_visible()
    section_links = page.locator(f"main a[href*='{DETAIL}/sections/']")
    assert section_links.count() >= 5
    assert page.locator("#questionnaire").is_visible()
    assert_accessible(page)
    screenshot(page, f"consultation-{locale}")

    submit(section_links.nth(1))
    assert page.url.split("?")[0].split("#")[0].endswith(SECTION)
    assert page.locator("main h1").is_visible()
    assert page.locator("#comments .comment").count() >= 1
    sign_in_link = page.locator("main a[href*='/account/login?next=']").first
    assert sign_in_link.is_visible()
    assert_accessible(page)
    screenshot(page, f"section-{locale}")


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_citizen_comments_replies_and_votes_on_a_section(
    new_context: Callable[..., BrowserContext], locale: str, js: bool
) -> None:
    page = new_context(locale, js=js).new_page()
    sign_in(page, CITIZEN[locale], SECTION)

    # Comment, with a stance.
    text = f"{TEXT[locale]} ({secrets.token_hex(3)})"
    form = page.locator("#comment-form")
    form.locator("textarea[name=text]").fill(text)
    form.locator("input[name=stance][value=for]").check()
    submit(form.locator("button[type=submit]"))
    assert "#comment-" in page.url
    mine = page.locator(f"#{page.url.split('#')[1]}")
    assert text in mine.locator(".comment-body").first.inner_text()
    assert mine.locator(".stance-for").count() == 1

    # Reply to it: the reply form is on its own small page (a link, no script).
    submit(mine.locator("a[href$='/reply']").first)
    reply_form = page.locator("main form").filter(has=page.locator("textarea[name=text]"))
    if js:
        assert_accessible(page)
    reply = f"{REPLY[locale]} ({secrets.token_hex(3)})"
    reply_form.locator("textarea[name=text]").fill(reply)
    submit(reply_form.locator("button[type=submit]"))
    reply_li = page.locator(f"#{page.url.split('#')[1]}")
    assert reply in reply_li.inner_text()
    assert page.locator(".replies .comment", has_text=reply).count() == 1

    # Support or oppose the section: the pressed button follows the choice.
    votes = page.locator("form.vote-form").filter(
        has=page.locator("input[name=target_type][value=section]")
    )
    support = votes.locator("button[name=value][value='1']")
    oppose = votes.locator("button[name=value][value='-1']")
    choose = oppose if support.get_attribute("aria-pressed") == "true" else support
    value = choose.get_attribute("value")
    submit(choose)
    pressed = votes.locator(f"button[name=value][value='{value}']")
    assert pressed.get_attribute("aria-pressed") == "true"

    # Vote on another person's comment: up (a button of the page's one vote form, naming the
    # comment), and the button shows it pressed.
    buttons = "button[form=comment-votes]"
    other = page.locator(".comment-list > .comment").filter(has=page.locator(buttons)).first
    comment_id = other.get_attribute("id")
    up = other.locator(buttons).first
    was = up.get_attribute("aria-pressed")
    submit(up)
    up_again = page.locator(f"#{comment_id} {buttons}").first
    assert up_again.get_attribute("aria-pressed") != was

    if js:
        assert_accessible(page)
    screenshot(page, f"section-signed-in-{locale}")


def _answer_every_question(page: Page, scale: str) -> None:
    form = page.locator(f"#questionnaire form[action$='/consultations/{SLUG}/answers']")
    for fieldset in form.locator("fieldset.question").all():
        radios = fieldset.locator("input[type=radio]")
        boxes = fieldset.locator("input[type=checkbox]")
        if radios.count():
            values = [radios.nth(i).get_attribute("value") for i in range(radios.count())]
            pick = scale if scale in values and values == ["1", "2", "3", "4", "5"] else values[0]
            fieldset.locator(f"input[type=radio][value='{pick}']").check()
        elif boxes.count():
            boxes.first.check()
        else:
            fieldset.locator("textarea").fill("More trees along the main roads.")
    submit(form.locator("button[type=submit]"))


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_citizen_answers_the_questionnaire_and_sees_the_answers_kept(
    new_context: Callable[..., BrowserContext], locale: str, js: bool
) -> None:
    page = new_context(locale, js=js).new_page()
    sign_in(page, CITIZEN[locale], DETAIL)
    scale = "4" if js else "2"
    _answer_every_question(page, scale)
    assert page.url.endswith("#questionnaire")
    assert page.locator("main .flash").count() == 1
    form = page.locator("#questionnaire form")
    assert form.locator(f"input[type=radio][value='{scale}']:checked").count() == 1
    if js:
        assert_accessible(page)
    screenshot(page, f"questionnaire-answered-{locale}")


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_too_short_comment_comes_back_with_the_error_and_the_text_kept_without_javascript(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    page = new_context(locale, js=False).new_page()
    sign_in(page, CITIZEN[locale], SECTION)
    form = page.locator("#comment-form")
    form.locator("textarea[name=text]").fill("x")
    submit(form.locator("button[type=submit]"))
    form = page.locator("#comment-form")
    textarea = form.locator("textarea[name=text]")
    assert textarea.input_value() == "x"
    assert textarea.get_attribute("aria-invalid") == "true"
    error_id = textarea.get_attribute("aria-describedby")
    assert error_id and page.locator(f"#{error_id}").inner_text().strip()
