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
    assert f'href="/comments/{c.id}/edit"' in page  # a link to its own small page
    delete = re.search(rf'<form method="post" action="/comments/{c.id}/delete"[^>]*>(.*?)</form>',
                       page)  # fmt: skip
    assert delete and '<input type="hidden" name="csrf_token"' in delete.group(1)
    assert "&lt;input" not in page
    edit = (await client.get(f"/comments/{c.id}/edit")).text
    assert f'action="http://testserver/comments/{c.id}/edit"' in edit and ">Typo hree<" in edit
    r = await post_form(client, f"/comments/{c.id}/edit", {"text": "x"}, page=PAGE)
    assert r.headers["location"].endswith(f"/comments/{c.id}/edit")  # refused: back to the form
    edit = (await client.get(r.headers["location"])).text
    assert re.search(r'aria-describedby="edit-error"[^>]*>x</textarea>', edit)
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


async def test_each_comment_carries_light_actions_and_a_failed_reply_returns_to_its_page(
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
    # one vote form for the page (with the reader's token and the way back); per comment only
    # buttons naming it and links to the reply and report pages: no form, no text box
    assert page.count('id="comment-votes"') == 1 and f'name="next" value="{PAGE}"' in page
    thread = page.split('<section id="comments">', 1)[1].split("</section>", 1)[0]
    assert thread.count("<textarea") == 1 and thread.count('name="csrf_token"') == 2
    for c in (first, second):
        assert f'name="down" value="{c.id}"' in page or f'name="clear" value="{c.id}"' in page
        assert f'href="/comments/{c.id}/reply"' in page
        assert f'href="/comments/{c.id}/report"' in page
    assert "__cid__" not in page and "<!--viewer:" not in page
    # the reader's own vote (down on the second) shows as pressed on that comment only
    blocks = {
        int(b.split('"', 1)[0]): b for b in page.split('<li class="comment" id="comment-')[1:]
    }
    assert 'aria-pressed="true"' not in blocks[first.id]
    assert re.search(rf'name="clear" value="{second.id}" aria-pressed="true" class="secondary"',
                     blocks[second.id])  # fmt: skip
    # pressing "Up" on the first: back to the page at the comment, now pressed
    r = await post_form(client, "/comments/vote", {"up": first.id, "next": PAGE}, page=PAGE)
    assert r.status_code == 303 and r.headers["location"] == f"{PAGE}#comment-{first.id}"
    page = (await client.get(PAGE)).text
    assert f'name="clear" value="{first.id}" aria-pressed="true">' in page
    assert (await post_form(client, "/comments/vote", {"up": first.id, "down": first.id},
                            page=PAGE)).status_code == 400  # fmt: skip

    r = await post_form(client, "/comments/reply", {
        "target_type": "fake", "target_id": 1, "parent_id": second.id, "text": "y",
    }, page=PAGE)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].endswith(f"/comments/{second.id}/reply")
    reply = (await client.get(r.headers["location"])).text
    assert "The second remark" in reply
    assert re.search(r'aria-describedby="reply-error"[^>]*>y</textarea>', reply)
    assert 'aria-describedby="comment-hint-fake-1"></textarea>' in (await client.get(PAGE)).text
    report = (await client.get(f"/comments/{first.id}/report")).text
    assert f'action="http://testserver/comments/{first.id}/flag"' in report


async def test_a_refused_long_persian_comment_comes_back_whole_without_overflowing_the_cookie(
    client: httpx.AsyncClient, hosts: Hosts, settings: Settings
) -> None:
    """Browsers drop a cookie over 4 KB (and with it the draft and the flash): a refused text
    too long for the session cookie is shown back on a page of its own, with its error."""
    hosts.fake.add(1)
    amir = await make_user("amir@example.org")
    await login(client, "amir@example.org")
    text = "نظر " * (settings.comment_max_length // 4 + 50)  # over the limit, by 200 letters
    r = await post_form(client, "/comments/post", {
        "target_type": "fake", "target_id": 1, "text": text, "stance": "against",
    }, page=PAGE)  # fmt: skip
    assert r.status_code == 400
    assert text.strip() in r.text and 'aria-invalid="true"' in r.text
    assert 'name="stance" value="against"' in r.text and f'href="{PAGE}#comment-form"' in r.text
    assert all(len(c) < 4000 for c in r.headers.get_list("set-cookie"))
    assert await Comment.all().count() == 0
    # a reply too: back on the reply page, with the comment it answers
    parent = await services.post_comment(
        await as_principal(amir), "fake", 1, "First", settings=settings
    )
    r = await post_form(client, "/comments/reply", {
        "target_type": "fake", "target_id": 1, "parent_id": parent.id, "text": text,
    }, page=PAGE)  # fmt: skip
    assert r.status_code == 400 and text.strip() in r.text and "First" in r.text
    assert all(len(c) < 4000 for c in r.headers.get_list("set-cookie"))
    assert await Comment.all().count() == 1
    # a short refused text still goes back to the page it came from, through the session
    r = await post_form(client, "/comments/post",
                        {"target_type": "fake", "target_id": 1, "text": "x"}, page=PAGE)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].endswith("#comment-form")
