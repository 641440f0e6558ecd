""" "I did not write / sign this": from the link in a signature's confirmation mail, the owner
of the address disowns the signature (it leaves the count, is kept as suspect for review,
marked and audited); the signed-in author of a comment disowns it (held for review, gone from
others' pages); nobody else can; a second time changes nothing; without JavaScript."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from participation.audit.models import AuditEvent
from participation.comments import services as comments
from participation.integrity import services
from participation.integrity.models import Disowned
from participation.moderation import queries as moderation_queries
from participation.moderation.models import HiddenKind, ModerationState
from petitions import counting
from petitions.models import Petition, Signature
from tests.conftest import login, post_form
from tests.factories import links_in, make_body, make_consultation, make_user, sent_mails
from tests.participation.comments.fakehost import as_principal
from tests.petitions.conftest import add_signatures, make_petition, sign_data


async def _disown_link(client: httpx.AsyncClient, settings: object, petition: Petition) -> str:
    url = f"/petitions/{petition.id}"
    await post_form(client, f"{url}/sign", sign_data("victim@example.org"), page=url)
    mail = sent_mails(settings)[-1]
    confirm = next(u for u in links_in(mail) if "/petitions/confirm/" in u)
    (disown,) = [u for u in links_in(mail) if "/integrity/disown/link/signature/" in u]
    await client.get(confirm)  # the signature is confirmed (by whoever reads the mailbox)
    return disown.removeprefix("http://testserver")


async def test_the_owner_of_the_address_disowns_a_signature_from_the_mailed_link(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    settings = app.state.settings
    p = await make_petition(await make_body())
    await add_signatures(p, 3)
    link = await _disown_link(client, settings, p)
    await counting.count_signatures()
    assert (await Petition.get(id=p.id)).signature_count == 4
    page = await client.get(link)
    assert page.status_code == 200 and p.title in page.text and 'type="checkbox"' in page.text
    r = await post_form(client, link, {}, page=link)  # not ticked: asked again
    assert r.status_code == 400
    assert not await Disowned.exists()
    r = await post_form(client, link, {"sure": "1"}, page=link)
    assert r.status_code == 200 and "no longer counted" in r.text
    sig = await Signature.get(email="victim@example.org")
    assert sig.suspect  # kept, for a moderator's review among the petition's suspects
    assert (await Petition.get(id=p.id)).signature_count == 3
    assert await Disowned.filter(target_type="signature", target_id=sig.id, via="mail").exists()
    event = await AuditEvent.get(action="integrity.disown")
    assert event.data == {"via": "mail", "signature": sig.id} and event.actor_id is None
    # a second time changes nothing
    r = await post_form(client, link, {"sure": "1"}, page=link)
    assert r.status_code == 200
    assert await AuditEvent.filter(action="integrity.disown").count() == 1
    await counting.count_signatures()
    assert (await Petition.get(id=p.id)).signature_count == 3


async def test_a_forged_link_is_not_found(client: httpx.AsyncClient) -> None:
    for url in ("/integrity/disown/link/signature/not-a-token",
                "/integrity/disown/link/nothing/not-a-token"):  # fmt: skip
        assert (await client.get(url)).status_code == 404


async def test_the_author_of_a_comment_disowns_it_and_it_waits_for_review(
    anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient], app: Starlette
) -> None:
    anonymous, member = anonymous_and_member
    settings = app.state.settings
    c = await make_consultation(await make_body(), title="Bus lanes")
    section = await c.sections.all().order_by("position").first()  # type: ignore[attr-defined]
    author = await make_user("owner@example.org")
    comment = await comments.post_comment(await as_principal(author), "section", section.id,
                                          "Words I never wrote", settings=settings)  # fmt: skip
    url = f"/integrity/disown/comment/{comment.id}"
    page_url = f"/consultations/{c.slug}/sections/1"
    assert "Words I never wrote" in (await anonymous.get(page_url)).text
    assert (await anonymous.get(url)).status_code in (302, 303, 401)  # sign in first
    await make_user("other@example.org")
    await login(member, "other@example.org")
    assert (await member.get(url)).status_code == 404  # not theirs
    await login(member, "owner@example.org")
    profile = (await member.get("/account/profile")).text
    assert "/integrity/mine" in profile
    mine = (await member.get("/integrity/mine")).text
    assert "Words I never wrote" in mine and url in mine
    r = await member.get(url)
    assert r.status_code == 200 and "Words I never wrote" in r.text
    r = await post_form(member, url, {"sure": "1"}, page=url)
    assert r.status_code == 200 and "no longer shown" in r.text
    assert "Words I never wrote" not in (await anonymous.get(page_url)).text
    state = await ModerationState.get(target_type="comment", target_id=comment.id)
    assert state.hidden_kind == HiddenKind.PENDING and state.queued_at is not None
    assert comment.id in {i.target_id for i in await moderation_queries.queue(None)}
    event = await AuditEvent.get(action="integrity.disown")
    assert (event.actor_id, event.target_type, event.target_id) == (
        author.id, "comment", str(comment.id),
    )  # fmt: skip
    mine = (await member.get("/integrity/mine")).text
    assert "a moderator will review it" in mine and url not in mine
    assert await services.disown_comment(await as_principal(author), comment.id) is False
    assert await AuditEvent.filter(action="integrity.disown").count() == 1
