"""The comment endpoints through HTTP: redirect back at the comment, errors with the text kept,
closed targets refused, the thread rendered (also in fa), reply e-mails."""

from __future__ import annotations

import re

import httpx
from starlette.applications import Starlette

from participation.comments import services
from participation.comments.models import Comment
from participation.settings import Settings
from participation.votes.services import cast_vote
from tests.conftest import login, post_form
from tests.factories import mail_text, make_user, sent_mails
from tests.participation.comments.fakehost import Hosts, as_principal

PAGE = "/fake/fake/1"


async def test_posting_redirects_back_to_the_new_comment(
    client: httpx.AsyncClient, hosts: Hosts
) -> None:
    hosts.fake.add(1)
    await make_user("amir@example.org", name="Amir")
    await login(client, "amir@example.org")
    r = await post_form(client, "/comments/post", {
        "target_type": "fake", "target_id": 1, "text": "Hello *world*", "stance": "for",
    }, page=PAGE)  # fmt: skip
    c = await Comment.get()
    assert r.status_code == 303 and r.headers["location"] == f"{PAGE}#comment-{c.id}"
    page = await client.get(PAGE)
    assert f'id="comment-{c.id}"' in page.text
    assert "Hello <em>world</em>" in page.text and "Amir" in page.text and "For" in page.text


async def test_a_form_error_is_shown_next_to_the_field_with_the_text_kept(
    client: httpx.AsyncClient, hosts: Hosts
) -> None:
    hosts.fake.add(1)
    await make_user("amir@example.org")
    await login(client, "amir@example.org")
    r = await post_form(client, "/comments/post", {
        "target_type": "fake", "target_id": 1, "text": "x", "stance": "against",
    }, page=PAGE)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].endswith("#comment-form")
    page = (await client.get(PAGE)).text
    assert "Please write at least 2 characters." in page
    assert re.search(r'aria-invalid="true"[^>]*>x</textarea>', page)
    assert 'value="against" checked' in page
    # shown once
    assert "Please write at least 2 characters." not in (await client.get(PAGE)).text
    assert await Comment.all().count() == 0


async def test_a_closed_target_answers_403_and_changes_nothing(
    client: httpx.AsyncClient, hosts: Hosts
) -> None:
    hosts.fake.add(1, open=False)
    await make_user("amir@example.org")
    await login(client, "amir@example.org")
    r = await post_form(client, "/comments/post",
                        {"target_type": "fake", "target_id": 1, "text": "Too late"}, page=PAGE)  # fmt: skip
    assert r.status_code == 403 and "Comments are closed here" in r.text
    assert await Comment.all().count() == 0
    page = (await client.get(PAGE)).text
    assert "Comments are closed." in page and 'id="comment-form"' not in page


async def test_the_eleventh_comment_in_a_minute_gets_a_translated_429(
    client: httpx.AsyncClient, hosts: Hosts
) -> None:
    hosts.fake.add(1)
    await make_user("fast@example.org")
    await login(client, "fast@example.org")
    for i in range(10):
        r = await post_form(client, "/comments/post",
                            {"target_type": "fake", "target_id": 1, "text": f"Comment {i}"})  # fmt: skip
        assert r.status_code == 303
    r = await post_form(client, "/comments/post",
                        {"target_type": "fake", "target_id": 1, "text": "Eleventh"})  # fmt: skip
    assert r.status_code == 429 and "at most 10 comments a minute" in r.text
    assert await Comment.all().count() == 10


async def test_anonymous_visitors_cannot_post(client: httpx.AsyncClient, hosts: Hosts) -> None:
    hosts.fake.add(1)
    r = await post_form(client, "/comments/post",
                        {"target_type": "fake", "target_id": 1, "text": "Hi there"})  # fmt: skip
    assert r.status_code == 401
    assert "Sign in to comment" in (await client.get(PAGE)).text
    assert await Comment.all().count() == 0


async def test_replying_mails_the_parent_author_with_a_link(
    app: Starlette, client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    parent_author = await make_user("first@example.org")
    top = await services.post_comment(
        await as_principal(parent_author), "fake", 1, "First!", settings=settings
    )
    await make_user("second@example.org", name="Sara")
    await login(client, "second@example.org")
    r = await post_form(client, "/comments/reply", {
        "target_type": "fake", "target_id": 1, "parent_id": top.id, "text": "I disagree, because",
    }, page=PAGE)  # fmt: skip
    reply = await Comment.get(parent_id=top.id)
    assert r.headers["location"] == f"{PAGE}#comment-{reply.id}"
    [mail] = sent_mails(app.state.settings)
    assert mail["To"] == "first@example.org" and "Sara" in mail["Subject"]
    body = mail_text(mail)
    assert "I disagree, because" in body and f"/comments/{reply.id}" in body
    r = await client.get(f"/comments/{reply.id}")
    assert r.status_code == 302 and r.headers["location"] == f"{PAGE}#comment-{reply.id}"


async def test_edit_delete_and_history_through_the_page(
    client: httpx.AsyncClient, hosts: Hosts
) -> None:
    hosts.fake.add(1)
    await make_user("amir@example.org")
    await login(client, "amir@example.org")
    await post_form(client, "/comments/post",
                    {"target_type": "fake", "target_id": 1, "text": "Typo hree"})  # fmt: skip
    c = await Comment.get()
    page = (await client.get(PAGE)).text
    assert f'action="http://testserver/comments/{c.id}/edit"' in page
    r = await post_form(client, f"/comments/{c.id}/edit", {"text": "Typo here"})
    assert r.status_code == 303
    history = (await client.get(f"/comments/{c.id}/history")).text
    assert "Typo hree" in history and "Typo here" in history
    r = await post_form(client, f"/comments/{c.id}/delete", {})
    assert r.status_code == 303
    assert "Typo here" not in (await client.get(PAGE)).text
    assert (await client.get(f"/comments/{c.id}/history")).status_code == 404


async def test_the_thread_renders_in_persian_with_next_page_link(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    for i in range(51):
        await services.post_comment(p, "fake", 1, f"نظر شماره {i}", settings=settings)
    r = await client.get(PAGE + "?lang=fa")
    assert r.status_code == 200 and 'dir="rtl"' in r.text
    m = re.search(r'href="([^"]*cursor=[^"#]+)#comments"', r.text)
    assert m
    r2 = await client.get(m.group(1).replace("&amp;", "&") + "&lang=fa")
    assert r2.status_code == 200 and "نظر شماره 0" in r2.text and "نظر شماره 50" not in r2.text


async def test_each_comment_carries_its_own_forms_and_a_failed_reply_reopens_under_its_parent(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    author = await as_principal(await make_user("sara@example.org", name="Sara"))
    first = await services.post_comment(author, "fake", 1, "The first remark", settings=settings)
    second = await services.post_comment(author, "fake", 1, "The second remark", settings=settings)
    reader = await make_user("amir@example.org")
    await cast_vote(await as_principal(reader), "comment", second.id, -1)
    await login(client, "amir@example.org")
    page = (await client.get(PAGE)).text
    for c in (first, second):
        assert f'name="target_id" value="{c.id}"' in page
        assert f'name="parent_id" value="{c.id}"' in page
        assert f'action="http://testserver/comments/{c.id}/flag"' in page
        assert f'id="reply-text-{c.id}"' in page and f'id="flag-reason-{c.id}"' in page
        assert f'value="{PAGE}#comment-{c.id}"' in page
    assert "__comment_id__" not in page
    # the reader's own vote (down on the second) shows as pressed on that comment only
    blocks = {
        int(b.split('"', 1)[0]): b for b in page.split('<li class="comment" id="comment-')[1:]
    }
    assert 'aria-pressed="true"' not in blocks[first.id]
    assert re.search(r'value="0" aria-pressed="true" class="secondary"', blocks[second.id])

    r = await post_form(client, "/comments/reply", {
        "target_type": "fake", "target_id": 1, "parent_id": second.id, "text": "y",
    }, page=PAGE)  # fmt: skip
    assert r.status_code == 303
    page = (await client.get(PAGE)).text
    assert re.search(rf'aria-describedby="reply-error-{second.id}"[^>]*>y</textarea>', page)
    assert page.count('<details class="reply" open>') == 1
    opened = page.index('<details class="reply" open>')
    assert page.rfind(f'id="comment-{second.id}"', 0, opened) > page.rfind(
        f'id="comment-{first.id}"', 0, opened
    )  # fmt: skip
