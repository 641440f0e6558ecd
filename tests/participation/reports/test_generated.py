"""The feedback report on generated data whose answers the generator knows: stance tallies
per section, questionnaire distributions (mean and median of the scale), votes and the most
supported and contested comments. Every backend must give these same answers (the suite runs
on SQLite and PostgreSQL, where the votes come through COPY and the ranks through NumPy)."""

from __future__ import annotations

import hashlib
import random
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from consultations import report
from consultations.models import AnswerSet, Question, Section
from participation.comments.models import Channel, Comment, Stance
from participation.reports import queries, stats
from participation.votes.models import Vote
from tests.factories import make_body, make_consultation, make_user

COMMENTS = 240
VOTERS = 30
RESPONSES = 90
STANCES = (Stance.FOR, Stance.AGAINST, Stance.NEUTRAL, None)
START = datetime(2026, 3, 1, 8, tzinfo=UTC)


async def test_a_generated_consultation_gets_the_answers_its_generator_knows(db: Any) -> None:
    rng = random.Random(2026)
    c = await make_consultation(await make_body("ministry"), status="open", sections=3)
    sections = await Section.filter(consultation_id=c.id).order_by("position")
    author = await make_user()
    voters = [await make_user() for _ in range(VOTERS)]
    # comments: a section and a stance each, and who votes how on it
    plan = []
    for n in range(COMMENTS):
        votes = {u: (1 if rng.random() < 0.4 + 0.5 * (n % 7) / 6 else -1)
                 for u in range(VOTERS) if rng.random() < 0.3}  # fmt: skip
        plan.append((n % 3, rng.choice(STANCES), votes))
    await Comment.bulk_create([
        Comment(
            target_type="section", target_id=sections[s].id, author_id=author.id, stance=stance,
            body_raw=f"comment {n}", body_html=f"comment {n}", language="en",
            channel=Channel.ONLINE, created_at=START + timedelta(minutes=n), depth=0,
            up_count=sum(v > 0 for v in votes.values()),
            down_count=sum(v < 0 for v in votes.values()),
            text_hash=hashlib.sha256(f"comment {n}".encode()).hexdigest(),
        )
        for n, (s, stance, votes) in enumerate(plan)
    ])  # fmt: skip
    ids = [cm.id for cm in await Comment.filter(target_type="section").order_by("id")]
    await Vote.bulk_create([
        Vote(target_type="comment", target_id=ids[n], user_id=voters[u].id, value=v)
        for n, (_s, _stance, votes) in enumerate(plan) for u, v in votes.items()
    ])  # fmt: skip
    opts = [{"key": k, "i18n": {"en": k.upper()}} for k in "abc"]
    single = await Question.create(consultation=c, position=1, kind="single", options=opts,
                                   i18n={"en": {"text": "One?"}})  # fmt: skip
    multi = await Question.create(consultation=c, position=2, kind="multiple", options=opts,
                                  i18n={"en": {"text": "Some?"}})  # fmt: skip
    scale = await Question.create(consultation=c, position=3, kind="scale",
                                  i18n={"en": {"text": "How much?"}})  # fmt: skip
    answers = []
    for _ in range(RESPONSES):
        a: dict[str, Any] = {str(single.id): rng.choice("abc"),
                             str(multi.id): rng.sample("abc", rng.randint(1, 3))}  # fmt: skip
        if rng.random() < 0.8:
            a[str(scale.id)] = rng.randint(1, 5)
        answers.append(a)
    await AnswerSet.bulk_create([AnswerSet(consultation_id=c.id, answers=a) for a in answers])

    await report.request(c.id, "official")
    done = await queries.latest_done("consultation", c.id)
    assert done is not None
    data = done.data

    # stances per section, as generated
    for s, row in enumerate(data["stances"]["sections"]):
        want = Counter(str(st) if st else "" for sec, st, _v in plan if sec == s)
        assert (row["comments"], row["for"], row["against"], row["neutral"]) == (
            sum(want.values()), want["for"], want["against"], want["neutral"]
        ), s  # fmt: skip
        assert row["for_pct"] == stats.percent(want["for"], sum(want.values()))
    # questionnaire distributions, mean and median
    q1, q2, q3 = data["questionnaire"]
    ones = Counter(a[str(single.id)] for a in answers)
    assert [(o["key"], o["count"]) for o in q1["options"]] == [(k, ones[k]) for k in "abc"]
    some = Counter(k for a in answers for k in a[str(multi.id)])
    assert [(o["key"], o["count"]) for o in q2["options"]] == [(k, some[k]) for k in "abc"]
    levels = [a[str(scale.id)] for a in answers if str(scale.id) in a]
    assert q3["answered"] == len(levels)
    assert [o["count"] for o in q3["options"]] == [levels.count(k) for k in range(1, 6)]
    assert q3["mean"] == round(statistics.fmean(levels), 2)
    assert q3["median"] == statistics.median(levels)
    # votes, and the comments most supported and most contested, ranked one by one here
    part = data["participation"]
    assert part["votes"] == sum(len(v) for _s, _st, v in plan)
    assert part["people"] == 1 + len({u for _s, _st, v in plan for u in v})
    tallies = [(ids[n], sum(x > 0 for x in v.values()), sum(x < 0 for x in v.values()))
               for n, (_s, _st, v) in enumerate(plan)]  # fmt: skip
    supported = sorted(
        (t for t in tallies if t[1] > 0),
        key=lambda t: (-round(stats.wilson_lower_bound(t[1], t[2]), 4), -t[1], t[0]),
    )[:10]
    contested = sorted(
        (t for t in tallies if t[1] > 0 and t[2] > 0),
        key=lambda t: (-round(stats.controversy(t[1], t[2]), 4), -(t[1] + t[2]), t[0]),
    )[:10]
    assert [i["id"] for i in data["supported"]] == [t[0] for t in supported]
    assert [i["id"] for i in data["contested"]] == [t[0] for t in contested]
    texts = {cm.id: cm.body_raw for cm in await Comment.filter(id__in=[t[0] for t in supported])}
    assert [i["text"] for i in data["supported"]] == [texts[t[0]] for t in supported]
