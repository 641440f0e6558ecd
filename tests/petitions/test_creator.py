"""What a petition's creator is told: sponsors from one network all count, the page says what
is pending in plain words, and mails when it is published, rejected or crosses a threshold
(each once). And what others see of a petition the moderation hid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from participation.errors import Conflict
from participation.moderation import services as moderation
from participation.moderation.models import ModerationState
from petitions import counting, lifecycle, tasks
from petitions.forms import RejectInput
from petitions.models import Petition, RejectReason, Signature, Status
from tests.conftest import login
from tests.factories import mail_text, make_body, make_moderator, make_user, sent_mails
from tests.participation.comments.fakehost import as_principal
from tests.petitions.conftest import add_signatures, make_petition


def _subjects(settings) -> list[str]:
    return [m["Subject"] for m in sent_mails(settings)]


async def test_sponsors_from_one_address_all_count_and_others_from_it_are_held(db):
    p = await make_petition(await make_body())
    start = datetime.now(UTC) - timedelta(hours=1)
    # five colleagues sponsor from the office's one address within a minute and a half
    sponsors = await add_signatures(p, 5, ip="198.51.100.9", at=start,
                                    spacing=timedelta(seconds=20))  # fmt: skip
    await Signature.filter(id__in=[s.id for s in sponsors]).update(sponsor=True)
    # then two ordinary signatures from the same address, 10 s apart: the later one is held
    later = await add_signatures(p, 2, ip="198.51.100.9", at=start + timedelta(minutes=10),
                                 spacing=timedelta(seconds=10))  # fmt: skip
    result = await counting.count_signatures()
    held = set(await Signature.filter(petition_id=p.id, suspect=True).values_list("id", flat=True))
    assert held == {max(s.id for s in later)}
    assert result.suspects == 1
    p = await Petition.get(id=p.id)
    assert p.signature_count == 6 and p.under_review == 1
    await counting.recount_all()
    p = await Petition.get(id=p.id)
    assert p.signature_count == 6 and p.under_review == 1


async def test_the_creator_sees_in_plain_words_what_is_pending(client, settings):
    creator = await make_user()
    body = await make_body()
    p = await make_petition(body, creator=creator, status=Status.SPONSORING)
    await add_signatures(p, 2)
    await add_signatures(p, 1, confirmed=False)
    await Signature.filter(petition_id=p.id).update(sponsor=True)
    await login(client, creator.email)
    page = (await client.get(f"/petitions/{p.id}")).text
    needed = settings.petition_sponsors_needed
    assert f"2 of the {needed} sponsors it needs have confirmed." in page
    assert "1 more sponsor has signed but has not yet followed the link" in page

    await Petition.filter(id=p.id).update(status=Status.MODERATION,
                                          submitted_at=datetime.now(UTC))  # fmt: skip
    page = (await client.get(f"/petitions/{p.id}")).text
    assert "It has been waiting for a moderator since" in page
    assert "We will e-mail you when your petition is published or rejected." in page

    await Petition.filter(id=p.id).update(status=Status.OPEN)
    await add_signatures(p, 3, ip="203.0.113.5", spacing=timedelta(seconds=5))
    await add_signatures(p, 2, confirmed=False)
    await counting.count_signatures()
    page = (await client.get(f"/petitions/{p.id}")).text
    assert "2 signatures are under review" in page
    assert "3 people have signed but have not yet confirmed their e-mail address" in page
    # nobody else sees the creator's panel
    moderator = await make_moderator(None)
    client.cookies.clear()
    await login(client, moderator.email)
    assert "Where your petition stands" not in (await client.get(f"/petitions/{p.id}")).text


async def test_the_creator_is_mailed_once_when_published(db, settings):
    creator = await make_user(locale="fa")
    p = await make_petition(await make_body(), creator=creator, status=Status.MODERATION)
    moderator = await make_moderator(None)
    await lifecycle.publish_petition(moderator.id, p.id)
    with pytest.raises(Conflict):
        await lifecycle.publish_petition(moderator.id, p.id)
    mails = [m for m in sent_mails(settings) if m["To"] == creator.email]
    assert len(mails) == 1
    assert "منتشر" in mails[0]["Subject"]  # in the creator's language
    assert f"/petitions/{p.id}" in mail_text(mails[0])
    # the job run again (a re-delivered outbox row) sends nothing more
    assert await tasks.mail_petition_creator({"settings": settings}, p.id, "published") == (
        "already sent"
    )
    assert len(sent_mails(settings)) == 1


async def test_the_creator_is_mailed_the_reason_when_rejected(db, settings):
    creator = await make_user()
    p = await make_petition(await make_body(), creator=creator, status=Status.MODERATION)
    moderator = await make_moderator(None)
    await lifecycle.reject_petition(moderator.id, p.id, RejectInput(
        reason=RejectReason.NOT_RESPONSIBLE.value, text="Fares are set by the city council.",
    ))  # fmt: skip
    (mail,) = sent_mails(settings)
    assert mail["To"] == creator.email and mail["Subject"] == "Your petition was not published"
    text = mail_text(mail)
    assert "It is not this body's responsibility" in text
    assert "Fares are set by the city council." in text


async def test_the_creator_is_mailed_once_per_threshold(db, settings):
    body = await make_body(settings={"petition_response_threshold": 2,
                                     "petition_debate_threshold": 4})  # fmt: skip
    creator = await make_user()
    p = await make_petition(body, creator=creator)
    await add_signatures(p, 2)
    await counting.count_signatures()
    await counting.recount_all()
    await add_signatures(p, 3)
    await counting.count_signatures()
    await counting.count_signatures()
    await counting.recount_all()
    mine = [m["Subject"] for m in sent_mails(settings) if m["To"] == creator.email]
    assert sorted(mine) == [
        "Your petition can now be debated", "Your petition has enough signatures for a response",
    ]  # fmt: skip
    response = next(m for m in sent_mails(settings) if "response" in m["Subject"])
    assert "must now respond to it, by" in mail_text(response)


async def test_a_hidden_petition_shows_a_placeholder_saying_why(client, settings):
    body = await make_body()
    creator = await make_user()
    p = await make_petition(body, creator=creator, title="Close the old mine")
    moderator = await as_principal(await make_moderator(body))
    await moderation.hide(moderator, "petition", p.id, "offensive", "insults",
                          base_url=settings.base_url)  # fmt: skip
    assert await ModerationState.exists(target_type="petition", target_id=p.id)
    r = await client.get(f"/petitions/{p.id}")
    assert r.status_code == 404  # not found for machines and search engines
    assert "This petition is hidden" in r.text
    assert "Hidden by a moderator: Offensive or abusive" in r.text
    assert "Close the old mine" not in r.text and "Repair every bridge" not in r.text
    assert "Did you start this petition? Sign in" in r.text
    r = await client.get(f"/petitions/{p.id}", params={"lang": "fa"})
    assert r.status_code == 404 and 'lang="fa"' in r.text
    assert "This petition is hidden" not in r.text and "Close the old mine" not in r.text
    # its creator sees it, marked, with the way to appeal
    await login(client, creator.email)
    own = await client.get(f"/petitions/{p.id}")
    assert own.status_code == 200 and "Close the old mine" in own.text
    assert f"/moderation/appeal/petition/{p.id}" in own.text


async def test_a_petition_never_published_is_still_simply_not_found(client):
    p = await make_petition(await make_body(), status=Status.SPONSORING)
    r = await client.get(f"/petitions/{p.id}")
    assert r.status_code == 404 and "This petition is hidden" not in r.text
