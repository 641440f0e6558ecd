"""The portal list: filters, search in every language, keyset pages, never drafts."""

from __future__ import annotations

from consultations import queries
from consultations.models import Status
from tests.factories import make_consultation


def names(items) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.slug for c in items]


async def test_search_finds_titles_and_summaries_in_every_language(world) -> None:
    await make_consultation(world.ministry, slug="air", i18n={
        "en": {"title": "Clean air", "summary": "Low-emission zones"},
        "fa": {"title": "هوای پاک", "summary": "مناطق کم‌انتشار"},
        "fr": {"title": "Air pur", "summary": "Zones à faibles émissions"},
    })  # fmt: skip
    await make_consultation(world.other, slug="libraries", i18n={
        "en": {"title": "Library hours", "summary": "Evenings and Fridays"},
    })  # fmt: skip
    await make_consultation(world.ministry, slug="secret-draft", status="draft", i18n={
        "en": {"title": "Clean air draft", "summary": "Not yet public"},
    })  # fmt: skip
    for q, expected in [("clean", ["air"]), ("هوای", ["air"]), ("ÉMISSIONS", ["air"]),
                        ("friday", ["libraries"]), ("zones faibles", ["air"]),
                        ("nothing-like-this", [])]:  # fmt: skip
        items, _ = await queries.list_consultations(queries.Filters(q=q))
        assert names(items) == expected, q


async def test_filters_by_body_status_topic_and_region(world) -> None:
    await make_consultation(world.ministry, slug="m-open", topic="health", region="North")
    await make_consultation(world.other, slug="c-open", topic="transport", region="City",
                            co_owners=(world.agency,))  # fmt: skip
    await make_consultation(world.other, slug="c-closed", status="closed", topic="transport")
    await make_consultation(world.other, slug="c-draft", status="draft", topic="transport")

    async def slugs(**kw) -> set[str]:  # type: ignore[no-untyped-def]
        items, _ = await queries.list_consultations(queries.Filters(**kw))
        return set(names(items))

    assert await slugs() == {"m-open", "c-open", "c-closed"}
    assert await slugs(body_id=world.agency.id) == {"c-open"}  # co-owner counts as owner
    assert await slugs(status=Status.CLOSED) == {"c-closed"}
    assert await slugs(topic="transport") == {"c-open", "c-closed"}
    assert await slugs(region="North") == {"m-open"}


async def test_keyset_pages_have_no_duplicates_and_no_gaps(world) -> None:
    for i in range(7):
        await make_consultation(world.ministry, slug=f"c{i}")
    seen: list[str] = []
    cursor = None
    while True:
        items, cursor = await queries.list_consultations(queries.Filters(), cursor=cursor, limit=3)
        seen += names(items)
        # a consultation published while paging appears on the first page, never twice
        if len(seen) == 3:
            await make_consultation(world.ministry, slug="late")
        if cursor is None:
            break
    assert sorted(seen) == sorted(f"c{i}" for i in range(7))
    assert seen == [f"c{i}" for i in reversed(range(7))]
