"""The feedback report of a consultation, built by its job, on data with known answers (the
same answers on SQLite and PostgreSQL: every test runs on both backends)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from consultations import report, tasks
from consultations.models import AnswerSet, Consultation, Question, Section
from participation.comments.models import Channel, Comment, Stance
from participation.moderation.models import FlagReason, HiddenKind, ModerationState
from participation.organisations.models import Role
from participation.reports import queries
from participation.reports.models import ReportSnapshot, ReportStatus
from participation.votes.models import Vote, VoteTally
from tests.factories import make_body, make_consultation, make_official, make_user

DAY1 = datetime(2026, 3, 1, 10, tzinfo=UTC)


async def comment(
    target_type: str, target_id: int, *, stance: Stance | None = None, author: Any = None,
    channel: Channel = Channel.ONLINE, language: str = "en", parent: Comment | None = None,
    when: datetime = DAY1, text: str = "a comment",
) -> Comment:  # fmt: skip
    return await Comment.create(
        target_type=target_type, target_id=target_id, stance=stance,
        author_id=author.id if author else None, author_name="" if author else "Post",
        channel=channel, language=language, parent_id=parent.id if parent else None,
        root_id=parent.id if parent else None, depth=1 if parent else 0,
        body_raw=text, body_html=text, created_at=when,
        received_at=when if channel != Channel.ONLINE else None,
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
    )  # fmt: skip


async def vote(c: Comment, user: Any, value: int) -> None:
    await Vote.create(target_type="comment", target_id=c.id, user_id=user.id, value=value)
    if value > 0:
        c.up_count += 1
    else:
        c.down_count += 1
    await c.save(update_fields=["up_count", "down_count"])


async def planted() -> dict[str, Any]:
    body = await make_body("ministry")
    c = await make_consultation(body, status="open", sections=2)
    s1, s2 = await Section.filter(consultation_id=c.id).order_by("position")
    people = [await make_user() for _ in range(6)]
    a, b, d, e, f, g = people
    liked = await comment("section", s1.id, stance=Stance.FOR, author=a, text="liked")
    split = await comment("section", s1.id, stance=Stance.FOR, author=b, text="split")
    await comment("section", s1.id, stance=Stance.AGAINST, author=d, when=DAY1 + timedelta(days=1))
    spam = await comment("section", s1.id, stance=Stance.FOR, author=e, text="spam")
    held = await comment("section", s2.id, stance=Stance.AGAINST, author=f, text="held")
    await comment("section", s2.id, stance=Stance.NEUTRAL, author=g, language="fa")
    await comment("consultation", c.id, stance=Stance.FOR, channel=Channel.POST, text="paper")
    await comment("section", s1.id, author=g, parent=liked, text="a reply")
    await ModerationState.create(target_type="comment", target_id=spam.id, hidden_at=DAY1,
                                 hidden_kind=HiddenKind.MODERATOR, hidden_reason=FlagReason.SPAM)  # fmt: skip
    await ModerationState.create(target_type="comment", target_id=held.id, hidden_at=DAY1,
                                 hidden_kind=HiddenKind.PENDING)  # fmt: skip
    for p in (a, b, d, e, f, g):
        await vote(liked, p, 1)
    for p, v in ((a, 1), (b, 1), (d, -1), (e, -1)):
        await vote(split, p, v)
    await VoteTally.create(target_type="section", target_id=s1.id, up=3, down=1)
    single = await Question.create(
        consultation=c, position=1, kind="single", i18n={"en": {"text": "Which?"}},
        options=[{"key": "a", "i18n": {"en": "A"}}, {"key": "b", "i18n": {"en": "B"}}],
    )  # fmt: skip
    scale = await Question.create(consultation=c, position=2, kind="scale",
                                  i18n={"en": {"text": "How much?"}})  # fmt: skip
    free = await Question.create(consultation=c, position=3, kind="text",
                                 i18n={"en": {"text": "Why?"}})  # fmt: skip
    for user, choice, level in ((a, "a", 5), (b, "a", 4), (d, "b", 1)):
        await AnswerSet.create(consultation=c, user=user, answers={
            str(single.id): choice, str(scale.id): level, str(free.id): "because"})  # fmt: skip
    await AnswerSet.create(consultation=c, user=None, channel="post",
                           answers={str(single.id): "b", str(scale.id): 2})  # fmt: skip
    return {"c": c, "body": body, "liked": liked, "split": split, "people": people}


async def test_the_report_counts_what_the_consultation_received(db: Any) -> None:
    w = await planted()
    snap = await report.request(w["c"].id, "official")
    done = await queries.latest_done("consultation", w["c"].id)
    assert done is not None and done.id == snap.id and done.status == ReportStatus.DONE
    data = done.data
    p = data["participation"]
    assert (p["people"], p["comments"], p["replies"], p["votes"], p["responses"]) == (
        6,
        7,
        1,
        10,
        4,
    )
    assert p["paper"] == 2
    assert {"channel": "post", "count": 2, "paper": True} in p["by_channel"]
    assert {"channel": "online", "count": 10, "paper": False} in p["by_channel"]
    assert {"language": "fa", "count": 1} in p["by_language"]
    days = {x["day"]: x["count"] for x in p["by_day"]}
    assert (days["2026-03-01"], days["2026-03-02"], sum(days.values())) == (7, 1, 12)
    # visible comments only: the hidden and the held ones are counted under moderation
    s1, s2 = data["stances"]["sections"]
    assert (s1["comments"], s1["for"], s1["against"], s1["neutral"]) == (4, 2, 1, 0)
    assert (s1["for_pct"], s1["against_pct"]) == (50.0, 25.0)
    assert (s1["support"], s1["opposition"], s1["support_pct"]) == (3, 1, 75.0)
    assert (s2["comments"], s2["neutral"], s2["neutral_pct"]) == (1, 1, 100.0)
    whole = data["stances"]["whole"]
    assert (whole["comments"], whole["for"]) == (1, 1)
    total = data["stances"]["total"]
    assert (total["comments"], total["for"], total["against"], total["neutral"]) == (6, 3, 1, 1)
    assert data["moderation"] == {
        "hidden": 1, "pending": 1, "by_kind": {"moderator": 1, "pending": 1},
        "by_reason": {"spam": 1},
    }  # fmt: skip
    q1, q2, q3 = data["questionnaire"]
    assert [(o["key"], o["count"], o["pct"]) for o in q1["options"]] == [
        ("a", 2, 50.0),
        ("b", 2, 50.0),
    ]
    assert [o["count"] for o in q2["options"]] == [1, 1, 0, 1, 1]
    assert (q2["mean"], q2["median"]) == (3.0, 3.0)
    assert (q3["answered"], q3["texts"]) == (3, 3)
    assert data["supported"][0]["id"] == w["liked"].id
    assert data["contested"][0]["id"] == w["split"].id
    assert [i["id"] for i in data["contested"]] == [w["split"].id]
    # nothing indexed as copies: an empty campaigns part, every submission counted above
    assert data["campaigns"]["groups"] == [] and data["campaigns"]["submissions"] == 8
    assert q3["text_groups"]["groups"] == []  # "because" three times: too short to be a letter
    # nobody gave a region: all 12 submissions (8 comments and replies, 4 answer sets, paper
    # ones included) are under "not given"
    assert p["by_region"] == [{"region": "", "count": 12}]


async def test_every_closed_consultation_gets_a_report_and_open_ones_nightly(db: Any) -> None:
    body = await make_body("ministry")
    due = await make_consultation(body, status="open")
    await type(due).filter(id=due.id).update(closes_at=datetime.now(UTC) - timedelta(minutes=1))
    running = await make_consultation(body, status="open")
    await tasks.advance_consultations({})
    closed_report = await queries.latest_done("consultation", due.id)
    assert closed_report is not None and closed_report.trigger == "closed"
    assert await queries.latest("consultation", running.id) is None
    assert await tasks.refresh_consultation_reports({}) == 1  # the open one; the closed is covered
    nightly = await queries.latest_done("consultation", running.id)
    assert nightly is not None and nightly.trigger == "nightly"


async def test_one_bad_consultation_never_stops_the_nightly_refresh(db: Any) -> None:
    body = await make_body("ministry")
    first = await make_consultation(body, status="open")
    second = await make_consultation(body, status="open")
    # the first one's build fails (its questionnaire holds a malformed option list)
    await Question.create(consultation=first, position=1, kind="single", options=["broken"],
                          i18n={"en": {"text": "?"}})  # fmt: skip
    await tasks.refresh_consultation_reports({})
    bad = await queries.latest("consultation", first.id)
    assert bad is not None and bad.status == ReportStatus.FAILED and bad.reason
    good = await queries.latest_done("consultation", second.id)
    assert good is not None


async def test_only_its_officials_may_ask_for_a_fresh_report(db: Any) -> None:
    from participation.accounts.principal import load_principal
    from participation.audit.models import AuditEvent
    from participation.errors import Forbidden

    body = await make_body("ministry")
    other = await make_body("city")
    c = await make_consultation(body, status="open")
    official = await load_principal((await make_official(body, Role.EDITOR)).id, None)
    stranger = await load_principal((await make_official(other, Role.PUBLISHER)).id, None)
    try:
        await report.request_by_official(stranger, c)
        raise AssertionError("a stranger asked for a report")
    except Forbidden:
        pass
    snap = await report.request_by_official(official, c)
    assert snap.requested_by_id == official.id
    assert await ReportSnapshot.filter(target_id=c.id).count() == 1
    assert await AuditEvent.filter(action="report.request", target_id=str(c.id)).exists()


async def test_the_report_finds_two_camps_among_voters(db: Any) -> None:
    body = await make_body("ministry")
    c = await make_consultation(body, status="open", sections=1)
    (s1,) = await Section.filter(consultation_id=c.id)
    author = await make_user()
    comments = [await comment("section", s1.id, author=author, text=f"c{n}") for n in range(9)]
    camp_a, camp_b = [await make_user() for _ in range(6)], [await make_user() for _ in range(6)]
    for n, cm in enumerate(comments):
        for p in camp_a:
            await vote(cm, p, 1 if n < 4 or n == 8 else -1)
        for p in camp_b:
            await vote(cm, p, -1 if n < 4 else 1)
    await report.request(c.id, "official")
    done = await queries.latest_done("consultation", c.id)
    assert done is not None
    groups = done.data["opinion_groups"]
    assert [g["size"] for g in groups["groups"]] == [6, 6]
    assert groups["participants"] == 12
    assert [i["text"] for i in groups["consensus"]] == ["c8"]
    named = sorted({i["text"] for g in groups["groups"] for i in g["comments"]})
    assert named == [f"c{n}" for n in range(8)]


async def test_the_page_shows_the_groups_and_their_common_ground(client: Any) -> None:
    await test_the_report_finds_two_camps_among_voters(None)
    c = await Consultation.filter().order_by("-id").first()
    await Consultation.filter(id=c.id).update(status="closed")
    r = await client.get(f"/consultations/{c.slug}/report?lang=fa")
    assert r.status_code == 200
    assert "<circle" in r.text and "گروه ۲" in r.text
    common = r.text.split('id="groups-heading"')[1].split("</section>")[0]
    assert ">c8</blockquote>" in common


async def test_closing_early_builds_the_report_as_a_scheduled_close_does(db: Any) -> None:
    from consultations import services
    from participation.accounts.principal import load_principal

    w = await planted()
    publisher = await load_principal((await make_official(w["body"], Role.PUBLISHER)).id, None)
    await services.close_early(publisher, w["c"], reason="The law was withdrawn.")
    snaps = await ReportSnapshot.filter(target_id=w["c"].id)
    assert [(s.trigger, s.status) for s in snaps] == [("closed", ReportStatus.DONE)]
    assert snaps[0].data["participation"]["people"] == 6
    # the nightly pass finds its close covered and queues nothing more
    assert w["c"].id not in await report.due_for_refresh()


LETTER = (
    "We the residents of the northern districts ask the ministry to withdraw article four "
    "because it removes the only protection our neighbourhood parks still have from builders"
)


async def test_regions_text_groups_and_campaigns_come_with_every_submission_counted(
    db: Any,
) -> None:
    from participation.accounts.models import User
    from participation.integrity.services import index_new_comments

    w = await planted()
    a, b, d = w["people"][:3]
    await User.filter(id=a.id).update(region="Tehran")
    await User.filter(id=b.id).update(region="  tehran ")
    await User.filter(id=d.id).update(region="Shiraz")
    s1, s2 = await Section.filter(consultation_id=w["c"].id).order_by("position")
    senders = [await make_user(region="Tabriz") for _ in range(4)]
    for n, person in enumerate(senders):
        await comment("section", (s1 if n % 2 else s2).id, author=person,
                      text=LETTER + (" Thank you." if n else ""))  # fmt: skip
    free = await Question.get(consultation_id=w["c"].id, kind="text")
    variants = [LETTER, LETTER + " Please listen", "Please " + LETTER, LETTER.replace("four", "4")]
    for text in variants + ["Fine as it is", "No opinion on the parks"]:
        await AnswerSet.create(consultation=w["c"], user=await make_user(),
                               answers={str(free.id): text})  # fmt: skip
    await index_new_comments()
    await report.request(w["c"].id, "official")
    done = await queries.latest_done("consultation", w["c"].id)
    assert done is not None
    p = done.data["participation"]
    assert p["comments"] == 11  # the four copies are counted like any comment
    regions = {r["region"]: r["count"] for r in p["by_region"]}
    # a: a comment and answers; b: the same; d: the same; spelled twice, Tehran is one region
    assert regions == {"Tehran": 4, "Shiraz": 2, "Tabriz": 4, "": 12}
    camp = done.data["campaigns"]
    assert [g["size"] for g in camp["groups"]] == [4]
    assert camp["in_groups"] == 4 and camp["submissions"] == 12
    assert camp["share_pct"] == round(100 * 4 / 12, 1)
    assert camp["groups"][0]["text"].startswith("We the residents")
    q3 = done.data["questionnaire"][2]
    assert q3["texts"] == 9
    groups = q3["text_groups"]
    assert [g["size"] for g in groups["groups"]] == [4] and groups["in_groups"] == 4
    assert "northern districts" in groups["groups"][0]["text"]
    shown = report.present(done.data)
    assert ("Tehran", 4, "") in shown["regions"] and ("Not given", 12, "") in shown["regions"]
