"""Posting keeps a comment's target and moderation rules for a second when the read cache is
on (production; consultations.hosts): a stream of comments does not read them again, and a
commit of this process (the consultation closed) is seen by the very next post."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from consultations import queries, services
from participation.accounts.principal import load_principal
from participation.comments import services as comment_services
from participation.errors import Forbidden
from participation.settings import Settings
from tests.consultations.test_section_page import counting
from tests.factories import make_body, make_consultation, make_official, make_user

TARGET_TABLES = ('"consultation_sections"', '"consultation_bodies"', '"bodies"')


async def test_a_stream_of_comments_reads_its_target_once_and_sees_a_close_at_once(
    db: Starlette, read_cache_on: None, monkeypatch: pytest.MonkeyPatch, settings: Settings,
    backend: str,
) -> None:  # fmt: skip
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads")
    section = (await queries.sections(c.id))[0]
    author = await load_principal((await make_user()).id, None)
    first = await comment_services.post_comment(
        author, "section", section.id, "The first remark", settings=settings
    )
    with counting(monkeypatch) as seen:
        second = await comment_services.post_comment(
            author, "section", section.id, "The second remark", settings=settings
        )
    assert second.id > first.id
    if backend == "postgres":  # SQLite writes in a transaction, whose commit empties the memo
        assert not [q for q in seen if any(t in q for t in TARGET_TABLES)], seen
    publisher = await load_principal((await make_official(ministry)).id, None)
    await services.close_early(publisher, c, reason="The law was withdrawn.")
    with pytest.raises(Forbidden):
        await comment_services.post_comment(
            author, "section", section.id, "Too late", settings=settings
        )


async def test_without_the_read_cache_every_post_reads_its_target(
    db: Starlette, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads")
    section = (await queries.sections(c.id))[0]
    author = await load_principal((await make_user()).id, None)
    await comment_services.post_comment(author, "section", section.id, "A remark",
                                        settings=settings)  # fmt: skip
    with counting(monkeypatch) as seen:
        await comment_services.post_comment(author, "section", section.id, "Another remark",
                                            settings=settings)  # fmt: skip
    assert [q for q in seen if '"consultation_sections"' in q]
