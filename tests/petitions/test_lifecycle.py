"""A petition's whole life: written, sponsored, moderated, signed, confirmed, counted, closed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from participation.audit.models import AuditEvent
from petitions import counting, lifecycle
from petitions.models import Petition, Signature, SignatureStatus, Status
from tests.conftest import login, post_form
from tests.factories import links_in, make_body, make_moderator, make_user, sent_mails
from tests.petitions.conftest import client_from, make_petition, sign_data

PETITION = {
    "title": "Plant trees along the river road", "action": "Plant a row of trees along the road.",
    "background": "The road is hot in summer.", "details": "", "language": "en",
    "region": "tehran",
}  # fmt: skip


async def test_whole_lifecycle(app, client, settings):
    body = await make_body(names={"en": "City of Tehran"})
    await make_user("author@example.org")
    moderator = await make_moderator(None, email="mod@example.org")
    await make_petition(body, title="Plant more trees in parks")

    await login(client, "author@example.org")
    form = {**PETITION, "body_id": body.id, "step": "check"}
    r = await post_form(client, "/petitions/new", form, page="/petitions/new")
    assert r.status_code == 200
    assert "Plant more trees in parks" in r.text  # similar open petition shown before submit
    r = await post_form(client, "/petitions/new", {**form, "step": "submit"}, page="/petitions/new")
    assert r.status_code == 303
    p = await Petition.get(title=PETITION["title"])
    assert p.status == Status.SPONSORING
    page = await client.get(f"/petitions/{p.id}")
    assert f"/petitions/{p.id}/sponsor/{p.sponsor_token}" in page.text

    sponsor_url = f"/petitions/{p.id}/sponsor/{p.sponsor_token}"
    for i in range(settings.petition_sponsors_needed):
        async with client_from(app, f"192.0.2.{i + 1}") as other:
            r = await post_form(other, sponsor_url, sign_data(f"sponsor{i}@example.org"),
                                page=sponsor_url)  # fmt: skip
            assert r.status_code == 303, r.text[:300]
            link = [u for u in links_in(sent_mails(settings)[-1]) if "/petitions/confirm/" in u][0]
            assert (await Petition.get(id=p.id)).status == Status.SPONSORING
            r = await other.get(link.replace("http://testserver", ""))
            assert "Your signature is confirmed" in r.text
    assert (await Petition.get(id=p.id)).status == Status.MODERATION

    await login(client, moderator.email)
    r = await client.get("/petitions/moderation")
    assert PETITION["title"] in r.text
    r = await post_form(client, f"/petitions/{p.id}/moderate", {"decision": "publish"})
    assert r.status_code == 303
    p = await Petition.get(id=p.id)
    assert p.status == Status.OPEN and p.closes_at is not None
    assert await AuditEvent.filter(action="petition.publish").count() == 1

    client.cookies.clear()
    r = await post_form(client, f"/petitions/{p.id}/sign", sign_data("reader@example.org"),
                        page=f"/petitions/{p.id}")  # fmt: skip
    assert r.status_code == 303 and "signed=pending" in r.headers["location"]
    sig = await Signature.get(petition_id=p.id, canonical_email="reader@example.org")
    assert sig.status == SignatureStatus.PENDING
    await counting.count_signatures()
    assert (await Petition.get(id=p.id)).signature_count == 1 + settings.petition_sponsors_needed

    link = [u for u in links_in(sent_mails(settings)[-1]) if "/petitions/confirm/" in u][0]
    r = await client.get(link.replace("http://testserver", ""))
    assert r.status_code == 200
    await counting.count_signatures()
    p = await Petition.get(id=p.id)
    assert p.signature_count == 2 + settings.petition_sponsors_needed
    assert p.region_counts["fars"] == 1 + settings.petition_sponsors_needed
    page = await client.get(f"/petitions/{p.id}")
    assert f"{p.signature_count} signatures" in page.text

    closed = await lifecycle.close_due_petitions(now=datetime.now(UTC) + timedelta(days=400))
    assert p.id in closed
    assert (await Petition.get(id=p.id)).status == Status.CLOSED
    r = await post_form(client, f"/petitions/{p.id}/sign", sign_data("late@example.org"),
                        page=f"/petitions/{p.id}")  # fmt: skip
    assert r.status_code == 409


async def test_sponsor_threshold_needs_confirmed_sponsors(client, settings):
    body = await make_body()
    p = await make_petition(body, status=Status.SPONSORING)
    url = f"/petitions/{p.id}/sponsor/{p.sponsor_token}"
    for i in range(settings.petition_sponsors_needed):
        r = await post_form(client, url, sign_data(f"s{i}@example.org"), page=url)
        assert r.status_code == 303
    # unconfirmed sponsors do not move it
    assert (await Petition.get(id=p.id)).status == Status.SPONSORING
    links = [u for m in sent_mails(settings) for u in links_in(m) if "/confirm/" in u]
    for link in links[:-1]:
        await client.get(link.replace("http://testserver", ""))
    assert (await Petition.get(id=p.id)).status == Status.SPONSORING
    await client.get(links[-1].replace("http://testserver", ""))
    p = await Petition.get(id=p.id)
    assert p.status == Status.MODERATION and p.submitted_at is not None


async def test_wrong_sponsor_token_is_not_found(client):
    p = await make_petition(await make_body(), status=Status.SPONSORING)
    assert (await client.get(f"/petitions/{p.id}/sponsor/wrong")).status_code == 404


async def test_petition_form_errors_are_shown(client):
    await make_body()
    await make_user("author@example.org")
    await login(client, "author@example.org")
    r = await post_form(client, "/petitions/new", {"title": "x" * 81, "step": "check"},
                        page="/petitions/new")  # fmt: skip
    assert r.status_code == 400
    assert "80 characters or fewer" in r.text
