""" "I did not write / sign this" in a browser, in English and Persian, with JavaScript off and
on, axe clean:

* a citizen posts a comment, finds it under "Comments posted from your account" (their
  profile's link), says they did not write it; the comment is no longer shown to others;
* someone signs a petition with an address; the owner of the mailbox follows the link in the
  confirmation mail and says they did not sign it.

Every wait is bounded (the context's 10 s default, a deadline on the mail): a page read with
JavaScript off is checked by axe in a twin browser with it on (``axe_violations``), since axe
never finishes where scripts do not run.
"""

from __future__ import annotations

import secrets
import time
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
from tests.browser.test_consultations import SECTION, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

AUTHOR = {"en": "citizen@example.org", "fa": "shahrvand@example.org"}
TEXT = {
    "en": "The transition period should start only once the new buses are running",
    "fa": "مهلت انتقال باید از زمانی شروع شود که اتوبوس‌های تازه راه افتاده باشند",
}
# one open demo petition per run, so that no address signs one petition twice
PETITION = {("en", True): 4, ("en", False): 7, ("fa", True): 1, ("fa", False): 3}
NAME = {"en": "Nora Signer", "fa": "سارا امضاکننده"}


def _confirm(page: Page, locale: str) -> None:
    """Tick "I did not ..." and confirm; the page says it is done."""
    form = page.locator("main form[method=post]")
    form.locator("input[name=sure]").check()
    submit(form.locator("button[type=submit]"))
    assert page.locator("main .flash-success").count() == 1
    assert page.locator("main form[method=post]").count() == 0
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "fa" else "ltr")


def _mail_to(live_server: LiveServer, address: str, seconds: float = 15.0) -> str:
    """The text of the newest mail to ``address``: the job sends it right after the request's
    transaction, in the server's process; waited for with a deadline."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return mail_text(live_server.mail_to(address))
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.parametrize("js", [False, True], ids=["nojs", "js"])
@pytest.mark.parametrize("locale", ["en", "fa"])
def test_the_author_says_they_did_not_write_a_comment(
    new_context: Callable[..., BrowserContext], locale: str, js: bool
) -> None:
    text = f"{TEXT[locale]} {secrets.token_hex(3)}"
    page = new_context(locale, js=js).new_page()
    sign_in(page, AUTHOR[locale], SECTION)
    form = page.locator("#comment-form")
    form.locator("textarea[name=text]").fill(text)
    submit(form.locator("button[type=submit]"))
    comment_id = page.url.rpartition("#comment-")[2]
    assert comment_id.isdigit(), page.url

    page.goto("/account/profile")
    submit(page.locator("main a[href$='/integrity/mine']").first)
    item = page.locator(f"#comment-{comment_id}")
    assert text in item.inner_text()
    assert_accessible(page)
    submit(item.locator(f"a[href$='/integrity/disown/comment/{comment_id}']"))
    assert text in page.locator("main blockquote").inner_text()
    assert_accessible(page)
    _confirm(page, locale)
    assert_accessible(page)
    screenshot(page, f"disown-comment-{locale}-{'js' if js else 'nojs'}")

    page.goto("/integrity/mine")  # the list says so, and has no link for it any more
    item = page.locator(f"#comment-{comment_id}")
    assert item.locator(".badge").count() == 1
    assert item.locator("a[href*='/integrity/disown/']").count() == 0

    reader = new_context(locale, js=js).new_page()
    reader.goto(SECTION)
    assert text not in reader.locator("main").inner_text()


@pytest.mark.parametrize("js", [False, True], ids=["nojs", "js"])
@pytest.mark.parametrize("locale", ["en", "fa"])
def test_the_owner_of_an_address_says_they_did_not_sign(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, locale: str, js: bool
) -> None:
    address = f"not-me-{locale}-{'js' if js else 'nojs'}-{secrets.token_hex(3)}@example.org"
    petition = f"/petitions/{PETITION[locale, js]}"
    signer = new_context(locale, js=js).new_page()
    signer.goto(petition)
    form = signer.locator(f"main form[action$='{petition}/sign']")
    form.locator("input[name=name]").fill(NAME[locale])
    form.locator("input[name=email]").fill(address)
    form.locator("select[name=region]").select_option(index=1)
    form.locator("input[name=eligible]").check()
    submit(form.locator("button[type=submit]"))
    assert "signed=" in signer.url, signer.url

    link = first_link(_mail_to(live_server, address), "/integrity/disown/link/signature/")
    owner = new_context(locale, js=js).new_page()  # someone else, reading their mail
    response = owner.goto(link)
    assert response is not None and response.status == 200
    assert NAME[locale] in owner.locator("main").inner_text()
    assert_accessible(owner)
    _confirm(owner, locale)
    assert_accessible(owner)
    screenshot(owner, f"disown-signature-{locale}-{'js' if js else 'nojs'}")

    again = owner.goto(link)  # the link stays: it says it is done, and offers nothing more
    assert again is not None and again.status == 200
    assert owner.locator("main .flash-success").count() == 1
    assert owner.locator("main form[method=post]").count() == 0
