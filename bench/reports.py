"""`python -m bench.reports`: the report and export figures of issue 11.

On the generated consultation (bench/generate.py: ``bench-100k``, 100,000 comments and
1,000,000 votes) plus 10,000 questionnaire responses (a single choice, a multiple choice, a
scale and a free text, 10 % of the texts copies of five form letters):

1. The full feedback report (``consultations.report.build``: participation by channel,
   language, region and day, stances per section, questionnaire tallies and near-duplicate
   groups of the free texts, top comments, opinion groups over the vote matrix, moderation,
   campaigns) in a child process: wall time and the child's peak RSS. Goal < 10 s, < 500 MB.
2. The streamed CSV export of a consultation of 1,000,000 comments (``bench-1m``, loaded
   here with COPY): the public export (``consultations.report.public_comments``: written by
   PostgreSQL's COPY, streamed in chunks), as the route streams it, counted and dropped in a
   child process: rows/s and RSS growth (peak RSS minus the RSS once the first chunk is out).
   Goal >= 100,000 rows/s, < 50 MB. The same for the JSON export (no goal), and for the
   Python path (``export_comments`` through ``stream_csv``: SQLite's) as the baseline.

3. The opinion groups alone on a planted vote matrix as large as the full report's could give
   (the generated votes are spread too thin for anyone to vote on 7 of the 300 most voted
   comments, so the report above finds no groups and spends nothing there): 20,000 people in
   two camps, 50 votes each on 300 comments (1,000,000 votes), in a child process: wall and
   CPU seconds (no goal of its own: what the full report would add).

Its own database (BENCH_REPORTS_DB, default ``bench_reports``), dropped and made anew
(BENCH_REUSE=1: measure again on the data an earlier run loaded).
The campaigns part reads the integrity index, which this bench does not build (issue 10's
bench measures that): its figure here is the query on an empty index.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from bench import generate, harness

DB = os.environ.get("BENCH_REPORTS_DB", "bench_reports")
RESPONSES = int(os.environ.get("BENCH_RESPONSES", "10000"))
EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "1000000"))
MILLION_SLUG = "bench-1m"
LETTERS = (
    "We ask the ministry to bring the low emission zone forward to next year and to fund "
    "electric buses for every line that crosses the city centre before the zone starts",
    "Please publish every monitoring station's readings each hour as open data so that "
    "schools and parents can see the air their children breathe on the way to class",
    "The transition period for delivery vans is far too long and must be cut to two years "
    "with grants for small firms that cannot afford a new vehicle on their own",
    "هوای پاک حق همه شهروندان است و ما از وزارت می‌خواهیم که مهلت دو ساله را کوتاه کند و "
    "برای اتوبوس‌های برقی در همه خطوط شهر بودجه کافی در نظر بگیرد",
    "Nous demandons que les données de chaque station soient publiées toutes les heures "
    "afin que les écoles et les parents connaissent l'air que respirent les enfants",
)


def _rss_mb(field: str = "VmRSS") -> float:
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---- data --------------------------------------------------------------------------------------


async def _questionnaire(url: str) -> int:
    """Four questions on bench-100k and RESPONSES answer sets (COPY), one per user."""
    import asyncpg
    from tortoise import Tortoise

    from consultations.models import Consultation, Question
    from participation.db import tortoise_config
    from participation.settings import Settings

    await Tortoise.init(config=tortoise_config(Settings(database_url=url, secret_key="bench")))
    try:
        c = await Consultation.get(slug=generate.BIG_SLUG)
        opts = [{"key": k, "i18n": {"en": k.upper()}} for k in ("a", "b", "c", "d")]
        single = await Question.create(consultation=c, position=1, kind="single", options=opts,
                                       i18n={"en": {"text": "Which option?"}})  # fmt: skip
        multi = await Question.create(consultation=c, position=2, kind="multiple", options=opts,
                                      i18n={"en": {"text": "Which ones?"}})  # fmt: skip
        scale = await Question.create(consultation=c, position=3, kind="scale",
                                      i18n={"en": {"text": "How much?"}})  # fmt: skip
        free = await Question.create(consultation=c, position=4, kind="text",
                                     i18n={"en": {"text": "Why?"}})  # fmt: skip
        cid = c.id
    finally:
        await Tortoise.close_connections()
    rng = random.Random(11)
    con = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        users = [r[0] for r in await con.fetch("SELECT id FROM users ORDER BY id LIMIT $1",
                                                 RESPONSES)]  # fmt: skip
        now = datetime.now(UTC)

        def rows() -> Iterator[tuple[Any, ...]]:
            for i, uid in enumerate(users):
                if i % 10 == 0:  # a copy of a form letter, slightly varied
                    text = LETTERS[i % len(LETTERS)] + rng.choice(("", " Thank you.", " !"))
                else:
                    text = generate._text(rng, i)
                answers = {
                    str(single.id): rng.choice("abcd"),
                    str(multi.id): rng.sample("abcd", rng.randint(1, 3)),
                    str(scale.id): rng.randint(1, 5),
                    str(free.id): text,
                }
                at = now - timedelta(minutes=i)
                yield (i + 1, cid, uid, json.dumps(answers, ensure_ascii=False), "online", at, at)

        cols = ("id", "consultation_id", "user_id", "answers", "channel", "created_at",
                "updated_at")  # fmt: skip
        n = await generate._copy(con, "consultation_answer_sets", cols, rows())
        await con.execute("SELECT setval(pg_get_serial_sequence('consultation_answer_sets', "
                          "'id'), (SELECT max(id) FROM consultation_answer_sets))")  # fmt: skip
        return n
    finally:
        await con.close()


async def _million(url: str) -> int:
    """Consultation bench-1m: one section with EXPORT_ROWS comments (COPY, streamed)."""
    import asyncpg
    from tortoise import Tortoise

    from consultations.models import Consultation, ConsultationBody, Section, Status
    from participation.db import tortoise_config
    from participation.organisations.models import Body
    from participation.settings import Settings

    await Tortoise.init(config=tortoise_config(Settings(database_url=url, secret_key="bench")))
    try:
        body = await Body.get(slug="bench-ministry")
        c = await Consultation.create(
            slug=MILLION_SLUG, body=body, status=Status.CLOSED, original_locale="en",
            i18n={"en": {"title": "A million comments", "summary": "", "body": ""}},
            search_text="a million comments", opens_at=generate.NOW - timedelta(days=60),
            closes_at=generate.NOW - timedelta(days=1), closed_at=generate.NOW,
        )  # fmt: skip
        await ConsultationBody.create(consultation=c, body=body)
        s = await Section.create(consultation=c, position=1, version=1, original_locale="en",
                                 i18n={"en": {"title": "Article 1", "text": "Text."}})  # fmt: skip
        section_id = s.id
    finally:
        await Tortoise.close_connections()
    rng = random.Random(12)
    con = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        first = int(await con.fetchval("SELECT coalesce(max(id), 0) + 1 FROM comments"))
        users = [r[0] for r in await con.fetch("SELECT id FROM users ORDER BY id")]
        start = generate.NOW - timedelta(days=59)

        def rows() -> Iterator[tuple[Any, ...]]:
            for i in range(EXPORT_ROWS):
                text = generate._text(rng, i)
                at = start + timedelta(seconds=i * 4)
                yield (
                    first + i, "section", section_id, None, None, 0, users[i % len(users)], "",
                    ("for", "against", "neutral", None)[i % 4], text, f"<p>{text}</p>",
                    "fa" if "ا" in text else "en", "online", None, None, None, at, None, None,
                    i % 7, i % 3, 0, 0, hashlib.sha256(text.encode()).hexdigest(),
                )  # fmt: skip

        n = await generate._copy(con, "comments", generate.COMMENT_COLS, rows())
        await con.execute("SELECT setval(pg_get_serial_sequence('comments', 'id'),"
                          " (SELECT max(id) FROM comments))")  # fmt: skip
        await con.execute("ANALYZE")
        return n
    finally:
        await con.close()


# ---- the measured work, each in a child process ---------------------------------------------


async def _child_report(url: str) -> dict[str, Any]:
    from tortoise import Tortoise

    from consultations import report
    from consultations.models import Consultation
    from participation.db import tortoise_config
    from participation.settings import Settings

    await Tortoise.init(config=tortoise_config(Settings(database_url=url, secret_key="bench")))
    try:
        c = await Consultation.get(slug=generate.BIG_SLUG)
        marks: list[tuple[int, float]] = []
        t0 = time.perf_counter()

        async def progress(p: int) -> None:
            marks.append((p, round(time.perf_counter() - t0, 2)))

        cpu0 = time.process_time()
        data = await report.build(c.id, progress)
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        size = len(json.dumps(data, ensure_ascii=False))
    finally:
        await Tortoise.close_connections()
    part = data["participation"]
    groups = data["opinion_groups"] or {}
    free = data["questionnaire"][3]["text_groups"]
    return {
        "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(_rss_mb("VmHWM"), 1),
        "progress_at": marks, "json_bytes": size,
        "comments": part["comments"] + part["replies"], "votes": part["votes"],
        "responses": part["responses"], "opinion_groups": len(groups.get("groups", [])),
        "opinion_participants": groups.get("participants"),
        "free_text_groups": free["count"], "free_text_in_groups": free["in_groups"],
    }  # fmt: skip


async def _child_export(url: str, how: str = "csv") -> dict[str, Any]:
    from tortoise import Tortoise

    from consultations import report
    from consultations.models import Consultation
    from participation.db import tortoise_config
    from participation.reports.exports import stream_csv
    from participation.settings import Settings

    await Tortoise.init(config=tortoise_config(Settings(database_url=url, secret_key="bench")))
    try:
        c = await Consultation.get(slug=MILLION_SLUG)
        lines = 0
        size = 0
        base = None
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        if how == "python":
            body = stream_csv(report.EXPORT_COLUMNS, report.export_comments(c.id))
        else:
            body = report.public_comments(c.id, how)
        sep = b"\n" if how != "json" else b"},{"
        tail = b""
        async for chunk in body:
            size += len(chunk)  # what the server would send: counted, then dropped
            lines += (tail + chunk).count(sep)  # a separator may straddle two chunks
            tail = chunk[-(len(sep) - 1) :] if len(sep) > 1 else b""
            if base is None and lines > 1:
                base = _rss_mb()
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
    finally:
        await Tortoise.close_connections()
    rows = lines - 1 if how != "json" else lines + 1  # the header; no newline in the texts
    peak = _rss_mb("VmHWM")
    return {
        "rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds),
        # what the exporting process alone spends: its rate on a machine with a free core
        "cpu_seconds": round(cpu, 2), "rows_per_cpu_s": round(rows / cpu),
        "mb": round(size / 2**20, 1), "rss_after_first_batch_mb": round(base or 0, 1),
        "peak_rss_mb": round(peak, 1), "rss_growth_mb": round(peak - (base or peak), 1),
    }  # fmt: skip


def _child_opinions() -> dict[str, Any]:
    import numpy as np

    from participation.reports.opinions import opinion_groups

    rng = np.random.default_rng(1)
    people, comments, each = 20_000, 300, 50
    camp = rng.integers(0, 2, people)
    users = np.repeat(np.arange(people), each)
    on = rng.integers(0, comments, people * each)
    values = np.where(on % 2 == camp[users], 1, -1)
    values[rng.random(len(values)) < 0.1] *= -1  # one vote in ten against one's camp
    votes = np.stack([users + 1, on + 1000, values], axis=1)
    t0, cpu0 = time.perf_counter(), time.process_time()
    groups = opinion_groups(votes, list(range(1000, 1000 + comments)))
    assert groups is not None
    return {
        "seconds": round(time.perf_counter() - t0, 2),
        "cpu_seconds": round(time.process_time() - cpu0, 2),
        "votes": len(votes), "participants": groups["participants"],
        "groups": [g["size"] for g in groups["groups"]], "peak_rss_mb": round(_rss_mb("VmHWM"), 1),
    }  # fmt: skip


def _child(kind: str, url: str, *more: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "bench.reports", kind, url, *more], check=True,
                         capture_output=True, text=True, cwd=harness.ROOT)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    url = harness.pg_url(DB)
    t0 = time.perf_counter()
    if os.environ.get("BENCH_REUSE"):  # the data of an earlier run, as it was loaded
        print(f"reusing the data in {DB}")
    else:
        harness.reset_database(DB)
        harness.migrate(url)
        loaded = asyncio.run(generate.load(url))
        responses = asyncio.run(_questionnaire(url))
        million = asyncio.run(_million(url))
        print(f"loaded in {time.perf_counter() - t0:.0f} s: {loaded.counts}, {responses} "
              f"questionnaire responses, {million} comments on {MILLION_SLUG}")  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    rep = _child("child-report", url)
    print("report: " + json.dumps(rep))
    print("opinion groups, planted 20,000 x 300: " + json.dumps(_child("child-opinions", url)))
    base = _child("child-export", url, "python")
    print("export, Python path (baseline): " + json.dumps(base))
    exp = _child("child-export", url, "csv")
    print("export, CSV: " + json.dumps(exp))
    print("export, JSON: " + json.dumps(_child("child-export", url, "json")))
    print(f"CSV export / Python path: {exp['rows_per_s'] / base['rows_per_s']:.1f} x")
    checks = [
        ("full report, seconds", rep["seconds"], "< 10", rep["seconds"] < 10),
        ("full report, peak RSS MB", rep["peak_rss_mb"], "< 500", rep["peak_rss_mb"] < 500),
        ("CSV export, rows/s", exp["rows_per_s"], ">= 100000", exp["rows_per_s"] >= 100_000),
        ("CSV export, RSS growth MB", exp["rss_growth_mb"], "< 50", exp["rss_growth_mb"] < 50),
    ]
    print()
    for name, value, goal, ok in checks:
        print(f"{name:<28} {value:>12}   goal {goal:<10} {'met' if ok else 'MISSED'}")
    return 0 if all(ok for *_rest, ok in checks) else 1


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "child-report":
        print(json.dumps(asyncio.run(_child_report(sys.argv[2]))))
        sys.exit(0)
    if len(sys.argv) >= 3 and sys.argv[1] == "child-opinions":
        print(json.dumps(_child_opinions()))
        sys.exit(0)
    if len(sys.argv) == 4 and sys.argv[1] == "child-export":
        print(json.dumps(asyncio.run(_child_export(sys.argv[2], sys.argv[3]))))
        sys.exit(0)
    sys.exit(main())
