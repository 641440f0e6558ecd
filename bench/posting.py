"""Posting benchmark: comments of 2 KB with markup posted per second by signed-in citizens
(`POST /comments/post`, the full path: session, CSRF, form, host and permission checks, the
rate limit in Redis, sanitising, the moderation word list, the insert, the outbox), against the
bare form endpoint (`POST /_bench/form`: the same body parsed, a 303) in the same run, as
bench/harness.py and ../shared/benchmarks.md say: three interleaved repeats, throughput at 64
connections, latency judged at 16. After the runs the rows are counted: every answer that
said "posted" (a 303 to the new comment) is a row, no row without one, no text twice.

Also measured apart: how long sanitising one of these texts takes (bleach, the required
sanitiser), against the app CPU each posted comment cost in the run: bleach's share.

    .venv/bin/python -m bench.posting            # BENCH_SECONDS (30) per run
    BENCH_SECONDS=10 .venv/bin/python -m bench.posting

Environment: BENCH_POSTING_DB (default BENCH_DB's name + ``_posting``: bench_posting), BENCH_PG, BENCH_REDIS_URL (the rate
limiter and arq; that Redis db is flushed after), BENCH_REPEATS (3).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench import harness

DB_NAME = os.environ.get("BENCH_POSTING_DB", os.environ.get("BENCH_DB", "bench") + "_posting")
USERS = 8_000  # 10 comments a minute each (the rate limit): room for ~1,300 posts/s
CSRF = "bench-posting-csrf-token"

PARAGRAPH = (
    "I support the **target for cleaner air**, but the transition period for *delivery "
    "vehicles* should be shorter in the city centre; the school run is the worst hour of the "
    "day, see https://example.org/air-quality/report-2026 for the figures.\n\n"
    "- fewer diesel vans before 9:00\n- a <em>loading zone</em> on every block\n"
    "- <strong>real</strong> checks, not promises\n\n"
    "> The draft says 2030. That is too late for children who walk to school today.\n\n"
)


def comment_text(tag: str) -> str:
    """A 2 KB comment with paragraphs, emphasis, a link, a list, a quotation and hand-typed
    tags (``tag`` makes it unique)."""
    text = ""
    while len(text) < 2000:
        text += PARAGRAPH
    return text[:1990].rsplit(" ", 1)[0] + f" {tag}"


async def prepare(url: str) -> tuple[int, list[str]]:
    """An open consultation with one section, USERS confirmed citizens with a session each;
    (section id, session tokens)."""
    import asyncpg
    from tortoise import Tortoise

    from bench import generate
    from consultations.models import Consultation, ConsultationBody, Section, Status
    from participation.accounts.sessions import key_of
    from participation.db import tortoise_config
    from participation.organisations.models import Body
    from participation.settings import Settings

    now = datetime.now(UTC)
    await Tortoise.init(config=tortoise_config(Settings(database_url=url, secret_key="bench")))
    try:
        body = await Body.create(slug="bench-ministry", i18n={"en": {"name": "Bench ministry"}})
        c = await Consultation.create(
            slug="bench-posting", body=body, status=Status.OPEN, original_locale="en",
            i18n={"en": {"title": "Posting", "summary": "A benchmark.", "body": "Bench."}},
            search_text="posting", opens_at=now - timedelta(days=1),
            opened_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
        )  # fmt: skip
        await ConsultationBody.create(consultation=c, body=body)
        section = await Section.create(consultation=c, position=1, version=1,
                                       original_locale="en",
                                       i18n={"en": {"title": "Article 1", "text": "Text."}})  # fmt: skip
    finally:
        await Tortoise.close_connections()
    con = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        first = int(await con.fetchval("SELECT coalesce(max(id), 0) + 1 FROM users"))
        rows = [r for _, r in zip(range(USERS), generate._users(first), strict=False)]
        await con.copy_records_to_table("users", records=rows, columns=generate.USER_COLS)
        tokens = [secrets.token_urlsafe(24) for _ in range(USERS)]
        await con.copy_records_to_table(
            "sessions", columns=("id", "user_id", "created_at", "last_seen"),
            records=[(key_of(t), first + i, now, now) for i, t in enumerate(tokens)],
        )  # fmt: skip
    finally:
        await con.close()
    return section.id, tokens


def lua(path: str, section_id: int, cookies: list[str]) -> str:
    """Each request: the next citizen's cookie, a unique 2 KB text (``__RUN__`` is replaced by
    an id per wrk run); counts the answers that are a 303 to the new comment (``posted``) per
    thread."""
    text = comment_text("__TAG__")
    return (
        "local cookies = {"
        + ",".join(json.dumps(c) for c in cookies)
        + "}\n"
        + f"local path = {json.dumps(path)}\n"
        + f"local head = {json.dumps(f'target_type=section&target_id={section_id}&stance=for&language=en&text=')}\n"  # noqa: E501
        + f"local text = {json.dumps(_urlencode(text))}\n"
        + 'local run = "__RUN__"\n'
        + r"""
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
local n = 0
posted = 0
request = function()
  n = n + 1
  local who = cookies[((__START__ + tid * 7919 + n) % #cookies) + 1]
  local tag = string.format("%s-%d-%d", run, tid, n)
  local body = head .. text:gsub("__TAG__", tag)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = who, ["X-CSRF-Token"] = "__CSRF__"}, body)
end
response = function(status, headers, body)
  local loc = headers["Location"] or headers["location"] or ""
  if status == 303 and loc:match("#comment%-%d+$") then posted = posted + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("posted") end
  io.write(string.format(
    "BENCHJSON{\"requests\":%d,\"status_errors\":%d,\"connect\":%d,\"read\":%d,"
    .. "\"write\":%d,\"timeout\":%d,\"duration_us\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
    .. "\"mean_ms\":%.3f,\"posted\":%d}\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000, total))
end
""".replace("__CSRF__", CSRF)
    )


def _urlencode(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text)


def run(server: harness.Server, script: str, path: str, conns: int, seconds: int, label: str
        ) -> tuple[harness.Result, int]:  # fmt: skip
    """A warm-up and a measured wrk run of ``script``; (the measured result, comments posted in
    both: the warm-up's count too, for the row check)."""
    files = []
    for _ in range(2):  # the warm-up's texts and the measured run's differ
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            # each run starts at another citizen: runs close together must not send the same
            # people's comments again and again into the rate limit (10 a minute each)
            f.write(script.replace("__RUN__", secrets.token_hex(6))
                    .replace("__START__", str(secrets.randbelow(USERS))))  # fmt: skip
            files.append(f.name)
    try:
        posted = 0
        if harness.warmup() > 0:
            warm, _ = harness._wrk(server.url + path, conns, harness.warmup(), files[0], 2)
            posted += warm.get("posted", 0)
        before = harness.cpu_snapshot(server.worker_pids())
        data, wrk_cpu = harness._wrk(server.url + path, conns, seconds, files[1], 2)
        after = harness.cpu_snapshot(server.worker_pids())
    finally:
        for name in files:
            os.unlink(name)
    posted += data.get("posted", 0)
    duration = data["duration_us"] / 1e6
    ok = data["requests"] - data["status_errors"]
    errors = sum(data[k] for k in ("status_errors", "connect", "read", "write", "timeout"))
    if path.startswith("/comments"):
        errors += ok - data.get("posted", 0)  # a 303 that did not post is a failure here
        ok = data.get("posted", 0)
    r = harness.Result(
        url=server.url + path, connections=conns, seconds=duration, rps=ok / duration,
        p50=data["p50_ms"], p99=data["p99_ms"], mean=data["mean_ms"], errors=errors,
        requests=data["requests"], cpu=harness.cpu_shares(before, after, {"wrk": wrk_cpu}),
        label=label,
    )  # fmt: skip
    harness.print_run(r)
    return r, posted


async def check(url: str, section_id: int) -> dict[str, int]:
    import asyncpg

    con = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        row = await con.fetchrow(
            "SELECT count(*) AS n, count(DISTINCT body_raw) AS d,"
            " count(*) FILTER (WHERE body_html = '') AS blank FROM comments"
            " WHERE target_type = 'section' AND target_id = $1",
            section_id,
        )
        return {"rows": row["n"], "distinct_texts": row["d"], "blank_html": row["blank"]}
    finally:
        await con.close()


def sanitise_cost(samples: int = 400) -> dict[str, float]:
    """Milliseconds per text of the bench, one process: what posting spends in bleach
    (``sanitise``: the first and final passes, the words and hash taken from the first), the
    same three results from the separate functions (``sanitize_comment`` + ``plain_text`` +
    ``text_hash``: four passes, as posting did before), the light markup step alone, and, when
    installed, nh3 (ammonia, in Rust) doing the same three passes with the same allowlist
    (without bleach's linkifier)."""
    from participation import sanitize

    texts = [comment_text(f"s{i}") for i in range(samples)]

    def per_text(f: Any) -> float:
        f(texts[0])
        started = time.perf_counter()
        for t in texts:
            f(t)
        return 1000 * (time.perf_counter() - started) / samples

    def separate(t: str) -> None:
        sanitize.plain_text(t)
        sanitize.sanitize_comment(t)
        sanitize.text_hash(t)

    out = {
        "bleach_ms": per_text(sanitize.sanitise),
        "separate_ms": per_text(separate),
        "markup_only_ms": per_text(
            lambda t: "".join(sanitize._block(b) for b in sanitize._blocks(t))
        ),
    }  # fmt: skip
    try:
        import nh3
    except ImportError:
        return out
    tags, schemes = set(sanitize.TAGS), set(sanitize.PROTOCOLS)

    def with_nh3(t: str) -> None:
        first = nh3.clean(t, tags=tags, attributes={"a": {"href"}}, url_schemes=schemes)
        html = "".join(sanitize._block(b) for b in sanitize._blocks(first))
        nh3.clean(html, tags=tags, attributes={"a": {"href"}}, url_schemes=schemes,
                  link_rel=sanitize.REL)  # fmt: skip
        nh3.clean(t, tags=set())

    out["nh3_ms"] = per_text(with_nh3)
    return out


def figures() -> list[harness.Figure]:
    seconds = harness.seconds()
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    url = harness.pg_url(DB_NAME)
    harness.reset_database(DB_NAME)
    harness.migrate(url)
    section_id, tokens = asyncio.run(prepare(url))
    cookies = [harness.session_cookie({"sid": t, "lang": "en", "csrf": CSRF}) for t in tokens]
    print(f"posting: database {DB_NAME}, section {section_id}, {len(cookies)} citizens; "
          f"a comment is {len(comment_text('x'))} characters")  # fmt: skip
    server = harness.start_server(url)
    results: dict[int, dict[str, list[harness.Result]]] = {64: {}, 16: {}}
    posted = 0
    try:
        post = lua("/comments/post", section_id, cookies)
        bare = lua("/_bench/form", section_id, cookies)
        for rep in range(repeats):
            for conns in (64, 16):
                print(f"posting: repeat {rep + 1}/{repeats}, {conns} connections")
                got = results[conns]
                if rep == 0:
                    got.setdefault("bare", []).append(
                        run(server, bare, "/_bench/form", conns, seconds, "bare form POST")[0]
                    )
                p, n = run(server, post, "/comments/post", conns, seconds, "post a 2 KB comment")
                posted += n
                got.setdefault("post", []).append(p)
                got.setdefault("bare", []).append(
                    run(server, bare, "/_bench/form", conns, seconds, "bare form POST")[0]
                )
    finally:
        harness.stop_server(server)
    log = server.log_path.read_text()
    if "Traceback" in log:
        print("posting: the server logged errors:\n" + log[-3000:])
    checks = asyncio.run(check(url, section_id))
    lost = max(posted - checks["rows"], 0)
    unanswered = max(checks["rows"] - posted, 0)  # under way when a wrk run stopped
    in_flight = repeats * (64 + 16) * (2 if harness.warmup() > 0 else 1)
    print(f"posting: answers that said posted {posted}, rows {checks['rows']}: lost {lost}, "
          f"written while wrk stopped (at most {in_flight}) {unanswered}, texts twice "
          f"{checks['rows'] - checks['distinct_texts']}, empty HTML {checks['blank_html']}")  # fmt: skip
    try:
        import redis

        redis.Redis.from_url(harness.redis_url()).flushdb()
    except Exception:  # the Redis db only held this run's limiter keys and jobs
        pass
    cost = sanitise_cost()
    post64 = results[64]["post"]
    cpu_ms = statistics.median(
        r.cpu.get("app", 0) / 100 * r.seconds * 1000 / max(r.rps * r.seconds, 1) for r in post64
    )
    share = cost["bleach_ms"] / cpu_ms if cpu_ms else 0.0
    print(f"posting: app CPU per posted comment {cpu_ms:.2f} ms (2 workers, median at 64); "
          f"bleach on one text (sanitise: two passes) {cost['bleach_ms']:.2f} ms = "
          f"{100 * share:.0f} % of it (the separate functions, four passes: "
          f"{cost['separate_ms']:.2f} ms); the light markup step alone "
          f"{cost['markup_only_ms']:.2f}"
          " ms" + (f"; the same three passes with nh3 (ammonia) {cost['nh3_ms']:.3f} ms"
                   if "nh3_ms" in cost else ""))  # fmt: skip

    def ratios(conns: int) -> list[float]:
        got = results[conns]
        return [p.rps / statistics.fmean([got["bare"][i].rps, got["bare"][i + 1].rps])
                for i, p in enumerate(got["post"])]  # fmt: skip

    def med(conns: int, key: str, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in results[conns][key])

    ok_rows = (lost == 0 and unanswered <= in_flight and not checks["blank_html"]
               and checks["rows"] == checks["distinct_texts"])  # fmt: skip
    out = [
        harness.Figure(
            "p  post a 2 KB comment, posted/s (64)", f"{med(64, 'post', 'rps'):.0f} /s",
            f"{med(64, 'bare', 'rps'):.0f} req/s", ratios(64), ">= 500/s, no row lost",
            med(64, "post", "rps") >= 500 and ok_rows,
        ),
    ]  # fmt: skip
    for conns in (16, 64):
        p99s = [r.p99 for r in results[conns]["post"]]
        base = [statistics.fmean([results[conns]["bare"][i].p99, results[conns]["bare"][i + 1].p99])
                for i in range(len(p99s))]  # fmt: skip
        out.append(harness.Figure(
            f"p  posting p50/p99 at {conns} conn.",
            f"{med(conns, 'post', 'p50'):.1f}/{statistics.median(p99s):.1f} ms",
            f"{med(conns, 'bare', 'p50'):.1f}/{statistics.median(base):.1f} ms",
            [a / b if b else float("inf") for a, b in zip(p99s, base, strict=True)],
            "p99 < 100 ms" if conns == 16 else "-",
            statistics.median(p99s) < 100 if conns == 16 else None,
        ))  # fmt: skip
    out.append(harness.Figure(
        "p  bleach share of a posted comment's CPU", f"{cost['bleach_ms']:.2f} ms",
        f"{cpu_ms:.2f} ms", [share], "-", None,
    ))  # fmt: skip
    return out


if __name__ == "__main__":
    figs = figures()
    harness.print_table(figs)
    raise SystemExit(0 if all(f.passed is not False for f in figs) else 1)
