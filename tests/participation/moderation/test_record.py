"""Transparency: a public page per space counts what was hidden there by reason (and what
waits), every act is in the audit log, and the API never shows the words of a hidden or
waiting comment to anyone."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from consultations.models import Consultation
from participation.accounts.models import User
from participation.audit.models import AuditEvent
from participation.comments import services as comments
from participation.moderation import appeals, services
from tests.factories import make_body, make_consultation, make_moderator, make_user
from tests.participation.comments.fakehost import as_principal


async def test_the_public_record_counts_hidden_items_by_reason_and_the_api_hides_their_words(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    settings = app.state.settings
    body = await make_body(name="Ministry of Roads")
    c = await make_consultation(body, title="Ring road")
    section = await c.sections.all().order_by("position").first()  # type: ignore[attr-defined]
    moderator = await as_principal(await make_moderator(None))
    other = await as_principal(await make_moderator(None))
    said = {}
    for text in ("Spam one", "Spam two", "Insult", "Flagged away", "Kept"):
        author = await as_principal(await make_user())
        said[text] = await comments.post_comment(author, "section", section.id, text,
                                                 settings=settings)  # fmt: skip
    await services.hide(moderator, "comment", said["Spam one"].id, "spam")
    await services.hide(moderator, "comment", said["Spam two"].id, "spam")
    await services.hide(moderator, "comment", said["Insult"].id, "offensive", "a slur")
    for _ in range(3):
        await services.flag(await as_principal(await make_user()), "comment",
                            said["Flagged away"].id, "off_topic")  # fmt: skip
    await Consultation.filter(id=c.id).update(premoderated=True)
    await comments.post_comment(await as_principal(await make_user()), "section", section.id,
                                "Waiting one", settings=settings)  # fmt: skip
    insult_author = said["Insult"].author_id
    assert insult_author is not None
    row = await appeals.appeal(await as_principal(await User.get(id=insult_author)), "comment",
                               said["Insult"].id, "It was a quotation")  # fmt: skip
    await appeals.decide(other, row.id, "uphold")

    index = await client.get("/moderation/record")
    assert index.status_code == 200 and "Ring road" in index.text
    page = await client.get(f"/moderation/record/consultation/{c.id}")
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "Spam or advertising</th><td>2" in text.replace("</th> <td>", "</th><td>")
    assert "Offensive or abusive</th><td>1" in text.replace("</th> <td>", "</th><td>")
    assert "Appeals: 0 shown again, 1 kept hidden, 0 waiting." in text
    assert "a slur" not in text and "Insult" not in text  # counts, never contents
    assert (await client.get("/moderation/record/consultation/999999")).status_code == 404

    api = (await client.get(f"/api/v1/consultations/{c.slug}/sections/1/comments")).text
    for hidden in ("Spam one", "Spam two", "Insult", "Flagged away", "Waiting one"):
        assert hidden not in api, hidden
    assert "Kept" in api
    items = (await client.get(f"/api/v1/consultations/{c.slug}/sections/1/comments")).json()
    placeholders = sorted(
        (i["hidden"], i["hidden_reason"], i["text"], i["author"], i["stance"])
        for i in items["items"] if i["hidden"]
    )  # fmt: skip
    assert placeholders == [
        ("flags", None, "", "", None), ("moderator", "offensive", "", "", None),
        ("moderator", "spam", "", "", None), ("moderator", "spam", "", "", None),
    ]  # fmt: skip
    actions = set(await AuditEvent.filter(action__startswith="moderation.").values_list(
        "action", flat=True))  # fmt: skip
    assert actions == {"moderation.hide", "moderation.auto_hide", "moderation.appeal",
                       "moderation.appeal_decided"}  # fmt: skip
