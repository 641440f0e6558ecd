"""The report and the response of a closed consultation: published once by a publisher of an
owning body, shown to everyone with its date and body, mailed to the followers once."""

from __future__ import annotations

import httpx
import pytest

from consultations import queries, services
from consultations.models import Follow, Outcome, OutcomeKind
from participation.accounts.principal import load_principal
from participation.audit.models import AuditEvent
from participation.comments import services as comment_services
from participation.organisations.models import Role
from participation.settings import Settings
from tests.conftest import login, post_form
from tests.factories import (
    mail_text,
    make_body,
    make_consultation,
    make_official,
    make_user,
    sent_mails,
)

REPORT = "/consultations/roads/outcome/report"


async def _closed_with_feedback(settings: Settings):  # type: ignore[no-untyped-def]
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads", title="Roads", status="open")
    sections = await queries.sections(c.id)
    author = await load_principal((await make_user()).id, None)
    await comment_services.post_comment(
        author, "section", sections[0].id, "Yes", stance="for", settings=settings
    )
    top = await comment_services.post_comment(author, "section", sections[1].id, "No",
                                              stance="against", settings=settings)  # fmt: skip
    await comment_services.post_comment(author, "section", sections[1].id, "Why",
                                        parent_id=top.id, settings=settings)  # fmt: skip
    await comment_services.post_comment(author, "consultation", c.id, "Overall fine",
                                        stance="neutral", settings=settings)  # fmt: skip
    c.status = "closed"  # type: ignore[assignment]
    await c.save()
    return ministry, c


async def test_a_publisher_publishes_the_report_once_and_followers_are_mailed_once(
    client: httpx.AsyncClient, settings: Settings, app: object
) -> None:
    ministry, c = await _closed_with_feedback(settings)
    followers = [await make_user(), await make_user()]
    for u in followers:
        await Follow.create(consultation_id=c.id, user_id=u.id)
    publisher = await make_official(ministry, Role.PUBLISHER)
    await login(client, publisher.email)

    page = await client.get("/consultations/roads")
    assert "Not published yet" in page.text and REPORT in page.text
    form = await client.get(REPORT)
    assert form.status_code == 200 and "What the consultation received" in form.text

    r = await post_form(client, REPORT, {
        "original_locale": "en", "text_en": "We heard 4 comments.\n\nMost were about article 2.",
        "text_fa": "ما ۴ نظر شنیدیم.",
    }, page=REPORT)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].endswith("/consultations/roads#outcome")
    report = await Outcome.get(consultation_id=c.id, kind=OutcomeKind.REPORT)
    assert report.body_id == ministry.id and report.published_by_id == publisher.id
    assert report.figures["total"] == {"comments": 4, "for": 1, "against": 1, "neutral": 1}
    assert [s["comments"] for s in report.figures["sections"]] == [1, 2]
    assert report.notified_at is not None
    assert await AuditEvent.filter(action="consultation.report.publish").count() == 1

    mails = sent_mails(settings)
    assert sorted(m["To"] for m in mails) == sorted(u.email for u in followers)
    assert mails[0]["Subject"] == "The report of “Roads” is published"
    assert "/consultations/roads#outcome" in mail_text(mails[0])

    shown = await client.get("/consultations/roads")
    assert "We heard 4 comments." in shown.text and "Published on" in shown.text
    assert "Ministry" in shown.text and "Most were about article 2." in shown.text
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as reader:
        fa = await reader.get("/consultations/roads?lang=fa")
    assert 'dir="rtl"' in fa.text and "ما ۴ نظر شنیدیم." in fa.text

    # a second publication is refused and changes nothing; a second mailing sends nothing
    again = await post_form(client, REPORT, {"original_locale": "en", "text_en": "Other"},
                            page="/consultations/roads")  # fmt: skip
    assert again.status_code == 409 and "already published" in again.text
    assert (await Outcome.get(id=report.id)).i18n == report.i18n
    assert await services.notify_followers(report.id, "http://testserver") == 0
    assert len(sent_mails(settings)) == 2


async def test_the_response_is_published_apart_through_the_one_response_form(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ministry, c = await _closed_with_feedback(settings)
    follower = await make_user()
    await Follow.create(consultation_id=c.id, user_id=follower.id)
    await login(client, (await make_official(ministry, Role.PUBLISHER)).email)
    respond = f"/accountability/respond/consultation/{c.id}"
    page = (await client.get("/consultations/roads")).text
    # one way to respond: the link goes to the accountability form, shown once
    assert page.count(f'href="http://testserver{respond}"') == 1
    assert "/outcome/response" not in page
    old = "/consultations/roads/outcome/response"  # the old address leads there too
    for r in (await client.get(old),
              await post_form(client, old, {"original_locale": "en", "text_en": "Hm."},
                              page="/consultations/roads")):  # fmt: skip
        assert r.status_code == 303 and r.headers["location"].endswith(respond)
    assert not await Outcome.exists(consultation_id=c.id)  # nothing published by the old form

    form = await client.get(respond)
    assert form.status_code == 200
    data = {"locale": "en", "summary": "We will widen article 2."}
    for s in await queries.sections(c.id):
        data[f"decision_section_{s.id}"] = "changed"
    data[f"decision_consultation_{c.id}"] = "changed"
    r = await post_form(client, respond, data, page=respond)
    assert r.status_code == 303, r.text[:500]
    [mail] = sent_mails(settings)
    assert "Roads" in mail["Subject"]
    assert "We will widen article 2." in (await client.get(r.headers["location"])).text
    shown = (await client.get("/consultations/roads")).text
    assert shown.count("Read the response: we asked, you said, we did") == 1  # not in the panel too
    assert "Not published yet" in shown  # no report yet
    assert "No response yet" not in shown and respond not in shown  # answered: no form offered


async def test_a_response_published_by_the_old_form_stays_shown(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ministry, c = await _closed_with_feedback(settings)
    publisher = await make_official(ministry, Role.PUBLISHER)
    await services.publish_outcome(await load_principal(publisher.id, None), c,
                                   OutcomeKind.RESPONSE, original_locale="en",
                                   i18n={"en": {"text": "We widened article 2."}})  # fmt: skip
    await login(client, publisher.email)
    shown = (await client.get("/consultations/roads")).text
    assert "We widened article 2." in shown and "Published on" in shown
    assert f"/accountability/respond/consultation/{c.id}" not in shown  # answered
    again = await client.get("/consultations/roads/outcome/response")
    assert again.status_code == 409 and "already published" in again.text


async def test_a_missing_text_is_shown_next_to_its_field_with_the_rest_kept(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ministry, c = await _closed_with_feedback(settings)
    await login(client, (await make_official(ministry, Role.PUBLISHER)).email)
    r = await post_form(client, REPORT, {"original_locale": "en", "text_fa": "متن فارسی"},
                        page=REPORT)  # fmt: skip
    assert r.status_code == 400
    assert "This field is required in the original language." in r.text
    assert "متن فارسی" in r.text
    assert not await Outcome.exists(consultation_id=c.id)


@pytest.mark.parametrize("who", ["editor", "other_body", "citizen", "moderator"])
async def test_only_publishers_of_an_owner_may_publish(
    client: httpx.AsyncClient, settings: Settings, who: str
) -> None:
    ministry, c = await _closed_with_feedback(settings)
    from tests.factories import make_moderator

    user = {
        "editor": lambda: make_official(ministry, Role.EDITOR),
        "other_body": lambda: _other_publisher(),
        "citizen": make_user,
        "moderator": lambda: make_moderator(None),
    }[who]
    await login(client, (await user()).email)
    assert (await client.get(REPORT)).status_code == 403
    r = await post_form(client, REPORT, {"original_locale": "en", "text_en": "x"},
                        page="/consultations/roads")  # fmt: skip
    assert r.status_code == 403
    assert not await Outcome.exists(consultation_id=c.id)
    assert REPORT not in (await client.get("/consultations/roads")).text


async def _other_publisher():  # type: ignore[no-untyped-def]
    return await make_official(await make_body("city", name="City"), Role.PUBLISHER)


async def test_anonymous_readers_are_sent_to_sign_in_and_open_consultations_refuse(
    client: httpx.AsyncClient,
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    await make_consultation(ministry, slug="roads", status="open")
    anonymous = await client.get(REPORT)
    assert anonymous.status_code in (303, 401, 403)
    await login(client, (await make_official(ministry, Role.PUBLISHER)).email)
    assert (await client.get(REPORT)).status_code == 403  # still open
    assert (await client.get("/consultations/roads/outcome/verdict")).status_code == 404
    page = (await client.get("/consultations/roads")).text
    assert 'id="outcome"' not in page


async def test_a_publication_without_the_token_is_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ministry, c = await _closed_with_feedback(settings)
    await login(client, (await make_official(ministry, Role.PUBLISHER)).email)
    r = await client.post(REPORT, data={"original_locale": "en", "text_en": "x"})
    assert r.status_code == 403
    assert not await Outcome.exists(consultation_id=c.id)
