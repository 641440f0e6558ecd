"""The moderation pages with something on them (a reported reply and its parent, an item
waiting for approval, a hidden comment and its appeal, a campaign, a suspended person), and a
thread with placeholders, read in Persian and Arabic: no English sentence, code, Latin word or
ASCII digit in the interface text (``tests/pages``), people's text aside."""

from __future__ import annotations

import random

import httpx
import pytest
from starlette.applications import Starlette

from participation.comments import services as comments
from participation.integrity.services import index_new_comments
from participation.moderation import appeals, services, suspensions
from tests.conftest import login, post_form
from tests.factories import make_body, make_moderator, make_user
from tests.pages.pagetext import ui_text
from tests.pages.test_every_page_fa_ar import _catalogue, problems_of
from tests.participation.comments.fakehost import Hosts, as_principal
from tests.participation.integrity.letters import form_letter


@pytest.mark.parametrize("locale", ["fa", "ar"])
async def test_moderation_pages_are_wholly_translated(
    app: Starlette, hosts: Hosts, locale: str,
    anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:  # fmt: skip
    anonymous, member = anonymous_and_member
    settings = app.state.settings
    body = await make_body()
    hosts.fake.add(1, bodies=[body.id], flag_threshold=2)
    hosts.fake.add(2, bodies=[body.id], premoderated=True)
    author = await make_user("author@example.org")
    write = await as_principal(author)
    parent = await comments.post_comment(write, "fake", 1, "Parent words", settings=settings)
    reply = await comments.post_comment(await as_principal(await make_user()), "fake", 1,
                                        "Reply words", parent_id=parent.id, settings=settings)  # fmt: skip
    for _ in range(2):
        await services.flag(await as_principal(await make_user()), "comment", reply.id, "other",
                            "a note")  # fmt: skip
    await comments.post_comment(write, "fake", 2, "Waiting words", settings=settings)
    rng = random.Random(4)
    for _ in range(3):
        await comments.post_comment(await as_principal(await make_user()), "fake", 1,
                                    "Copy this text: " + form_letter(rng), settings=settings)  # fmt: skip
    await index_new_comments()
    moderator = await make_moderator(None, email="mod@example.org")
    await services.hide(await as_principal(moderator), "comment", parent.id, "offensive")
    await appeals.appeal(write, "comment", parent.id, "Please look again at it")
    await suspensions.suspend(await as_principal(moderator), (await make_user()).id, 3,
                              "Repeated insults")  # fmt: skip
    await make_moderator(None, email="second@example.org")
    msgids = _catalogue()
    pages = {
        "second@example.org": ["/moderation/", "/moderation/suspensions",
                               f"/moderation/people/{author.id}/suspend"],
        "author@example.org": [f"/moderation/appeal/comment/{parent.id}", "/fake/fake/1",
                               "/fake/fake/2"],
        None: ["/moderation/record", "/fake/fake/1"],
    }  # fmt: skip
    problems = []
    for who, urls in pages.items():
        client = anonymous if who is None else member
        if who is not None:
            await login(member, who)
        await post_form(client, "/language", {"lang": locale, "next": "/"})
        for url in urls:
            r = await client.get(url)
            assert r.status_code == 200, url
            if url == "/moderation/":  # with something on it
                assert all(t in r.text for t in ("Reply words", "Waiting words",
                                                 "Copy this text", "Please look again"))  # fmt: skip
            _title, runs = ui_text(r.text)
            problems += [(url, kind, text) for kind, text in problems_of(runs, msgids)]
    assert not problems, "\n".join(map(str, problems))
