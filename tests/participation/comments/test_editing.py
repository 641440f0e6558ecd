"""Editing within the window with history kept; deleting keeps a placeholder for replies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participation.comments import queries, rendering, services
from participation.comments.models import Comment, CommentRevision
from participation.errors import DomainError
from participation.organisations.models import Role
from participation.settings import Settings
from participation.web.errors import status_of
from tests.factories import make_body, make_moderator, make_official, make_user
from tests.participation.comments.fakehost import Hosts, as_principal


async def test_the_author_edits_within_the_window_and_the_history_is_kept(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    c = await services.post_comment(p, "fake", 1, "Frist version", settings=settings)
    await services.edit_comment(
        p, c.id, "First version", now=c.created_at + timedelta(minutes=14), settings=settings
    )
    edited = await Comment.get(id=c.id)
    assert edited.body_raw == "First version" and edited.edited_at is not None
    [rev] = await queries.revisions(c.id)
    assert rev["body_raw"] == "Frist version"
    page = await rendering.thread("fake", 1, settings=settings)
    assert page.items[0].text == "First version"
    assert "(edited)" in str(page.items[0].html)


async def test_editing_after_the_window_is_refused(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    p = await as_principal(await make_user())
    c = await services.post_comment(p, "fake", 1, "Original", settings=settings)
    # the comment was posted 16 minutes ago
    await Comment.filter(id=c.id).update(created_at=c.created_at - timedelta(minutes=16))
    with pytest.raises(DomainError) as exc:
        await services.edit_comment(p, c.id, "Changed", settings=settings)
    assert status_of(exc.value) == 403 and "15 minutes" in str(exc.value.message)
    assert (await Comment.get(id=c.id)).body_raw == "Original"
    assert await CommentRevision.all().count() == 0
    page = await rendering.thread("fake", 1, settings=settings, viewer=p)
    assert page.items[0].can_delete and not page.items[0].can_edit


async def test_nobody_else_edits_a_comment(db: object, hosts: Hosts, settings: Settings) -> None:
    body = await make_body()
    hosts.fake.add(1, bodies=[body.id])
    p = await as_principal(await make_user())
    c = await services.post_comment(p, "fake", 1, "Mine", settings=settings)
    for other in (await make_user(), await make_moderator(body), await make_official(body)):
        with pytest.raises(DomainError) as exc:
            await services.edit_comment(
                await as_principal(other), c.id, "Theirs", settings=settings
            )
        assert status_of(exc.value) == 403
    assert (await Comment.get(id=c.id)).body_raw == "Mine"


async def test_deleting_keeps_a_placeholder_so_replies_stay_in_place(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    hosts.fake.add(1)
    author = await as_principal(await make_user(name="Author"))
    replier = await as_principal(await make_user())
    top = await services.post_comment(
        author, "fake", 1, "Secret opinion", stance="for", settings=settings
    )
    await services.post_comment(replier, "fake", 1, "A reply", parent_id=top.id, settings=settings)
    lonely = await services.post_comment(
        author, "fake", 1, "Nobody answered this", settings=settings
    )
    await services.delete_comment(author, top.id)
    await services.delete_comment(author, lonely.id)
    page = await rendering.thread("fake", 1, settings=settings)
    [placeholder] = page.items
    assert placeholder.deleted and placeholder.text == "" and placeholder.author_name == ""
    assert "This comment was deleted." in str(placeholder.html)
    assert "Secret opinion" not in str(placeholder.html)
    assert [r.text for r in placeholder.replies] == ["A reply"]
    counts = (await queries.counts_by_target("fake", [1]))[1]
    assert counts.total == 1 and counts.for_ == 0
    with pytest.raises(DomainError):
        await services.post_comment(
            replier, "fake", 1, "Reply to the void", parent_id=top.id, settings=settings
        )


async def test_a_moderator_of_the_body_may_delete_but_an_official_may_not(
    db: object, hosts: Hosts, settings: Settings
) -> None:
    body = await make_body()
    hosts.fake.add(1, bodies=[body.id])
    p = await as_principal(await make_user())
    c = await services.post_comment(p, "fake", 1, "Rude words", settings=settings)
    official = await as_principal(await make_official(body, Role.PUBLISHER))
    with pytest.raises(DomainError):
        await services.delete_comment(official, c.id)
    await services.delete_comment(await as_principal(await make_moderator(body)), c.id)
    assert (await Comment.get(id=c.id)).deleted_at is not None
