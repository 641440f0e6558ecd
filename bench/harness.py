"""The benchmark harness: a fresh PostgreSQL database, the app served as in production
(`participation serve --workers 2`, uvloop + httptools) and `wrk` runs with CPU shares.

How figures are measured: /work/shared/benchmarks.md (a figure is a ratio against a bare
baseline measured right before and after it in the same run, three interleaved repeats,
throughput at 64 connections, latency judged at 16). Used by ``python -m bench`` and by
bench/signing.py::

    from bench import harness
    harness.reset_database("bench_x"); harness.migrate(harness.pg_url("bench_x"))
    server = harness.start_server(harness.pg_url("bench_x"))
    try:
        r = harness.run_wrk(server.url + "/_bench/page", connections=64, seconds=30)
        print(r.rps, r.p50, r.p99, r.errors); harness.print_cpu(r)
    finally:
        harness.stop_server(server)

Environment: BENCH_PG (libpq URL with ``{db}``, default the Unix socket in /var/run/postgresql
as user postgres), BENCH_REDIS_URL (default redis://127.0.0.1:6379/5), BENCH_SECONDS (measured
seconds per run, default 30), BENCH_WARMUP (default 5).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SOCKET = "/var/run/postgresql"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def seconds() -> int:
    return int(os.environ.get("BENCH_SECONDS", "30"))


def warmup() -> int:
    return int(os.environ.get("BENCH_WARMUP", "5"))


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")


def pg_url(db: str) -> str:
    """The app's DATABASE_URL for database ``db`` (Unix socket unless BENCH_PG says else)."""
    base = os.environ.get("BENCH_PG", f"postgres://postgres@/{{db}}?host={PG_SOCKET}")
    return base.replace("{db}", db)


def asyncpg_dsn(db: str) -> str:
    return pg_url(db).replace("postgres://", "postgresql://", 1)


# ---- database --------------------------------------------------------------------------------


def reset_database(db: str) -> None:
    """Drop and create ``db`` (connections to it are closed first)."""

    async def run() -> None:
        import asyncpg

        admin = await asyncpg.connect(asyncpg_dsn("postgres"))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{db}"')
        finally:
            await admin.close()

    asyncio.run(run())


def migrate(database_url: str) -> None:
    """The schema of every domain's models (Tortoise ``generate_schemas``: the migrations are
    written by the lead from the same models)."""

    async def run() -> None:
        from tortoise import Tortoise

        from participation.db import tortoise_config
        from participation.settings import Settings

        await Tortoise.init(
            config=tortoise_config(Settings(database_url=database_url, secret_key="bench"))
        )
        try:
            await Tortoise.generate_schemas()
        finally:
            await Tortoise.close_connections()

    asyncio.run(run())


# ---- server ----------------------------------------------------------------------------------


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    var_dir: Path
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        return descendants(self.proc.pid)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    database_url: str,
    port: int | None = None,
    workers: int = 2,
    env: dict[str, str] | None = None,
    with_redis: bool = True,
) -> Server:
    """`participation serve --workers N` in production mode (no access log) with the bare
    baseline endpoints (BENCH_ENDPOINTS=1); returns once /healthz answers."""
    port = port or free_port()
    var_dir = Path(tempfile.mkdtemp(prefix="bench-var-"))
    log_path = var_dir / "server.log"
    full_env = {
        **os.environ,
        "ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "BASE_URL": f"http://127.0.0.1:{port}",
        "VAR_DIR": str(var_dir),
        "RUN_SCHEDULER": "0",
        "BENCH_ENDPOINTS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        **({"REDIS_URL": redis_url()} if with_redis else {}),
        **(env or {}),
    }
    if not with_redis:
        full_env.pop("REDIS_URL", None)
    cmd = [str(Path(sys.executable).with_name("participation")), "serve", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers)]  # fmt: skip
    log = log_path.open("wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    server = Server(proc, port, var_dir, log_path)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop_server(server)
                raise RuntimeError("the server did not start:\n" + log_path.read_text()) from None
            time.sleep(0.2)
    # every worker must be up, not only the first one
    while len(server.worker_pids()) < workers and time.monotonic() < deadline:
        time.sleep(0.2)
    return server


def stop_server(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGINT)
        try:
            server.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None
          ) -> tuple[int, str, dict[str, str]]:  # fmt: skip
    req = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read().decode(), dict(r.headers.items())


# ---- processes and CPU -----------------------------------------------------------------------


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(comm, ppid, utime + stime ticks) of a live process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2 :].split()
    return comm, int(rest[1]), int(rest[11]) + int(rest[12])


def _all_stats() -> dict[int, tuple[str, int, int]]:
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st is not None:
                out[int(entry)] = st
    return out


def descendants(pid: int) -> list[int]:
    stats = _all_stats()
    out: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        kids = [p for p, (_, ppid, _) in stats.items() if ppid == parent]
        out.extend(kids)
        frontier.extend(kids)
    return out


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


@dataclass
class CpuSnapshot:
    at: float
    ticks: dict[int, int]
    groups: dict[str, list[int]]
    machine: tuple[int, int]


def cpu_snapshot(app_pids: Sequence[int]) -> CpuSnapshot:
    stats = _all_stats()
    groups = {
        "app": [p for p in app_pids if p in stats],
        "postgres": [p for p, s in stats.items() if s[0] == "postgres"],
        "redis": [p for p, s in stats.items() if s[0].startswith("redis-server")],
    }
    return CpuSnapshot(time.monotonic(), {p: s[2] for p, s in stats.items()}, groups,
                       _machine_ticks())  # fmt: skip


def cpu_shares(
    before: CpuSnapshot, after: CpuSnapshot, extra: dict[str, float] | None = None
) -> dict[str, float]:
    """Per group, CPU used during the interval in % of one core (2 cores = 200 %); processes
    that started during it (a new postgres backend) count from zero. ``extra``: groups
    measured otherwise (wrk, by its rusage), in CPU seconds."""
    elapsed = max(after.at - before.at, 1e-6)
    out: dict[str, float] = {}
    for group, pids in after.groups.items():
        used = sum(after.ticks[p] - before.ticks.get(p, 0) for p in pids if p in after.ticks)
        out[group] = 100.0 * used / CLK_TCK / elapsed
    for group, cpu_seconds in (extra or {}).items():
        out[group] = 100.0 * cpu_seconds / elapsed
    busy = after.machine[0] - before.machine[0]
    total = after.machine[1] - before.machine[1]
    cores = os.cpu_count() or 1
    out["machine busy"] = 100.0 * cores * busy / max(total, 1)
    return out


# ---- wrk -------------------------------------------------------------------------------------

REPORT_LUA = r"""
function done(summary, latency, requests)
  io.write(string.format(
    "BENCHJSON{\"requests\":%d,\"status_errors\":%d,\"connect\":%d,\"read\":%d,"
    .. "\"write\":%d,\"timeout\":%d,\"duration_us\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
    .. "\"mean_ms\":%.3f}\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000))
end
"""


SECRET_KEY = "bench-secret-key-0123456789-0123456789-abcdef"


def session_cookie(session: dict[str, Any], secret: str = SECRET_KEY) -> str:
    """A ``session=`` cookie as Starlette's SessionMiddleware of the served app signs it, so
    a wrk run can read pages as a signed-in user without logging in."""
    import base64

    import itsdangerous

    data = base64.b64encode(json.dumps(session).encode())
    return "session=" + itsdangerous.TimestampSigner(secret).sign(data).decode()


def header_lua(name: str, value: str) -> str:
    """A wrk script that sends one more header with every request."""
    return f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n"


NEXT_LINK = re.compile(r'href="([^"]+)" rel="next"')


def walk_chain(base_url: str, first_path: str, max_pages: int = 20,
               headers: dict[str, str] | None = None) -> list[str]:  # fmt: skip
    """The addresses of the first ``max_pages`` pages of a thread, following its "More
    comments" links (rel="next") from ``first_path``, as the walk's Lua sends them."""
    chain = [first_path]
    while len(chain) < max_pages:
        _, html, _ = fetch(base_url + chain[-1], headers=headers)
        m = NEXT_LINK.search(html)
        if m is None:
            break
        chain.append(m.group(1).replace("&amp;", "&").split("#", 1)[0])
    return chain


def cursor_walk_lua(chain: list[str]) -> str:
    """Each wrk thread walks the "More comments" links (rel="next") from page to page, from
    the first page of ``chain`` (``walk_chain``), back to the first at the end of it.

    The thread's connections share one walk: every answer moves it to the page its next link
    names. A link is followed only when it is one of the chain's pages: answers still on
    their way when the walk went back to the first page would otherwise carry it past the
    end, deeper at every turn (measured: 125 different pages within 10 s instead of 20), so
    that the walk is exactly ``len(chain)`` pages deep, whatever the connections' order."""
    first, *rest = chain
    pages = ",".join(f"[{json.dumps(p)}] = true" for p in rest)
    return (
        f"""
local first = {json.dumps(first)}
local in_chain = {{{pages}}}
local next_path = first
request = function()
  return wrk.format("GET", next_path)
end
response = function(status, headers, body)
  local href = nil
  if status == 200 and body then href = body:match('href="([^"]+)" rel="next"') end
  if href then href = href:gsub("&amp;", "&"):gsub("#.*$", "") end
  if href and in_chain[href] then
    next_path = href
  else
    next_path = first
  end
end
"""
        + REPORT_LUA
    )


@dataclass
class Result:
    url: str
    connections: int
    seconds: float
    rps: float  # requests/s answered with 2xx/3xx
    p50: float  # ms
    p99: float  # ms
    mean: float  # ms
    errors: int  # socket errors + non-2xx/3xx answers
    requests: int
    cpu: dict[str, float] = field(default_factory=dict)
    label: str = ""


def run_wrk(
    url: str,
    connections: int,
    seconds: float,
    lua: str | None = None,
    warmup_seconds: float | None = None,
    threads: int = 2,
    app_pids: Sequence[int] = (),
    label: str = "",
) -> Result:
    """`wrk -t2 -c<connections>` against ``url``: a warm-up run (discarded, default
    BENCH_WARMUP seconds), then the measured run with the CPU shares of the app workers
    (``app_pids``), PostgreSQL, Redis and wrk itself. ``lua``: a wrk script (its own
    ``done`` is replaced by the reporting one, so do not define ``done``)."""
    warm = warmup() if warmup_seconds is None else warmup_seconds
    script = (lua or "") + ("" if lua and "function done" in lua else REPORT_LUA)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        if warm > 0:
            _wrk(url, connections, warm, f.name, threads)
        before = cpu_snapshot(app_pids)
        data, wrk_cpu = _wrk(url, connections, seconds, f.name, threads)
        after = cpu_snapshot(app_pids)
    finally:
        os.unlink(f.name)
    duration = data["duration_us"] / 1e6
    ok = data["requests"] - data["status_errors"]
    errors = sum(data[k] for k in ("status_errors", "connect", "read", "write", "timeout"))
    return Result(
        url=url, connections=connections, seconds=duration, rps=ok / duration,
        p50=data["p50_ms"], p99=data["p99_ms"], mean=data["mean_ms"], errors=errors,
        requests=data["requests"], cpu=cpu_shares(before, after, {"wrk": wrk_cpu}), label=label,
    )  # fmt: skip


def _wrk(url: str, connections: int, seconds: float, script: str, threads: int
         ) -> tuple[dict[str, Any], float]:  # fmt: skip
    """One wrk run; (its report, the CPU seconds wrk used)."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
             "--timeout", "10s", "-s", script, url],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{text}")
    line = next((x for x in text.splitlines() if x.startswith("BENCHJSON")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no report:\n{text}")
    return json.loads(line[len("BENCHJSON") :]), usage.ru_utime + usage.ru_stime


# ---- reporting -------------------------------------------------------------------------------


def format_cpu(cpu: dict[str, float]) -> str:
    order = ("app", "postgres", "redis", "wrk", "machine busy")
    return " ".join(f"{k} {cpu[k]:.0f}%" for k in order if k in cpu)


def print_run(r: Result, out: Callable[[str], object] = print) -> None:
    out(
        f"  {r.label or r.url:<34} c={r.connections:<3} {r.rps:8.1f} req/s  p50 {r.p50:7.2f} ms"
        f"  p99 {r.p99:7.2f} ms  errors {r.errors:<4} cpu(% of a core): {format_cpu(r.cpu)}"
    )


def print_cpu(r: Result) -> None:
    print(format_cpu(r.cpu))


@dataclass
class Figure:
    name: str
    value: str
    baseline: str
    ratios: list[float]
    goal: str
    passed: bool | None  # None: no goal

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def spread(self) -> float:
        return max(self.ratios) - min(self.ratios) if self.ratios else 0.0


def print_table(figures: Sequence[Figure], out: Callable[[str], object] = print) -> None:
    head = ("figure", "value", "baseline", "ratio (median, spread)", "goal", "result")
    rows = [head] + [
        (
            f.name,
            f.value,
            f.baseline,
            f"{f.ratio:.2f} (±{f.spread / 2:.2f}, n={len(f.ratios)})" if f.ratios else "-",
            f.goal,
            "-" if f.passed is None else ("PASS" if f.passed else "FAIL"),
        )  # fmt: skip
        for f in figures
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    for k, r in enumerate(rows):
        out(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        if k == 0:
            out("-+-".join("-" * w for w in widths))
