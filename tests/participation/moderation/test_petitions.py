"""Petitions are flagged through the generic flags (the report form on their page), hidden at
their body's threshold pending review, hidden by their body's moderators with the creator
mailed, and appealed by the creator, like comments. A hidden petition leaves the lists, the
API, its page and its signing form for everyone but its creator and the moderators."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from participation.moderation import appeals, services
from participation.moderation.models import HiddenKind, ModerationState
from petitions.models import Signature
from tests.conftest import login, post_form
from tests.factories import mail_text, make_body, make_moderator, make_user, sent_mails
from tests.participation.comments.fakehost import as_principal
from tests.petitions.conftest import make_petition


async def _flag_through_the_page(client: httpx.AsyncClient, petition_id: int) -> httpx.Response:
    return await post_form(client, "/moderation/flag", {
        "target_type": "petition", "target_id": petition_id, "reason": "offensive",
        "next": f"/petitions/{petition_id}",
    }, page=f"/petitions/{petition_id}")  # fmt: skip


async def test_a_petition_is_flagged_hidden_at_its_bodys_threshold_and_appealed(
    app: Starlette, anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    anonymous, member = anonymous_and_member
    settings = app.state.settings
    body = await make_body(settings={"flag_threshold": 2})
    creator = await make_user("creator@example.org")
    p = await make_petition(body, creator=creator, title="Close the old mine")
    await login(member, (await make_user("first@example.org")).email)
    page = (await member.get(f"/petitions/{p.id}")).text
    assert 'action="http://testserver/moderation/flag"' in page  # the report form
    r = await _flag_through_the_page(member, p.id)
    assert r.status_code == 303 and r.headers["location"].endswith(f"/petitions/{p.id}")
    assert "Close the old mine" in (await anonymous.get("/petitions/")).text
    await services.flag(await as_principal(await make_user()), "petition", p.id, "spam")
    state = await ModerationState.get(target_type="petition", target_id=p.id)
    assert state.hidden_kind == HiddenKind.FLAGS and state.flag_count == 2

    assert "Close the old mine" not in (await anonymous.get("/petitions/")).text
    assert "Close the old mine" not in (await anonymous.get("/api/v1/petitions")).text
    assert (await anonymous.get(f"/api/v1/petitions/{p.id}")).status_code == 404
    assert (await anonymous.get(f"/petitions/{p.id}")).status_code == 404
    r = await post_form(anonymous, f"/petitions/{p.id}/sign", {
        "name": "Sam", "email": "sam@example.net", "region": "tehran", "eligible": "1",
    })  # fmt: skip
    assert r.status_code == 404 and await Signature.filter(petition_id=p.id).count() == 0

    await login(member, "creator@example.org")
    own = (await member.get(f"/petitions/{p.id}")).text
    assert "Hidden pending review by a moderator." in own

    moderator = await as_principal(await make_moderator(body))
    await services.hide(moderator, "petition", p.id, "offensive", "insults a family",
                        base_url=settings.base_url)  # fmt: skip
    mail = sent_mails(settings)[-1]
    assert mail["To"] == "creator@example.org" and "Close the old mine" in mail_text(mail)
    appeal_page = await member.get(f"/moderation/appeal/petition/{p.id}")
    assert appeal_page.status_code == 200 and "insults a family" in appeal_page.text
    await appeals.appeal(await as_principal(creator), "petition", p.id, "The family asked me to")
    record = (await anonymous.get(f"/moderation/record/body/{body.id}")).text
    assert "Offensive or abusive</th><td>1" in record.replace("</th>\n  <td>", "</th><td>")
