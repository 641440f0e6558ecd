"""`python -m bench.integrity`: the integrity figures of issue 10.

1. Grouping 100,000 comments (en/fa/fr, a dozen planted campaigns): ``participation integrity
   comments FILE`` in a child process; wall time and the child's peak RSS. Goal < 30 s, < 500 MB.
2. Checking one new comment against the index of those 100,000 (``CommentIndex.add``):
   p50 and p99 over 1,000 new comments (copies and people's own). Goal < 20 ms.
3. Signature rules over 1,000,000 rows: ``participation integrity signatures FILE`` in a child
   process; wall time, the child's CPU time and peak RSS. Goal < 60 s. 3b: the same over the
   held-out signature set (``heldout_signatures``: other crowds, rhythms and wave styles; set
   BENCH_HELDOUT_SIGNATURES=0 to skip it).

The planted sets' recall and organic false positives are printed too, and for comments also
those of the held-out set (``heldout_comments``: other letters, drafts and variations, never
tuned on). Set BENCH_COMMENTS / BENCH_SIGNATURES to change the sizes (0 skips a part:
``BENCH_COMMENTS=0`` runs only the signatures),
BENCH_DIR to keep the files. The load average is printed before and after: the machine is
shared, and wall times grow with it (part 2 gives CPU times too).
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from participation.integrity.neardup import CommentIndex
from tests.participation.integrity.heldout_comments import heldout_comments
from tests.participation.integrity.heldout_signatures import heldout_signatures
from tests.participation.integrity.planted import (
    LETTERS,
    campaign_copy,
    draft,
    organic_comment,
    planted_comments,
    planted_signatures,
    score_comments,
    score_signatures,
)

N_COMMENTS = int(os.environ.get("BENCH_COMMENTS", "100000"))
N_SIGNATURES = int(os.environ.get("BENCH_SIGNATURES", "1000000"))
HELDOUT_SIGNATURES = os.environ.get("BENCH_HELDOUT_SIGNATURES", "1") != "0"


def _child(kind: str, path: Path) -> tuple[dict, float, float]:  # type: ignore[type-arg]
    """Run the command in a child process: (its JSON, seconds, peak RSS in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "participation.cli", "integrity", kind, str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return json.loads(out.stdout), seconds, max(peak, before) / 1024


def _write(path: Path, rows: list[dict]) -> None:  # type: ignore[type-arg]
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main() -> None:
    workdir = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="bench-integrity-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results: list[tuple[str, float, float]] = []

    print(f"load average {os.getloadavg()}", flush=True)
    if N_COMMENTS:
        _comments(workdir, results)
    if N_SIGNATURES:
        _signatures(workdir, results)
    print(f"load average {os.getloadavg()}")
    print()
    print(f"{'figure':32} {'value':>10} {'goal':>8}  result")
    for name, value, goal in results:
        print(f"{name:32} {value:10.2f} {goal:8.0f}  {'pass' if value < goal else 'FAIL'}")


def _comments(workdir: Path, results: list[tuple[str, float, float]]) -> None:
    print(f"generating {N_COMMENTS:,} comments ...", flush=True)
    planted = planted_comments(N_COMMENTS, seed=2026)
    path = workdir / "comments.jsonl"
    _write(path, planted.rows)
    out, seconds, rss = _child("comments", path)
    score = score_comments(planted, out["groups"])
    print(f"1. grouping {N_COMMENTS:,} comments: {seconds:.1f} s, peak RSS {rss:.0f} MB")
    print(f"   {score.line()}")
    results.append(("group 100k comments (s)", seconds, 30.0))
    results.append(("group 100k comments (MB)", rss, 500.0))

    held = heldout_comments(N_COMMENTS, seed=2027)
    path = workdir / "heldout.jsonl"
    _write(path, held.rows)
    out, seconds, rss = _child("comments", path)
    print(f"1b. held-out set of {N_COMMENTS:,}: {seconds:.1f} s, peak RSS {rss:.0f} MB")
    print(f"   {score_comments(held, out['groups']).line()}")
    del held

    index = CommentIndex.build((r["id"], r["text"]) for r in planted.rows)
    rng = random.Random(7)
    times: list[float] = []
    cpu: list[float] = []
    for i in range(1000):
        if i % 2:
            lang, letters = rng.choice(list(LETTERS.items()))
            text = campaign_copy(rng.choice(letters), lang, "mixed", rng)
        else:
            lang = rng.choice(["en", "fa", "fr"])
            text, _ = organic_comment(lang, rng, draft(lang, 2026), [])
        t0, c0 = time.perf_counter(), time.process_time()
        index.add(f"new{i}", text)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    cpu.sort()
    p50, p99 = times[len(times) // 2], times[int(len(times) * 0.99)]
    print(f"2. one new comment against the index of {len(index):,}: p50 {p50:.2f} ms, "
          f"p99 {p99:.2f} ms (CPU p50 {cpu[len(cpu) // 2]:.2f} ms, "
          f"p99 {cpu[int(len(cpu) * 0.99)]:.2f} ms)")  # fmt: skip
    results.append(("check one comment p99 (ms)", p99, 20.0))


def _signature_child(path: Path) -> tuple[dict, float, float, float]:  # type: ignore[type-arg]
    """``participation integrity signatures FILE`` in a child process: (its JSON, wall
    seconds, CPU seconds, peak RSS in MB), the child's own figures (wait4, /proc VmHWM)."""
    out_path, err_path = path.with_suffix(".out.json"), path.with_suffix(".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        t0 = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "participation.cli", "integrity", "signatures", str(path)],
            stdout=out, stderr=err,
        )  # fmt: skip
        peak_kb = 0  # VmHWM of the child's own memory: ru_maxrss would count this big
        # process's pages, which Linux carries into a forked child's high-water mark
        status_file = Path(f"/proc/{child.pid}/status")
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            try:
                for line in status_file.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        seconds = time.perf_counter() - t0
    if status:
        raise SystemExit(f"signatures command failed: {err_path.read_text()}")
    cpu = usage.ru_utime + usage.ru_stime
    return json.loads(out_path.read_bytes()), seconds, cpu, (peak_kb or usage.ru_maxrss) / 1024


def _signatures(workdir: Path, results: list[tuple[str, float, float]]) -> None:
    days = 10
    for label, make in (
        ("3.", lambda: planted_signatures(days=days, per_day=int(N_SIGNATURES / days * 0.97),
                                          seed=2026, wave_size=max(150, N_SIGNATURES // 2000))),
        ("3b. held-out set:", lambda: heldout_signatures(days=days, seed=2027,
                                                         per_day=int(N_SIGNATURES / days * 0.93),
                                                         wave_size=max(160, N_SIGNATURES // 2000))),
    ):  # fmt: skip
        if label.startswith("3b") and not HELDOUT_SIGNATURES:
            continue
        print(f"generating {N_SIGNATURES:,} signatures ({label}) ...", flush=True)
        sigs = make()
        path = workdir / ("signatures.jsonl" if label == "3." else "heldout-signatures.jsonl")
        _write(path, sigs.rows)
        load = os.getloadavg()[0]
        out, seconds, cpu, rss = _signature_child(path)
        print(f"{label} signature rules over {len(sigs.rows):,} rows: {seconds:.1f} s "
              f"(CPU {cpu:.1f} s, load {load:.1f} before), peak RSS {rss:.0f} MB")  # fmt: skip
        print(f"   {score_signatures(sigs, out['flagged']).line()}")
        if label == "3.":
            results.append(("signature rules 1M rows (s)", seconds, 60.0))
            results.append(("signature rules 1M rows CPU (s)", cpu, 60.0))
        del sigs


if __name__ == "__main__":
    main()
