"""Signing benchmark: signatures accepted per second with 2 app workers on PostgreSQL (wrk,
unique e-mails from a Lua script, a real session + CSRF token), as a ratio to a bare asyncpg
single-row insert rate measured right before and after it in the same run (three interleaved
repeats; goal >= 0.5, p99 < 50 ms at 16 connections); afterwards the rows are checked
(rows = accepted requests, 0 duplicates) and counted by the counter job (count + suspects =
confirmed rows).

    .venv/bin/python -m bench.signing            # 60 s
    BENCH_SECONDS=15 .venv/bin/python -m bench.signing

Environment: BENCH_SIGNING_DB (default ``<BENCH_DB>_signing`` when BENCH_DB is set, else
bench_petition_signing; dropped and made anew, so never the pages' database), BENCH_REPEATS (3), BENCH_PG (a libpq-style URL of the server, default
the Unix socket in /var/run/postgresql as user postgres), BENCH_REDIS_URL (default redis://127.0.0.1:6379/5: the
app hands its outbox jobs to arq there, as in production; that Redis db is flushed after),
BENCH_PORT (default: a free port), BENCH_CONNECTIONS (wrk connections, default 64).
``figure()`` returns the numbers as a dict, ``figures()`` the rows of the bench table.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import statistics
import subprocess
import tempfile
import time
import urllib.request
from typing import Any

from bench import harness

DB_NAME = os.environ.get("BENCH_SIGNING_DB") or (
    f"{os.environ['BENCH_DB']}_signing" if os.environ.get("BENCH_DB") else "bench_petition_signing"
)


async def prepare() -> int:
    """One body and one open petition in the fresh database; its id."""
    from tortoise import Tortoise

    from participation.db import tortoise_config
    from participation.settings import Settings

    settings = Settings(database_url=harness.pg_url(DB_NAME), secret_key="bench")
    await Tortoise.init(config=tortoise_config(settings))
    try:
        from participation.accounts.models import User
        from participation.organisations.models import Body
        from petitions.models import Petition, Status

        body = await Body.create(slug="bench-body", i18n={"en": {"name": "Bench body"}})
        user = await User.create(email="bench@example.org", password_hash="x", display_name="B")
        p = await Petition.create(
            body=body, creator=user, title="Benchmark petition", action="Sign it fast.",
            status=Status.OPEN, sponsor_token=secrets.token_urlsafe(8),
        )  # fmt: skip
        return p.id
    finally:
        await Tortoise.close_connections()


async def bare_insert_rate(seconds: float = 10.0, concurrency: int = 64) -> float:
    """Single-row autocommit INSERTs per second with a plain asyncpg pool (the floor of what
    one-insert-per-request can reach on this machine)."""
    import asyncpg

    dsn = harness.asyncpg_dsn(DB_NAME)
    setup = await asyncpg.connect(dsn)
    await setup.execute(
        "CREATE TABLE IF NOT EXISTS bare_insert (id bigserial PRIMARY KEY, petition_id int,"
        " email text, created_at timestamptz DEFAULT now())"
    )
    await setup.close()
    pool = await asyncpg.create_pool(dsn, min_size=20, max_size=20)
    done = 0
    stop = time.perf_counter() + seconds

    async def worker(w: int) -> None:
        nonlocal done
        i = 0
        while time.perf_counter() < stop:
            i += 1
            await pool.execute(
                "INSERT INTO bare_insert (petition_id, email) VALUES ($1, $2)", 1, f"{w}-{i}@x"
            )
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    elapsed = time.perf_counter() - start
    await pool.close()
    return done / elapsed


def session_and_token(base_url: str, petition_id: int) -> tuple[str, str]:
    with urllib.request.urlopen(f"{base_url}/petitions/{petition_id}") as r:
        cookie = r.headers.get("set-cookie", "").split(";", 1)[0]
        html = r.read().decode()
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m and cookie, "no session or token"
    return cookie, m.group(1)


LUA = r"""
local counter = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  counter = 0
end
request = function()
  counter = counter + 1
  local body = string.format(
    "name=Bench+Signer&email=%s.%d.%d%%40example.net&region=tehran&eligible=1&opt_in=1",
    "RUN", tid, counter)
  return wrk.format("POST", "PATH", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "COOKIE", ["X-CSRF-Token"] = "TOKEN"}, body)
end
function done(summary, latency, requests)
  io.write(string.format(
    "JSON{\"requests\":%d,\"status_errors\":%d,\"connect\":%d,\"read\":%d,\"write\":%d,"
    .. "\"timeout\":%d,\"duration_us\":%d,\"p50_ms\":%.2f,\"p99_ms\":%.2f}\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def run_wrk(base_url: str, petition_id: int, cookie: str, token: str, seconds: int,
            connections: int) -> dict[str, Any]:  # fmt: skip
    script = (
        LUA.replace("RUN", secrets.token_hex(4))
        .replace("PATH", f"/petitions/{petition_id}/sign")
        .replace("COOKIE", cookie)
        .replace("TOKEN", token)
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", f.name,
         base_url + "/"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in out.stdout.splitlines() if x.startswith("JSON"))
    data: dict[str, Any] = json.loads(line[4:])
    errors = sum(data[k] for k in ("status_errors", "connect", "read", "write", "timeout"))
    data["accepted"] = data["requests"] - data["status_errors"]
    data["errors"] = errors
    data["per_second"] = data["accepted"] / (data["duration_us"] / 1e6)
    return data


async def verify(petition_id: int) -> dict[str, Any]:
    """Rows = accepted requests, no duplicates; then confirm them all and count."""
    from tortoise import Tortoise

    from participation.db import conn, tortoise_config
    from participation.settings import Settings
    from petitions import counting
    from petitions.models import Petition, Signature

    await Tortoise.init(config=tortoise_config(Settings(database_url=harness.pg_url(DB_NAME),
                                                        secret_key="bench")))  # fmt: skip
    try:
        _, rows = await conn().execute_query(
            "SELECT count(*) AS n, count(DISTINCT canonical_email) AS d,"
            " count(*) FILTER (WHERE status = 'pending') AS pending"
            " FROM petition_signatures WHERE petition_id = $1",
            [petition_id],
        )
        n, distinct, pending = rows[0]["n"], rows[0]["d"], rows[0]["pending"]
        _, jobs_ = await conn().execute_query(
            "SELECT count(*) AS n, coalesce(sum(jsonb_array_length(kwargs->'keys')), 0) AS m"
            " FROM outbox_jobs WHERE name = 'send_signature_confirmations'"
        )
        await Signature.filter(petition_id=petition_id).update(status="confirmed")
        while (await counting.count_signatures()).rows:
            pass
        p = await Petition.get(id=petition_id)
        suspects = await Signature.filter(petition_id=petition_id, suspect=True).count()
        confirmed = await Signature.filter(petition_id=petition_id, status="confirmed").count()
        return {
            "rows": n, "duplicates": n - distinct, "pending_rows": pending,
            "outbox_jobs": jobs_[0]["n"], "mails_queued": int(jobs_[0]["m"]),
            "confirmed_rows": confirmed, "count_shown": p.signature_count,
            "suspects_same_ip": suspects,
            "count_plus_suspects_equals_confirmed": p.signature_count + suspects == confirmed,
        }  # fmt: skip
    finally:
        await Tortoise.close_connections()


def figure(seconds: int | None = None) -> dict[str, Any]:
    """Three interleaved repeats of: bare asyncpg inserts, signing at 64 connections, signing
    at 16 (latency), then bare inserts again; the signing rate as a ratio to the mean of the
    bare rates around it; then the rows checked."""
    seconds = seconds or int(os.environ.get("BENCH_SECONDS", "60"))
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    port = int(os.environ.get("BENCH_PORT", "0")) or None
    connections = int(os.environ.get("BENCH_CONNECTIONS", "64"))
    redis_url = harness.redis_url()
    url = harness.pg_url(DB_NAME)
    harness.reset_database(DB_NAME)
    harness.migrate(url)
    petition_id = asyncio.run(prepare())
    bare_seconds = min(10.0, seconds)
    bares = [asyncio.run(bare_insert_rate(bare_seconds))]
    runs: list[dict[str, Any]] = []
    latency: list[dict[str, Any]] = []
    server = harness.start_server(url, port=port, env={"DB_POOL_SIZE": "10"})
    try:
        cookie, token = session_and_token(server.url, petition_id)
        for rep in range(repeats):
            runs.append(run_wrk(server.url, petition_id, cookie, token, seconds, connections))
            latency.append(run_wrk(server.url, petition_id, cookie, token, seconds, 16))
            bares.append(asyncio.run(bare_insert_rate(bare_seconds)))
            print(f"signing: repeat {rep + 1}/{repeats}: bare inserts {bares[-2]:.0f}/s, "
                  f"signing {runs[-1]['per_second']:.0f}/s at {connections} (p99 "
                  f"{runs[-1]['p99_ms']:.1f} ms), p50/p99 {latency[-1]['p50_ms']:.1f}/"
                  f"{latency[-1]['p99_ms']:.1f} ms at 16; bare after {bares[-1]:.0f}/s")  # fmt: skip
    finally:
        harness.stop_server(server)
    checks = asyncio.run(verify(petition_id))
    try:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    except Exception:  # the Redis db only held this run's arq jobs
        pass
    ratios = [r["per_second"] / statistics.fmean(bares[i : i + 2]) for i, r in enumerate(runs)]
    accepted = sum(r["accepted"] for r in runs + latency)
    return {
        "name": "petition signing",
        "seconds": seconds,
        "connections": connections,
        "repeats": repeats,
        "signatures_per_second": round(statistics.median(r["per_second"] for r in runs), 1),
        "bare_asyncpg_single_row_inserts_per_second": round(statistics.median(bares), 1),
        "ratio_to_bare_inserts": [round(x, 3) for x in ratios],
        "p50_ms_at_16": statistics.median(r["p50_ms"] for r in latency),
        "p99_ms_at_16": statistics.median(r["p99_ms"] for r in latency),
        "p99_ms_at_64": statistics.median(r["p99_ms"] for r in runs),
        "accepted": accepted,
        "errors": sum(r["errors"] for r in runs + latency),
        "goal": {"ratio_to_bare_inserts": 0.5, "p99_ms_at_16": 50},
        "rows_minus_accepted": checks["rows"] - accepted,
        # requests under way when a wrk run stops are written but not counted as answered
        "in_flight_at_stops": repeats * (connections + 16),
        **checks,
    }


def figures(result: dict[str, Any] | None = None) -> list[harness.Figure]:
    """The signing rows of the bench table."""
    r = result or figure()
    ratio = statistics.median(r["ratio_to_bare_inserts"])
    ok_rows = 0 <= r["rows_minus_accepted"] <= r["in_flight_at_stops"] and r["duplicates"] == 0
    return [
        harness.Figure(
            "s  petition signatures/s (64)", f"{r['signatures_per_second']:.0f} /s",
            f"{r['bare_asyncpg_single_row_inserts_per_second']:.0f} inserts/s",
            r["ratio_to_bare_inserts"], ">= 0.5, no row lost", ratio >= 0.5 and ok_rows,
        ),
        harness.Figure(
            "s  signing p50/p99 at 16 conn.", f"{r['p50_ms_at_16']:.1f}/{r['p99_ms_at_16']:.1f} ms",
            "-", [], "p99 < 50 ms", r["p99_ms_at_16"] < 50,
        ),
    ]  # fmt: skip


if __name__ == "__main__":
    result = figure()
    print(json.dumps(result, indent=2))
    figs = figures(result)
    harness.print_table(figs)
    raise SystemExit(0 if all(f.passed is not False for f in figs) else 1)
