"""A hidden comment keeps its place: others see why it is hidden ("hidden by a moderator:
reason", or pending review) where it was, and the replies of other people under it stay
under that placeholder; its author still sees their words, marked, with the way to appeal.
Its words reach nobody else: not the page, the API, a vote, a reply or the counts."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from participation.comments import queries, services
from participation.errors import NotFound
from participation.moderation import services as moderation
from participation.votes.services import cast_vote
from tests.conftest import login
from tests.factories import make_body, make_moderator, make_user
from tests.participation.comments.fakehost import Hosts, as_principal


async def test_replies_stay_under_a_hidden_parent_behind_a_placeholder(
    app: Starlette, hosts: Hosts,
    anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:  # fmt: skip
    anonymous, member = anonymous_and_member
    settings = app.state.settings
    body = await make_body()
    hosts.fake.add(1, bodies=[body.id])
    author = await make_user("author@example.org")
    parent = await services.post_comment(
        await as_principal(author), "fake", 1, "Rude words about a neighbour", settings=settings
    )
    replier = await as_principal(await make_user(name="Replier"))
    reply = await services.post_comment(
        replier, "fake", 1, "Please keep it civil", parent_id=parent.id, settings=settings
    )
    deeper = await services.post_comment(
        await as_principal(await make_user()), "fake", 1, "Agreed", parent_id=reply.id,
        settings=settings,
    )  # fmt: skip
    moderator = await as_principal(await make_moderator(body))
    await moderation.hide(moderator, "comment", parent.id, "offensive", "names a neighbour")

    page = await queries.comment_page("fake", 1)
    [top] = page.items
    assert (top.id, top.hidden, top.hidden_reason, top.text, top.author_name) == (
        parent.id,
        "moderator",
        "offensive",
        "",
        "",
    )
    assert [r.id for r in top.replies] == [reply.id]
    assert [r.id for r in top.replies[0].replies] == [deeper.id]

    html = (await anonymous.get("/fake/fake/1")).text
    assert "Hidden by a moderator: Offensive or abusive" in html
    assert "Rude words" not in html and "names a neighbour" not in html
    assert html.index("Hidden by a moderator") < html.index("Please keep it civil")
    assert html.index("Please keep it civil") < html.index("Agreed")

    await login(member, "author@example.org")
    own = (await member.get("/fake/fake/1")).text
    assert "Rude words about a neighbour" in own and "Hidden by a moderator" in own
    assert f"/moderation/appeal/comment/{parent.id}" in own
    assert f"/comments/{parent.id}/edit" not in own  # their words, not to be changed now

    with pytest.raises(NotFound):  # nobody answers or votes on what is hidden
        await services.post_comment(replier, "fake", 1, "More", parent_id=parent.id,
                                    settings=settings)  # fmt: skip
    with pytest.raises(NotFound):
        await cast_vote(replier, "comment", parent.id, 1)
    counts = (await queries.counts_by_target("fake", [1]))[1]
    assert counts.total == 2  # the two replies


async def test_a_comment_hidden_by_flags_is_pending_review_for_others_and_marked_for_its_author(
    app: Starlette, hosts: Hosts,
    anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:  # fmt: skip
    anonymous, member = anonymous_and_member
    settings = app.state.settings
    hosts.fake.add(1)
    await make_user("writer@example.org")
    writer = await as_principal(await make_user("writer2@example.org"))
    c = await services.post_comment(writer, "fake", 1, "Spicy opinion", settings=settings)
    for _ in range(3):
        await moderation.flag(await as_principal(await make_user()), "comment", c.id, "spam")
    html = (await anonymous.get("/fake/fake/1")).text
    assert "Hidden pending review by a moderator." in html and "Spicy opinion" not in html
    await login(member, "writer2@example.org")
    own = (await member.get("/fake/fake/1")).text
    assert "Spicy opinion" in own and "Hidden pending review by a moderator." in own
