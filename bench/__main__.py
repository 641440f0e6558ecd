"""`make bench` = `python -m bench`: the consultation figures of issues 3 and 4.

1. (Re)creates the PostgreSQL database ``bench``, its schema and the data of bench/generate.py
   (COPY): a consultation with 20 sections, 100,000 comments and 1,000,000 votes, and one with
   1,000 comments on one section.
2. Serves the app with `participation serve --workers 2` on it (production settings, bare
   baseline endpoints on: BENCH_ENDPOINTS=1).
3. Three interleaved repeats of: bare page, figure, bare page, next figure, bare page ... at 64
   connections (throughput) and at 16 (latency), wrk -t2, BENCH_WARMUP (5) s warm-up then
   BENCH_SECONDS (30) s; each run prints its CPU shares.
4. A table: figure, value, baseline, median ratio and spread, goal, pass/fail.

Figures
  c  home page req/s / bare page req/s (the harness's first figure; no goal).
  a  req/s of section 1 of the 100,000-comment consultation (50 top-level comments a page)
     / req/s of the bare 50-item page: goal >= 0.5; p99 at 16 connections < 50 ms.
  a2 the same while walking the "More comments" cursors (wrk Lua script, 20 pages deep, both
     sides walk), goal >= 0.5.
  a3 the same section page read by a signed-in citizen (the thread shared with every reader
     through the read cache, their own part -- votes, rights, form, token -- filled in with one
     query) / the bare page read by the same signed-in citizen (the same thread and the same
     own part, rendered the same way; the principal lookup of the session is in both): goal
     >= 0.5; and / the bare anonymous page of the same sequence: goal >= 0.3; p99 at 16
     connections < 50 ms; the page's size for 50 comments <= 60 KB.
  b  page time (mean latency at 16 connections) of that section (50,000 comments on it,
     100,000 in the consultation) / of the 1,000-comment section: goal <= 1.2.

  p  posting a 2 KB comment with markup (bench/posting.py): posted/s at 64 connections
     (goal >= 500, no comment lost), p99 at 16 < 100 ms, bleach's share of its CPU.
  s  petition signatures/s as a ratio to bare asyncpg single-row inserts (bench/signing.py):
     goal >= 0.5, p99 at 16 < 50 ms.

Set BENCH_SECONDS=10 for a quick check; BENCH_REPEATS (3) to change the repeats; BENCH_ONLY=
big_walk,big_signed (figure keys: home, big, small, big_walk, big_signed) to run only those
figures and their baselines, printing the runs without the table; BENCH_PARTS (default
pages,posting,signing) to run only some parts; BENCH_DB (bench) the pages' database (posting's
is BENCH_DB's name + ``_posting`` unless BENCH_POSTING_DB says else).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from dataclasses import dataclass

from bench import generate, harness

DB = os.environ.get("BENCH_DB", "bench")
WALK_PAGES = 20


@dataclass
class Page:
    key: str
    label: str
    path: str
    lua: str | None = None
    headers: dict[str, str] | None = None  # sent with every request (wrk and the check)
    walk: bool = False  # follows "More comments" 20 pages deep (lua set once the server runs)

    @property
    def script(self) -> str | None:
        extra = "".join(harness.header_lua(k, v) for k, v in (self.headers or {}).items())
        return (extra + (self.lua or "")) or None


def main() -> int:
    parts = os.environ.get("BENCH_PARTS", "pages,posting,signing").split(",")
    figures: list[harness.Figure] = []
    code = 0
    if "pages" in parts:
        code, figures = pages()
    if "posting" in parts and not os.environ.get("BENCH_ONLY"):
        from bench import posting

        figures += posting.figures()
    if "signing" in parts and not os.environ.get("BENCH_ONLY"):
        from bench import signing

        result = signing.figure()
        print("signing: " + json.dumps(result))
        figures += signing.figures(result)
    if figures:
        print()
        print(f"bench: {harness.seconds()} s per run after a {harness.warmup()} s warm-up, "
              f"wrk -t2; {os.environ.get('BENCH_REPEATS', '3')} interleaved repeats; ratio = "
              "figure / mean of the baseline runs around it")  # fmt: skip
        harness.print_table(figures)
    return code or (0 if all(f.passed is not False for f in figures) else 1)


def pages() -> tuple[int, list[harness.Figure]]:
    seconds = harness.seconds()
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    url = harness.pg_url(DB)
    print(f"bench: database {DB} at {url}")
    harness.reset_database(DB)
    harness.migrate(url)
    loaded = asyncio.run(generate.load(url))
    print(f"bench: data loaded with COPY in {loaded.counts.pop('seconds')} s: {loaded.counts}")

    big = f"/consultations/{loaded.big_slug}/sections/{loaded.hot_section_position}"
    small = f"/consultations/{loaded.small_slug}/sections/1"
    bare = "/_bench/page"
    cookie = {"Cookie": harness.session_cookie({"sid": loaded.reader_session, "lang": "en"})}
    pages = {
        "bare": Page("bare", "bare 50-item page", bare),
        "home": Page("home", "home page", "/"),
        "big": Page("big", "section, 100k consultation", big),
        "small": Page("small", "section, 1k consultation", small),
        "bare_signed": Page("bare_signed", "bare page, signed in", bare, headers=cookie),
        "big_signed": Page("big_signed", "section 100k, signed in", big, headers=cookie),
        "bare_walk": Page("bare_walk", "bare page, cursor walk", bare, walk=True),
        "big_walk": Page("big_walk", "section 100k, cursor walk", big, walk=True),
    }
    server = harness.start_server(url)
    sizes: dict[str, int] = {}
    try:
        print(f"bench: server {server.url}, workers {server.worker_pids()}, log {server.log_path}")
        for p in pages.values():
            status, html, _ = harness.fetch(server.url + p.path, headers=p.headers)
            shown = html.count('class="comment"')
            nxt = 'rel="next"' in html
            # a vote form per comment (before issue 14) or the page's one vote form
            forms = html.count('class="inline-form vote-form"') + html.count('id="comment-votes"')
            buttons = html.count('form="comment-votes"')
            sizes[p.key] = len(html.encode())
            print(f"  GET {p.path:<40} {status}  {sizes[p.key]:>7} bytes  {shown} comments shown"
                  f"{', a next page' if nxt else ''}, {forms} vote forms, {buttons} vote buttons")  # fmt: skip
            if status != 200:
                raise RuntimeError(f"{p.path} answered {status}")
            if p.headers and not forms:
                raise RuntimeError(f"{p.path} was not read as a signed-in citizen")
            if p.walk:
                chain = harness.walk_chain(server.url, p.path, WALK_PAGES, p.headers)
                if len(chain) < WALK_PAGES:
                    raise RuntimeError(f"{p.path} has {len(chain)} pages, not {WALK_PAGES}")
                p.lua = harness.cursor_walk_lua(chain)
        # One sequence per repeat and connection count: every figure between two bare runs.
        order = [("bare", "home"), ("bare", "big"), ("bare", "small"), ("bare_walk", "big_walk"),
                 ("bare_signed", "big_signed")]  # fmt: skip
        only = [k for k in os.environ.get("BENCH_ONLY", "").split(",") if k]
        if only:  # a diagnostic run of some figures: their runs are printed, no table
            order = [pair for pair in order if pair[1] in only]
        runs: dict[tuple[int, int], dict[str, list[harness.Result]]] = {}
        started = time.monotonic()
        for rep in range(repeats):
            for conns in (64, 16):
                print(f"bench: repeat {rep + 1}/{repeats}, {conns} connections")
                got: dict[str, list[harness.Result]] = {}
                last_base: dict[str, harness.Result] = {}
                for base_key, fig_key in order:
                    if base_key not in last_base:
                        last_base[base_key] = _run(server, pages[base_key], conns, seconds)
                        got.setdefault(base_key, []).append(last_base[base_key])
                    fig = _run(server, pages[fig_key], conns, seconds)
                    after = _run(server, pages[base_key], conns, seconds)
                    got.setdefault(fig_key, []).append(fig)
                    got.setdefault(base_key, []).append(after)
                    got.setdefault(f"{fig_key}:around", []).extend([last_base[base_key], after])
                    last_base[base_key] = after
                runs[(rep, conns)] = got
        print(f"bench: {len(runs)} sequences in {time.monotonic() - started:.0f} s")
    finally:
        harness.stop_server(server)
    log = server.log_path.read_text()
    if "Traceback" in log:
        print("bench: the server logged errors:\n" + log[-4000:])

    errors = sum(r.errors for g in runs.values() for rs in g.values() for r in rs)
    if only:
        print(f"bench: BENCH_ONLY={','.join(only)}: the runs above, no figure table; "
              f"errors {errors}")  # fmt: skip
        return (0 if errors == 0 else 1), []
    figures = _figures(runs, repeats, sizes)
    print(f"bench: socket errors and non-2xx/3xx answers in all page runs: {errors}")
    return (0 if errors == 0 else 1), figures


def _run(server: harness.Server, page: Page, conns: int, seconds: int) -> harness.Result:
    r = harness.run_wrk(server.url + page.path, conns, seconds, lua=page.script,
                        app_pids=server.worker_pids(), label=page.label)  # fmt: skip
    harness.print_run(r)
    return r


def _div(a: float, b: float) -> float:
    return a / b if b else float("inf")


def _mean(rs: list[harness.Result], attr: str) -> float:
    return statistics.fmean(getattr(r, attr) for r in rs)


def _figures(runs: dict[tuple[int, int], dict[str, list[harness.Result]]], repeats: int,
             sizes: dict[str, int]) -> list[harness.Figure]:  # fmt: skip
    def seq(conns: int) -> list[dict[str, list[harness.Result]]]:
        return [runs[(rep, conns)] for rep in range(repeats)]

    def rps_ratio(key: str, conns: int) -> list[float]:
        return [_div(g[key][0].rps, _mean(g[f"{key}:around"], "rps")) for g in seq(conns)]

    def med(key: str, conns: int, attr: str) -> float:
        return statistics.median(getattr(g[key][0], attr) for g in seq(conns))

    def around(key: str, conns: int, attr: str) -> float:
        return statistics.median(_mean(g[f"{key}:around"], attr) for g in seq(conns))

    out = []
    for key, name, goal in (("home", "c  home page req/s (64 conn.)", None),
                            ("big", "a  section page req/s, 100k consultation (64)", 0.5),
                            ("big_walk", "a2 same, walking cursors (64)", 0.5),
                            ("big_signed", "a3 same, signed-in reader (64)", 0.5)):  # fmt: skip
        ratios = rps_ratio(key, 64)
        out.append(harness.Figure(
            name, f"{med(key, 64, 'rps'):.0f} req/s", f"{around(key, 64, 'rps'):.0f} req/s",
            ratios, f">= {goal}" if goal else "-",
            None if goal is None else statistics.median(ratios) >= goal,
        ))  # fmt: skip
    anon = [_div(g["big_signed"][0].rps, _mean(g["bare"], "rps")) for g in seq(64)]
    out.append(harness.Figure(
        "a3 signed-in / bare anonymous page (64)", f"{med('big_signed', 64, 'rps'):.0f} req/s",
        f"{statistics.median(_mean(g['bare'], 'rps') for g in seq(64)):.0f} req/s", anon,
        ">= 0.3", statistics.median(anon) >= 0.3,
    ))  # fmt: skip
    out.append(harness.Figure(
        "a3 page size, 50 comments, signed in", f"{sizes['big_signed'] / 1000:.1f} KB",
        f"{sizes['big'] / 1000:.1f} KB anonymous", [sizes["big_signed"] / sizes["big"]],
        "<= 60 KB", sizes["big_signed"] <= 60_000,
    ))  # fmt: skip
    for key, name in (("big", "a  section page"), ("big_walk", "a2 cursor walk"),
                      ("big_signed", "a3 signed in"), ("home", "c  home page")):  # fmt: skip
        for conns in (16, 64):
            p99s = [g[key][0].p99 for g in seq(conns)]
            base = [_mean(g[f"{key}:around"], "p99") for g in seq(conns)]
            judged = key in ("big", "big_walk", "big_signed") and conns == 16
            out.append(harness.Figure(
                f"{name} p50/p99 at {conns} conn.",
                f"{med(key, conns, 'p50'):.1f}/{statistics.median(p99s):.1f} ms",
                f"{around(key, conns, 'p50'):.1f}/{statistics.median(base):.1f} ms",
                [_div(a, b) for a, b in zip(p99s, base, strict=True)],
                "p99 < 50 ms" if judged else "-",
                statistics.median(p99s) < 50 if judged else None,
            ))  # fmt: skip
    for conns, attr, label in ((16, "mean", "mean latency"), (64, "rps", "req/s")):
        if attr == "mean":
            ratios = [_div(g["big"][0].mean, g["small"][0].mean) for g in seq(conns)]
        else:
            ratios = [_div(g["small"][0].rps, g["big"][0].rps) for g in seq(conns)]
        unit = "ms" if attr == "mean" else "req/s"
        judged = conns == 16
        out.append(harness.Figure(
            f"b  page time 100k / 1k ({label}, {conns})",
            f"{med('big', conns, attr):.1f} {unit}", f"{med('small', conns, attr):.1f} {unit}",
            ratios, "<= 1.2" if judged else "-",
            statistics.median(ratios) <= 1.2 if judged else None,
        ))  # fmt: skip
    return out


if __name__ == "__main__":
    raise SystemExit(main())
