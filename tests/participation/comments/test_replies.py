"""A reply needs a parent that exists on the same target; the reply mail quotes the reply's
words as text, escaped once in its HTML part and as written in its text part."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from participation.comments import services
from participation.comments.models import Comment
from participation.errors import NotFound
from participation.settings import Settings
from tests.conftest import login, post_form
from tests.factories import mail_text, make_user, sent_mails
from tests.participation.comments.fakehost import Hosts, as_principal

PAGE = "/fake/fake/1"


@pytest.mark.parametrize("route", ["/comments/reply", "/comments/post"])
@pytest.mark.parametrize("parent_id", [str(10**25), "9223372036854775808", "999999", "-5", "x"])
async def test_a_reply_to_a_comment_that_does_not_exist_is_refused_and_not_stored(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings, route: str, parent_id: str
) -> None:
    hosts.fake.add(1)
    await make_user("amir@example.org")
    await login(client, "amir@example.org")
    r = await post_form(client, route, {
        "target_type": "fake", "target_id": 1, "parent_id": parent_id, "text": "My reply",
    }, page=PAGE)  # fmt: skip
    assert r.status_code == 404
    assert "The comment you are replying to no longer exists." in r.text
    assert await Comment.all().count() == 0


async def test_the_refusal_is_in_the_readers_language(
    client: httpx.AsyncClient, hosts: Hosts
) -> None:
    hosts.fake.add(1)
    await make_user("sara@example.org", locale="fa")
    await login(client, "sara@example.org")
    r = await post_form(client, "/comments/reply", {
        "target_type": "fake", "target_id": 1, "parent_id": str(10**25), "text": "پاسخ من",
    }, page=PAGE)  # fmt: skip
    assert r.status_code == 404 and "نظری که به آن پاسخ می‌دهید دیگر وجود ندارد." in r.text
    assert await Comment.all().count() == 0


async def test_a_reply_without_a_parent_is_refused(client: httpx.AsyncClient, hosts: Hosts) -> None:
    hosts.fake.add(1)
    await make_user("amir@example.org")
    await login(client, "amir@example.org")
    r = await post_form(client, "/comments/reply",
                        {"target_type": "fake", "target_id": 1, "text": "My reply"}, page=PAGE)  # fmt: skip
    assert r.status_code == 404 and await Comment.all().count() == 0


async def test_the_service_refuses_a_parent_beyond_the_column(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    with pytest.raises(NotFound):
        await services.post_comment(p, "fake", 1, "Reply", parent_id=10**25, settings=settings)
    assert await Comment.all().count() == 0


async def test_the_reply_mail_quotes_the_words_escaped_once(
    app: Starlette, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    author = await as_principal(await make_user("first@example.org"))
    top = await services.post_comment(author, "fake", 1, "First!", settings=settings)
    replier = await as_principal(await make_user(name="Sara <b>"))
    said = "Is 3 <img 4? Tom & Jerry say so"  # a "<" that opens no tag stays text
    await services.post_comment(replier, "fake", 1, said, parent_id=top.id, settings=settings)
    [mail] = sent_mails(app.state.settings)
    assert said in mail_text(mail)  # the text part as written
    html_part = mail.get_body(preferencelist=("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert "Is 3 &lt;img 4? Tom &amp; Jerry say" in html  # escaped once
    assert "&amp;lt;" not in html and "&amp;amp;" not in html and "<img" not in html
    assert "Sara &lt;b&gt;" in html
