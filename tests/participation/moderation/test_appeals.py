"""Appeals: the author of an item hidden by a moderator appeals once, with a text; the appeal
goes to a moderator other than the one who hid it (who cannot decide it); the outcome is
mailed to the author and, when accepted, the item is shown again."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from participation.audit.models import AuditEvent
from participation.comments import queries as comment_queries
from participation.comments import services as comments
from participation.errors import Conflict, Forbidden, NotFound
from participation.moderation import appeals, services
from participation.moderation.models import Appeal, AppealOutcome
from tests.conftest import login, post_form
from tests.factories import mail_text, make_body, make_moderator, make_user, sent_mails
from tests.participation.comments.fakehost import Hosts, as_principal


async def _hidden_comment(app: Starlette, hosts: Hosts, hider_body: object = None):  # type: ignore[no-untyped-def]
    settings = app.state.settings
    body = await make_body()
    hosts.fake.add(1, bodies=[body.id])
    author = await make_user("author@example.org")
    c = await comments.post_comment(await as_principal(author), "fake", 1, "A sharp quote",
                                    settings=settings)  # fmt: skip
    hider = await make_moderator(body, email="hider@example.org")
    await services.hide(await as_principal(hider), "comment", c.id, "offensive",
                        base_url=settings.base_url)  # fmt: skip
    return body, author, c, hider


async def test_the_appeal_goes_to_another_moderator_who_decides_it(
    app: Starlette, hosts: Hosts, client: httpx.AsyncClient
) -> None:
    settings = app.state.settings
    body, author, c, hider = await _hidden_comment(app, hosts)
    other = await make_moderator(body, email="other@example.org")
    await make_moderator(await make_body())  # of another body: never chosen
    await login(client, "author@example.org")
    page = await client.get(f"/moderation/appeal/comment/{c.id}")
    assert page.status_code == 200 and "A sharp quote" in page.text
    r = await post_form(client, f"/moderation/appeal/comment/{c.id}",
                        {"text": "I was quoting the minister."},
                        page=f"/moderation/appeal/comment/{c.id}")  # fmt: skip
    assert r.status_code == 303
    row = await Appeal.get(target_id=c.id)
    assert row.assigned_to_id == other.id and row.hidden_by_id == hider.id
    assert [m["To"] for m in sent_mails(settings)][-1] == "other@example.org"

    r = await post_form(client, f"/moderation/appeal/comment/{c.id}",
                        {"text": "And once more, please."},
                        page=f"/moderation/appeal/comment/{c.id}")  # fmt: skip
    assert r.status_code == 409  # once
    assert await Appeal.all().count() == 1

    with pytest.raises(Forbidden):
        await appeals.decide(await as_principal(hider), row.id, "uphold")
    await appeals.decide(await as_principal(other), row.id, "restore", "A fair quotation",
                         base_url=settings.base_url)  # fmt: skip
    with pytest.raises(Conflict):
        await appeals.decide(await as_principal(other), row.id, "uphold")
    row = await Appeal.get(id=row.id)
    assert row.outcome == AppealOutcome.RESTORED and row.decided_by_id == other.id
    page = await comment_queries.comment_page("fake", 1)
    assert [(x.id, x.hidden, x.text) for x in page.items] == [(c.id, None, "A sharp quote")]
    last = sent_mails(settings)[-1]
    assert last["To"] == "author@example.org" and "A fair quotation" in mail_text(last)
    actions = await AuditEvent.filter(action__startswith="moderation.appeal").values_list(
        "action", "actor_id"
    )
    assert sorted(actions) == [("moderation.appeal", None), ("moderation.appeal_decided", other.id)]


async def test_when_the_hider_is_the_only_body_moderator_a_global_one_gets_it(
    app: Starlette, hosts: Hosts
) -> None:
    _body, author, c, hider = await _hidden_comment(app, hosts)
    everywhere = await make_moderator(None)
    row = await appeals.appeal(await as_principal(author), "comment", c.id, "Please look again")
    assert row.assigned_to_id == everywhere.id != hider.id


async def test_only_the_author_of_an_item_hidden_by_a_moderator_appeals(
    app: Starlette, hosts: Hosts
) -> None:
    settings = app.state.settings
    _body, author, c, _hider = await _hidden_comment(app, hosts)
    stranger = await as_principal(await make_user())
    with pytest.raises(NotFound):
        await appeals.appeal(stranger, "comment", c.id, "Not mine but still")
    visible = await comments.post_comment(await as_principal(author), "fake", 1, "Fine words",
                                          settings=settings)  # fmt: skip
    with pytest.raises(Conflict):
        await appeals.appeal(await as_principal(author), "comment", visible.id, "Nothing to appeal")


async def test_an_upheld_appeal_keeps_the_item_hidden_and_tells_the_author(
    app: Starlette, hosts: Hosts
) -> None:
    settings = app.state.settings
    body, author, c, _hider = await _hidden_comment(app, hosts)
    other = await make_moderator(body)
    row = await appeals.appeal(await as_principal(author), "comment", c.id, "It was a joke, really")
    await appeals.decide(await as_principal(other), row.id, "uphold", base_url=settings.base_url)
    page = await comment_queries.comment_page("fake", 1)
    assert page.items[0].hidden == "moderator"
    assert "stays hidden" in mail_text(sent_mails(settings)[-1])
