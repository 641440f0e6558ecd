"""After opening, a section changes only through a new version; old versions are kept."""

from __future__ import annotations

import pytest

from consultations import queries, services
from consultations.models import Section
from participation.errors import Forbidden
from tests.factories import make_consultation


async def test_new_versions_keep_the_old_text(world) -> None:
    c = await make_consultation(world.ministry, status="open")
    section = (await queries.sections(c.id))[0]
    p = world.people["publisher"]
    await services.publish_section_version(
        p, c, section, i18n={"en": {"title": "Article 1", "text": "Second text."}},
        original_locale="en", note="Clearer wording",
    )  # fmt: skip
    await services.publish_section_version(
        p, c, section, i18n={"en": {"title": "Article 1", "text": "Third text."}},
        original_locale="en", note="Typo",
    )  # fmt: skip
    versions = await queries.section_versions(section.id)
    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.tr("text").text for v in versions] == [
        "Text of article 1.", "Second text.", "Third text."]  # fmt: skip
    assert versions[1].note == "Clearer wording"
    current = await Section.get(id=section.id)
    assert current.version == 3 and current.tr("text").text == "Third text."


async def test_section_text_cannot_be_edited_in_place_after_opening(world) -> None:
    c = await make_consultation(world.ministry, status="open")
    section = (await queries.sections(c.id))[0]
    with pytest.raises(Forbidden):
        await services.edit_section(world.people["publisher"], c, section,
                                    i18n={"en": {"title": "X", "text": "Y"}},
                                    original_locale="en")  # fmt: skip
    with pytest.raises(Forbidden):  # editors cannot publish versions
        await services.publish_section_version(
            world.people["editor"], c, section, i18n={"en": {"title": "X", "text": "Y"}},
            original_locale="en", note="n",
        )  # fmt: skip
    assert (await Section.get(id=section.id)).tr("text").text == "Text of article 1."
    assert len(await queries.section_versions(section.id)) == 1


async def test_every_version_can_be_read_with_its_date(client, world) -> None:  # type: ignore[no-untyped-def]
    c = await make_consultation(world.ministry, status="open", slug="roads")
    section = (await queries.sections(c.id))[0]
    for text in ("Second text.", "Third text."):
        await services.publish_section_version(
            world.people["publisher"], c, section, original_locale="en", note="Changed",
            i18n={"en": {"title": "Article 1", "text": text}},
        )  # fmt: skip
    r = await client.get("/consultations/roads/sections/1/versions/1")
    assert r.status_code == 200
    assert "Version 1 of 3, published" in r.text and "Text of article 1." in r.text
    r = await client.get("/consultations/roads/sections/1")
    assert "Third text." in r.text and "Version 3 of 3" in r.text
    assert (await client.get("/consultations/roads/sections/1/versions/4")).status_code == 404
