"""Pre-moderation: in a pre-moderated consultation (and for a comment holding a word of the
deployment's list) a new comment is seen by its author only, marked as waiting, until a
moderator approves it: not in anyone else's page, the API, the counts, the followers' digest
or the report's figures."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from consultations.models import Consultation, Follow
from consultations.services import outcome_figures
from participation.comments import services as comments
from participation.comments.tasks import send_comment_digests
from participation.errors import Conflict
from participation.moderation import services
from participation.moderation.models import HiddenKind, ModerationState
from tests.conftest import login, post_form
from tests.factories import (
    mail_text,
    make_body,
    make_consultation,
    make_moderator,
    make_user,
    sent_mails,
)
from tests.participation.comments.fakehost import as_principal

WORDS = "Kept back for a moderator"


async def _setup(premoderated: bool = True) -> tuple[Consultation, int]:
    body = await make_body()
    c = await make_consultation(body, title="Bus lanes")
    await Consultation.filter(id=c.id).update(premoderated=premoderated)
    section = await c.sections.all().order_by("position").first()  # type: ignore[attr-defined]
    return c, section.id


async def _everything_others_see(
    client: httpx.AsyncClient, c: Consultation, section_id: int
) -> str:
    """The section page, the consultation page and the API, as another person sees them."""
    pages = [
        await client.get(f"/consultations/{c.slug}/sections/1"),
        await client.get(f"/consultations/{c.slug}"),
        await client.get(f"/api/v1/consultations/{c.slug}/sections/1/comments"),
        await client.get(f"/api/v1/consultations/{c.slug}"),
    ]
    assert all(p.status_code == 200 for p in pages)
    return "\n".join(p.text for p in pages)


async def test_a_premoderated_comment_is_seen_by_its_author_only_until_approved(
    app: Starlette, anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    anonymous, member = anonymous_and_member
    c, section_id = await _setup()
    settings = app.state.settings
    follower = await make_user("follower@example.org")
    await Follow.create(consultation_id=c.id, user_id=follower.id)
    author = await make_user("author@example.org")
    await login(member, "author@example.org")
    r = await post_form(member, "/comments/post", {
        "target_type": "section", "target_id": section_id, "text": WORDS, "stance": "for",
    }, page=f"/consultations/{c.slug}/sections/1")  # fmt: skip
    assert r.status_code == 303
    state = await ModerationState.get(target_type="comment")
    assert state.hidden_kind == HiddenKind.PENDING and state.queued_at is not None

    own = (await member.get(f"/consultations/{c.slug}/sections/1")).text
    assert WORDS in own and "Waiting for a moderator's approval." in own

    seen = await _everything_others_see(anonymous, c, section_id)
    assert WORDS not in seen and "Waiting for a moderator" not in seen
    api = (await anonymous.get(f"/api/v1/consultations/{c.slug}")).json()
    assert api["sections"][0]["comments"] == 0 and api["sections"][0]["comments_for"] == 0
    assert (await outcome_figures(c))["total"]["comments"] == 0
    assert await send_comment_digests({"settings": settings}) == 0
    assert sent_mails(settings) == []

    moderator = await as_principal(await make_moderator(None))
    await services.approve(moderator, "comment", state.target_id)
    seen = await _everything_others_see(anonymous, c, section_id)
    assert WORDS in seen
    api = (await anonymous.get(f"/api/v1/consultations/{c.slug}")).json()
    assert api["sections"][0]["comments"] == 1 and api["sections"][0]["comments_for"] == 1
    assert (await outcome_figures(c))["total"]["comments"] == 1
    assert author.id == state.author_id


async def test_a_reply_waiting_for_approval_stays_under_its_parent_for_its_author(
    app: Starlette, anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    anonymous, member = anonymous_and_member
    c, section_id = await _setup(premoderated=False)
    settings = app.state.settings
    parent = await comments.post_comment(
        await as_principal(await make_user()), "section", section_id, "The parent",
        settings=settings,
    )  # fmt: skip
    await Consultation.filter(id=c.id).update(premoderated=True)
    await make_user("replier@example.org")
    await login(member, "replier@example.org")
    await post_form(member, "/comments/reply", {
        "target_type": "section", "target_id": section_id, "parent_id": parent.id,
        "text": "A reply that waits",
    }, page=f"/consultations/{c.slug}/sections/1")  # fmt: skip
    own = (await member.get(f"/consultations/{c.slug}/sections/1")).text
    assert own.index("The parent") < own.index("A reply that waits")
    others = (await anonymous.get(f"/consultations/{c.slug}/sections/1")).text
    assert "The parent" in others and "A reply that waits" not in others
    assert sent_mails(settings) == []  # the parent's author hears of it once it is approved


async def test_the_word_list_holds_a_comment_for_approval_instead_of_refusing_it(
    app: Starlette, anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient]
) -> None:
    anonymous, member = anonymous_and_member
    app.state.settings = app.state.settings.with_(moderation_words=("scam", "fake news"))
    c, section_id = await _setup(premoderated=False)
    await make_user("writer@example.org")
    await login(member, "writer@example.org")
    texts = {
        "This is a SCAM, plainly.": True,
        "Pure FAKE news from the ministry": True,
        "Scampi for everyone at the opening": False,  # whole words only
        "News that is not fake": False,  # a phrase: its words in order
    }
    for text in texts:
        r = await post_form(member, "/comments/post", {
            "target_type": "section", "target_id": section_id, "text": text,
        }, page=f"/consultations/{c.slug}/sections/1")  # fmt: skip
        assert r.status_code == 303
    page = (await anonymous.get(f"/consultations/{c.slug}/sections/1")).text
    for text, held in texts.items():
        assert (text in page) is (not held), text
    assert await ModerationState.filter(hidden_kind=HiddenKind.WORDS).count() == 2
    own = (await member.get(f"/consultations/{c.slug}/sections/1")).text
    assert "This is a SCAM, plainly." in own


async def test_the_parents_author_is_mailed_once_a_held_reply_is_approved(app: Starlette) -> None:
    c, section_id = await _setup(premoderated=False)
    settings = app.state.settings
    parent_author = await make_user("parent@example.org", locale="fa")
    parent = await comments.post_comment(await as_principal(parent_author), "section",
                                         section_id, "The parent", settings=settings)  # fmt: skip
    await Consultation.filter(id=c.id).update(premoderated=True)
    replier = await as_principal(await make_user("replier@example.org"))
    reply = await comments.post_comment(replier, "section", section_id, "A reply that waits",
                                        settings=settings, parent_id=parent.id)  # fmt: skip
    own = await comments.post_comment(await as_principal(parent_author), "section", section_id,
                                      "My own reply", settings=settings, parent_id=parent.id)  # fmt: skip
    assert sent_mails(settings) == []
    moderator = await as_principal(await make_moderator(None))
    await services.approve(moderator, "comment", own.id, base_url=settings.base_url)
    assert sent_mails(settings) == []  # one's own reply is no news
    await services.approve(moderator, "comment", reply.id, base_url=settings.base_url)
    (mail,) = sent_mails(settings)
    assert mail["To"] == "parent@example.org"
    text = mail_text(mail)
    assert "A reply that waits" in text and f"/comments/{reply.id}" in text
    # approving again is refused and mails nobody
    with pytest.raises(Conflict):
        await services.approve(moderator, "comment", reply.id, base_url=settings.base_url)
    assert len(sent_mails(settings)) == 1
