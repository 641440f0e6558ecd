"""Where the rules are set: a consultation's flag threshold and pre-moderation switch on its
edit form (Persian digits accepted, empty = the body's default, errors next to the field with
what was typed kept), and a body's default threshold on the body form; a paper submission is
flagged and hidden like any comment, with nobody to mail."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from consultations.hosts import ConsultationHost
from consultations.models import Consultation
from participation.comments.models import Channel, Comment
from participation.moderation import services
from participation.moderation.models import HiddenKind, ModerationState
from participation.moderation.targets import Space, moderated
from participation.organisations.body_settings import settings_of
from participation.organisations.models import Body, Role
from participation.sanitize import sanitize_comment, text_hash
from tests.conftest import login, post_form
from tests.factories import (
    make_body,
    make_consultation,
    make_official,
    make_user,
    sent_mails,
)
from tests.participation.comments.fakehost import as_principal

TEXTS = {"original_locale": "en", "title_en": "Bus lanes", "summary_en": "Where buses run"}


async def test_officials_set_the_threshold_and_pre_moderation_on_the_edit_form(
    client: httpx.AsyncClient,
) -> None:
    body = await make_body(settings={"flag_threshold": 4})
    c = await make_consultation(body, status="draft", slug="bus-lanes")
    await make_official(body, Role.EDITOR, email="editor@example.org")
    await login(client, "editor@example.org")
    edit = "/consultations/bus-lanes/edit"
    page = (await client.get(edit)).text
    assert 'name="flag_threshold"' in page and 'name="premoderated"' in page
    r = await post_form(client, edit, {**TEXTS, "flag_threshold": "۲", "premoderated": "1"},
                        page=edit)  # fmt: skip
    assert r.status_code == 303
    c = await Consultation.get(id=c.id)
    assert (c.flag_threshold, c.premoderated) == (2, True)
    item_space = await _space_of(c)
    assert (item_space.flag_threshold, item_space.premoderated) == (2, True)

    r = await post_form(client, edit, {**TEXTS, "flag_threshold": "-1"}, page=edit)
    assert r.status_code == 400 and 'value="-1"' in r.text
    assert "Please enter a number between 0 and 1000." in r.text

    r = await post_form(client, edit, {**TEXTS, "flag_threshold": ""}, page=edit)
    assert r.status_code == 303
    c = await Consultation.get(id=c.id)
    assert (c.flag_threshold, c.premoderated) == (None, False)
    assert (await _space_of(c)).flag_threshold == 4  # the body's default


async def _space_of(c: Consultation) -> Space:
    target = await ConsultationHost().load(c.id)
    return await ConsultationHost().moderation_space(target)


async def test_administrators_set_a_bodys_default_threshold(client: httpx.AsyncClient) -> None:
    body = await make_body("health", name="Health")
    await make_user("admin@example.org", admin=True)
    await login(client, "admin@example.org")
    form = {
        "original_locale": "en", "name_en": "Health", "petition_open_days": "182",
        "petition_response_days": "90", "petition_response_threshold": "10000",
        "petition_debate_threshold": "100000",
    }  # fmt: skip
    page = "/admin/bodies/health/edit"
    assert 'name="flag_threshold" type="text" value="3"' in (await client.get(page)).text
    r = await post_form(client, page, {**form, "flag_threshold": "0"}, page=page)
    assert r.status_code == 303
    assert settings_of(await Body.get(id=body.id)).flag_threshold == 0
    r = await post_form(client, page, form, page=page)  # left empty: the default again
    assert r.status_code == 303
    assert settings_of(await Body.get(id=body.id)).flag_threshold == 3


async def test_a_paper_submission_is_flagged_and_hidden_like_any_comment(app: Starlette) -> None:
    body = await make_body()
    c = await make_consultation(body)
    text = "A letter with a phone number in it"
    paper = await Comment.create(
        target_type="consultation", target_id=c.id, author_id=None, author_name="A. Writer",
        body_raw=text, body_html=sanitize_comment(text), channel=Channel.POST,
        entered_by_body_id=body.id, created_at=c.created_at, text_hash=text_hash(text),
    )  # fmt: skip
    item = await moderated("comment", paper.id)
    assert item is not None and item.author_id is None and item.body_ids == (body.id,)
    for _ in range(3):
        await services.flag(await as_principal(await make_user()), "comment", paper.id,
                            "personal_data")  # fmt: skip
    state = await ModerationState.get(target_id=paper.id)
    assert state.hidden_kind == HiddenKind.FLAGS
    assert sent_mails(app.state.settings) == []  # nobody to tell
