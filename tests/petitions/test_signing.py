"""Signing: one signature per person by canonical e-mail, one step when signed in, refusals,
expiry of unconfirmed signatures."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from petitions import counting, invalidations, signing
from petitions.models import Signature, SignatureStatus
from petitions.signing import canonical_email
from tests.conftest import login, post_form
from tests.factories import links_in, make_body, make_moderator, make_user, sent_mails
from tests.petitions.conftest import add_signatures, client_from, make_petition, sign_data


def test_canonical_email_folds_case_tags_and_gmail_dots():
    assert canonical_email("Jane.Doe+petitions@GoogleMail.com") == "janedoe@gmail.com"
    assert canonical_email("j.a.n.e.doe@gmail.com") == "janedoe@gmail.com"
    assert canonical_email("Jane.Doe+x@Example.org") == "jane.doe@example.org"


async def test_signing_twice_keeps_one_signature_and_resends_the_link(client, settings):
    p = await make_petition(await make_body())
    url = f"/petitions/{p.id}"
    r1 = await post_form(client, f"{url}/sign", sign_data("Jane.Doe@gmail.com"), page=url)
    r2 = await post_form(client, f"{url}/sign", sign_data("janedoe+again@googlemail.com"), page=url)
    assert "signed=pending" in r1.headers["location"]
    assert r2.headers["location"] == r1.headers["location"]  # a repeat is not told apart
    assert await Signature.filter(petition_id=p.id).count() == 1
    mails = sent_mails(settings)
    assert len(mails) == 2
    assert mails[1]["To"] == "Jane.Doe@gmail.com".lower()  # the existing signature's address
    page = await client.get(r2.headers["location"])
    assert "check your e-mail" in page.text and "already signed" not in page.text


async def test_signed_in_user_with_confirmed_address_signs_in_one_step(client, settings):
    p = await make_petition(await make_body())
    await make_user("citizen@example.org")
    await login(client, "citizen@example.org")
    url = f"/petitions/{p.id}"
    r = await post_form(client, f"{url}/sign", sign_data("citizen@example.org"), page=url)
    assert "signed=signed" in r.headers["location"]
    sig = await Signature.get(petition_id=p.id)
    assert sig.status == SignatureStatus.CONFIRMED and sig.user_id is not None
    assert sent_mails(settings) == []
    await counting.count_signatures()
    page = await client.get(url)
    assert "1 signature" in page.text


async def test_signing_with_another_address_while_signed_in_needs_confirmation(client):
    p = await make_petition(await make_body())
    await make_user("citizen@example.org")
    await login(client, "citizen@example.org")
    url = f"/petitions/{p.id}"
    r = await post_form(client, f"{url}/sign", sign_data("other@example.org"), page=url)
    assert "signed=pending" in r.headers["location"]


async def test_form_errors_are_shown_next_to_the_fields(client):
    p = await make_petition(await make_body())
    url = f"/petitions/{p.id}"
    r = await post_form(client, f"{url}/sign", sign_data("not-an-address", eligible=None), page=url)
    assert r.status_code == 400
    assert "valid e-mail address" in r.text
    assert "tick this box" in r.text
    assert await Signature.filter(petition_id=p.id).count() == 0


async def test_disposable_addresses_are_refused(client):
    p = await make_petition(await make_body())
    url = f"/petitions/{p.id}"
    r = await post_form(client, f"{url}/sign", sign_data("someone@mailinator.com"), page=url)
    assert r.status_code == 400
    assert "disposable" in r.text
    assert await Signature.filter(petition_id=p.id).count() == 0


async def test_domains_and_networks_blocked_by_moderators_are_refused(client, app):
    p = await make_petition(await make_body())
    mod = await make_moderator(None)
    await invalidations.block_domain(mod.id, "spam.example", "wave of fakes")
    await invalidations.block_network(mod.id, "127.0.0.0/8", "scripted")
    url = f"/petitions/{p.id}"
    r = await post_form(client, f"{url}/sign", sign_data("a@spam.example"), page=url)
    assert r.status_code == 400 and "domain are not accepted" in r.text
    r = await post_form(client, f"{url}/sign", sign_data("a@fine.example"), page=url)
    assert r.status_code == 400 and "network are not accepted" in r.text
    assert await Signature.filter(petition_id=p.id).count() == 0


async def test_pending_signatures_expire_after_seven_days(client, settings):
    p = await make_petition(await make_body())
    url = f"/petitions/{p.id}"
    await post_form(client, f"{url}/sign", sign_data("late@example.org"), page=url)
    link = [u for u in links_in(sent_mails(settings)[-1]) if "/confirm/" in u][0]
    old = await add_signatures(p, 1, confirmed=False, at=datetime.now(UTC) - timedelta(days=8))
    removed = await signing.expire_pending()
    assert removed == 1
    assert not await Signature.filter(id=old[0].id).exists()
    assert await Signature.filter(petition_id=p.id, status=SignatureStatus.PENDING).count() == 1
    assert (await client.get(link.replace("http://testserver", ""))).status_code == 200


async def test_a_forged_or_stale_link_confirms_nothing(client):
    r = await client.get("/petitions/confirm/not-a-token")
    assert r.status_code == 400
    assert "does not work" in r.text


async def test_a_confirmation_link_of_an_expired_signature_does_not_work(client, settings):
    p = await make_petition(await make_body())
    url = f"/petitions/{p.id}"
    await post_form(client, f"{url}/sign", sign_data("gone@example.org"), page=url)
    link = [u for u in links_in(sent_mails(settings)[-1]) if "/confirm/" in u][0]
    await signing.expire_pending(now=datetime.now(UTC) + timedelta(days=8))
    r = await client.get(link.replace("http://testserver", ""))
    assert r.status_code == 400


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


async def test_the_answer_does_not_tell_whether_an_address_has_signed(client, settings):
    p = await make_petition(await make_body())
    url = f"/petitions/{p.id}"
    answers, pages = [], []
    for email in ("Reza@Example.org", "reza@example.org", "REZA+again@example.org"):
        r = await post_form(client, f"{url}/sign", sign_data(email), page=url)
        assert r.status_code == 303
        answers.append(r.headers["location"])
        pages.append(_without_tokens((await client.get(r.headers["location"])).text))
    assert len(set(answers)) == 1 and "signed=pending" in answers[0]  # new, repeat, variant
    assert len(set(pages)) == 1 and "check your e-mail" in pages[0]
    assert await Signature.filter(petition_id=p.id).count() == 1
    assert [m["To"] for m in sent_mails(settings)] == ["reza@example.org"] * 3


async def test_a_signer_whose_address_is_proven_is_told_it_had_signed(client):
    p = await make_petition(await make_body())
    await make_user("citizen@example.org")
    await login(client, "citizen@example.org")
    url = f"/petitions/{p.id}"
    await post_form(client, f"{url}/sign", sign_data("citizen@example.org"), page=url)
    r = await post_form(client, f"{url}/sign", sign_data("Citizen@example.org"), page=url)
    assert "signed=repeat" in r.headers["location"]  # their own confirmed address
    assert "already signed" in (await client.get(r.headers["location"])).text


async def test_confirmation_links_are_resent_a_few_times_per_address(client, settings):
    p = await make_petition(await make_body())
    url = f"/petitions/{p.id}"
    allowed = int(signing.RESEND_PER_ADDRESS.split("/")[0])
    for i in range(allowed + 3):
        r = await post_form(client, f"{url}/sign", sign_data(f"mina+{i}@example.org"), page=url)
        assert r.status_code == 303 and "signed=pending" in r.headers["location"]
    assert len(sent_mails(settings)) == 1 + allowed  # the first link and `allowed` re-sends


async def test_confirmation_links_are_resent_a_few_times_per_network(app, client, settings,
                                                                     monkeypatch):  # fmt: skip
    monkeypatch.setattr(signing, "RESEND_PER_NETWORK", "2/hour")
    p = await make_petition(await make_body())
    url = f"/petitions/{p.id}"
    addresses = ["a@example.org", "b@example.org", "c@example.org"]
    for email in addresses * 2:  # three signatures, then three repeats from one network
        r = await post_form(client, f"{url}/sign", sign_data(email), page=url)
        assert r.status_code == 303 and "signed=pending" in r.headers["location"]
    assert len(sent_mails(settings)) == 3 + 2
    async with client_from(app, "198.51.100.20") as elsewhere:  # another network may ask
        r = await post_form(elsewhere, f"{url}/sign", sign_data("c@example.org"), page=url)
    assert r.status_code == 303
    assert len(sent_mails(settings)) == 6


async def test_a_failing_rate_limiter_never_fails_the_signing(client, settings, monkeypatch,
                                                              caplog):  # fmt: skip
    monkeypatch.setattr(signing, "RESEND_PER_ADDRESS", "not a rate")  # the limiter raises
    p = await make_petition(await make_body())
    url = f"/petitions/{p.id}"
    for _ in range(2):
        r = await post_form(client, f"{url}/sign", sign_data("leila@example.org"), page=url)
        assert r.status_code == 303 and "signed=pending" in r.headers["location"]
    assert len(sent_mails(settings)) == 2  # let through, and logged
    assert "rate limiter failed" in caplog.text
