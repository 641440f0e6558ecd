"""Every consultations page renders in Persian: dir="rtl", no server error."""

from __future__ import annotations

import httpx

from consultations import queries, services
from consultations.models import OutcomeKind, QuestionKind
from participation.accounts.principal import load_principal
from participation.organisations.models import Role
from tests.conftest import login
from tests.factories import make_body, make_consultation, make_official

FA_TITLE = {"fa": {"title": "هوای پاک", "summary": "پیش‌نویس سیاست", "body": "مقدمه\n\nبند دوم"},
            "en": {"title": "Clean air", "summary": "Draft policy"}}  # fmt: skip


async def test_every_page_renders_in_persian(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", names={"fa": "وزارت", "en": "Ministry"})
    publisher = await make_official(ministry, Role.PUBLISHER, locale="fa")
    p = await load_principal(publisher.id, None)
    draft = await make_consultation(ministry, slug="draft-one", status="draft", i18n=FA_TITLE)
    await services.add_question(
        p, draft, kind=QuestionKind.SCALE, required=True, original_locale="fa",
        i18n={"fa": {"text": "موافقید؟"}}, options=[],
    )  # fmt: skip
    await make_consultation(ministry, slug="open-one", i18n=FA_TITLE)
    closed = await make_consultation(ministry, slug="closed-one", status="closed", i18n=FA_TITLE)
    await make_consultation(ministry, slug="soon", status="scheduled", i18n=FA_TITLE)
    section = (await queries.sections(closed.id))[0]
    # anonymous visitors choose Persian with ?lang=fa
    for url in (
        "/consultations/?lang=fa",
        "/consultations/open-one?lang=fa",
        "/consultations/open-one/sections/1?lang=fa",
        "/?lang=fa",
    ):
        r = await client.get(url)
        assert r.status_code == 200 and 'dir="rtl"' in r.text, url
    await login(client, publisher.email)  # signed in: the user's language (fa)
    pages = [
        "/",
        "/consultations/",
        "/consultations/?q=هوای&status=open",
        "/consultations/new",
        "/consultations/draft-one",
        "/consultations/draft-one/edit",
        "/consultations/draft-one/sections/1/edit",
        "/consultations/open-one",
        "/consultations/open-one/sections/1",
        "/consultations/open-one/sections/1/edit",
        "/consultations/open-one/paper",
        "/consultations/open-one/edit",
        "/consultations/open-one/sections/1/versions/1",
        "/consultations/closed-one",
        "/consultations/closed-one/sections/1",
        "/consultations/closed-one/outcome/report",
        f"/accountability/respond/consultation/{closed.id}",  # where outcome/response leads
        "/consultations/soon",
        "/consultations/soon/sections/2",
    ]
    assert section.version == 1
    await services.publish_outcome(p, closed, OutcomeKind.RESPONSE, original_locale="fa",
                                   i18n={"fa": {"text": "پاسخ"}})  # fmt: skip
    pages.remove(f"/accountability/respond/consultation/{closed.id}")  # published: answered
    for url in pages:
        r = await client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[-2000:])
        assert 'dir="rtl"' in r.text, url
        assert 'lang="fa"' in r.text, url
