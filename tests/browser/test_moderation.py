"""The moderation queue in a browser, in English and Persian: a citizen's comment is reported
by another (the report form under it, JavaScript off), the global moderator finds it in the
queue with its context and flags (axe clean, with the hide form open too), and hides it with
a reason (English) or approves it (Persian); readers then see the placeholder, or the comment."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_consultations import SECTION, sign_in, submit

pytestmark = pytest.mark.browser

MODERATOR = "moderator@example.org"
PLACEHOLDER = {"en": "Hidden by a moderator: Spam or advertising"}


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_reported_comment_reaches_the_queue_and_the_moderator_acts_on_it(
    new_context: Callable[..., BrowserContext], locale: str
) -> None:
    marker = f"Buy cheap watches now {secrets.token_hex(4)}"
    writer = new_context("en", js=False).new_page()
    sign_in(writer, "citizen@example.org", SECTION)
    form = writer.locator("#comment-form")
    form.locator("textarea[name=text]").fill(marker)
    submit(form.locator("button[type=submit]"))
    comment_id = writer.url.rpartition("#comment-")[2]
    assert comment_id.isdigit(), writer.url

    reader = new_context("fa", js=False).new_page()
    sign_in(reader, "shahrvand@example.org", SECTION)
    item = reader.locator(f"#comment-{comment_id}")
    submit(item.locator(f"a[href$='/comments/{comment_id}/report']"))  # its own small page
    assert_accessible(reader)
    reader.locator("select[name=reason]").select_option("spam")
    submit(reader.locator("main form button[type=submit]"))
    assert reader.locator("main .flash-success").count() == 1

    page = new_context(locale).new_page()
    sign_in(page, MODERATOR, "/moderation/")  # a French speaker, reading in ``locale`` today
    page.locator("#lang-select").select_option(locale)
    submit(page.locator("form.lang-switch button[type=submit]"))
    card = page.locator(f"#queue-comment-{comment_id}")
    assert card.is_visible()
    assert marker in card.inner_text()
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "fa" else "ltr")
    assert_accessible(page)
    screenshot(page, f"moderation-queue-{locale}")
    card.locator("details summary").first.click()  # the hide form, open
    assert_accessible(page)

    if locale == "en":
        card.locator("select[name=reason]").select_option("spam")
        submit(card.locator("details button[type=submit]"))
        assert page.locator("main .flash-success").count() == 1
        assert page.locator(f"#queue-comment-{comment_id}").count() == 0
        assert page.locator(f"#hidden-comment-{comment_id}").is_visible()
        anonymous = new_context("en").new_page()
        anonymous.goto(SECTION)
        shown = anonymous.locator(f"#comment-{comment_id}").inner_text()
        assert PLACEHOLDER["en"] in shown and marker not in shown
        assert_accessible(anonymous)
    else:
        submit(card.locator("form[action$='/moderation/approve'] button[type=submit]"))
        assert page.locator(f"#queue-comment-{comment_id}").count() == 0
        anonymous = new_context("fa").new_page()
        anonymous.goto(SECTION)
        assert marker in anonymous.locator(f"#comment-{comment_id}").inner_text()
