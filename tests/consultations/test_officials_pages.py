"""Officials' pages end to end: create, sections, questions, attachments, publish, dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx

from consultations.models import (
    Attachment,
    Consultation,
    ConsultationBody,
    DateChange,
    Question,
    Section,
    Status,
)
from participation.organisations.models import Role
from tests.conftest import login, post_form
from tests.consultations.documents import PDF
from tests.factories import make_body, make_consultation, make_official, make_user


def local(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


async def test_an_editor_drafts_a_joint_consultation_and_a_publisher_opens_it(
    client: httpx.AsyncClient,
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    agency = await make_body("agency", name="Agency", parent=ministry)
    editor = await make_official(ministry, Role.EDITOR)
    publisher = await make_official(agency, Role.PUBLISHER)
    await login(client, editor.email)

    r = await post_form(client, "/consultations/new", {
        "body_id": ministry.id, "original_locale": "en", "title_en": "",
        "summary_en": "Summary", "title_fa": "عنوان",
    }, page="/consultations/new")  # fmt: skip
    assert r.status_code == 400
    assert "This field is required in the original language." in r.text
    assert 'value="عنوان"' in r.text  # what was typed is kept

    r = await post_form(client, "/consultations/new", {
        "body_id": ministry.id, "original_locale": "en", "title_en": "Clean air",
        "summary_en": "A draft policy", "title_fa": "هوای پاک", "co_owners": agency.id,
        "topic": "environment",
    }, page="/consultations/new")  # fmt: skip
    assert r.status_code == 303, r.text
    c = await Consultation.get(slug="clean-air")
    assert c.status == Status.DRAFT and c.i18n["fa"] == {"title": "هوای پاک"}
    assert set(await ConsultationBody.filter(consultation=c).values_list("body_id", flat=True)) == {
        ministry.id, agency.id}  # fmt: skip
    edit = "/consultations/clean-air/edit"

    r = await post_form(client, "/consultations/clean-air/sections", {
        "original_locale": "en", "title_en": "Purpose", "text_en": "Targets for 2030.",
    }, page=edit)  # fmt: skip
    assert r.status_code == 303
    r = await post_form(client, "/consultations/clean-air/questions", {
        "original_locale": "en", "kind": "single", "required": "1", "text_en": "Agree?",
        "options_en": "Yes\nNo", "options_fa": "بله\nنه",
    }, page=edit)  # fmt: skip
    assert r.status_code == 303
    q = await Question.get(consultation=c)
    assert [o["i18n"] for o in q.options] == [{"en": "Yes", "fa": "بله"}, {"en": "No", "fa": "نه"}]

    token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get(edit)).text)
    assert token
    r = await client.post("/consultations/clean-air/attachments",
                          data={"csrf_token": token.group(1), "title": "Full text"},
                          files={"file": ("draft.pdf", PDF, "application/pdf")})  # fmt: skip
    assert r.status_code == 303, r.text
    r = await client.post("/consultations/clean-air/attachments",
                          data={"csrf_token": token.group(1), "title": "Evil"},
                          files={"file": ("evil.pdf", b"<script>", "application/pdf")})  # fmt: skip
    assert r.status_code == 400 and "Only PDF documents can be attached." in r.text
    a = await Attachment.get(consultation=c)
    r = await client.get(f"/consultations/clean-air/attachments/{a.id}")
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="draft.pdf"'

    # the editor sees a preview, may not publish
    r = await client.get("/consultations/clean-air")
    assert r.status_code == 200 and "Preview" in r.text
    now = datetime.now(UTC)
    r = await post_form(client, "/consultations/clean-air/publish", {
        "opens_at": local(now - timedelta(minutes=1)), "closes_at": local(now + timedelta(days=9)),
    }, page=edit)  # fmt: skip
    assert r.status_code == 403
    assert (await Consultation.get(id=c.id)).status == Status.DRAFT

    # nobody else sees the draft
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with other:
        assert (await other.get("/consultations/clean-air")).status_code == 404
        citizen = await make_user()
        await login(other, citizen.email)
        assert (await other.get("/consultations/clean-air")).status_code == 404
        assert (await other.get("/consultations/clean-air/edit")).status_code == 404
        assert (await other.get("/api/v1/consultations/clean-air")).status_code == 404

    # a publisher of the co-owning body opens it
    await login(client, publisher.email)
    r = await post_form(client, "/consultations/clean-air/publish", {
        "opens_at": local(now - timedelta(minutes=1)), "closes_at": local(now - timedelta(days=1)),
    }, page=edit)  # fmt: skip
    assert r.status_code == 400 and "The closing date must be" in r.text
    r = await post_form(client, "/consultations/clean-air/publish", {
        "opens_at": local(now - timedelta(minutes=1)), "closes_at": local(now + timedelta(days=9)),
    }, page=edit)  # fmt: skip
    assert r.status_code == 303
    assert (await Consultation.get(id=c.id)).status == Status.OPEN


async def test_close_early_needs_a_reason_shown_on_the_page(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", name="Ministry")
    publisher = await make_official(ministry, Role.PUBLISHER)
    c = await make_consultation(ministry, slug="roads")
    await login(client, publisher.email)
    edit = "/consultations/roads/edit"
    r = await post_form(client, "/consultations/roads/dates", {"action": "close", "reason": ""},
                        page=edit)  # fmt: skip
    assert r.status_code == 400 and "This field is required." in r.text
    assert (await Consultation.get(id=c.id)).status == Status.OPEN
    r = await post_form(client, "/consultations/roads/dates",
                        {"action": "close", "reason": "The budget was cancelled."}, page=edit)  # fmt: skip
    assert r.status_code == 303
    assert (await Consultation.get(id=c.id)).status == Status.CLOSED
    assert await DateChange.exists(consultation_id=c.id, reason="The budget was cancelled.")
    r = await client.get("/consultations/roads?lang=fr")
    assert "The budget was cancelled." in r.text  # shown publicly


async def test_officials_of_another_body_cannot_manage(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", name="Ministry")
    city = await make_body("city", name="City")
    await make_consultation(ministry, slug="roads", status="scheduled")
    stranger = await make_official(city, Role.PUBLISHER)
    await login(client, stranger.email)
    assert (await client.get("/consultations/roads/edit")).status_code == 403
    r = await post_form(client, "/consultations/roads/sections",
                        {"original_locale": "en", "title_en": "X", "text_en": "Y"})  # fmt: skip
    assert r.status_code == 403
    r = await post_form(client, "/consultations/roads/dates",
                        {"action": "extend", "reason": "why not", "closes_at": "2099-01-01T00:00"})  # fmt: skip
    assert r.status_code == 403
    assert await Section.filter(consultation__slug="roads").count() == 2
