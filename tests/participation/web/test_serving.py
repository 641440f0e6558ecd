"""`participation serve --workers 2`: one listening socket per worker (SO_REUSEPORT) under a
small supervisor that replaces a worker that dies and stops them all on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).with_name("participation"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    """The web worker processes of the supervisor ``pid`` (not multiprocessing's tracker)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    kids = {int(x) for x in path.read_text().split()} if path.exists() else set()
    out = set()
    for kid in kids:
        try:
            if b"spawn_main" in Path(f"/proc/{kid}/cmdline").read_bytes():
                out.add(kid)
        except OSError:  # exited meanwhile
            pass
    return out


def _wait_for(check: Callable[[], bool], seconds: float = 60) -> bool:
    """Polls ``check`` until it holds or ``seconds`` pass (a bound, not a timing)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return bool(r.status == 200)
    except OSError:
        return False


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ, "VAR_DIR": str(tmp_path), "RUN_SCHEDULER": "0",
        "DATABASE_URL": f"sqlite://{tmp_path / 'serve.sqlite3'}", "REDIS_URL": "",
    }  # fmt: skip


@pytest.fixture
def server(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A supervisor with its two workers up; (its process, the /healthz address)."""
    port = _free_port()
    proc = subprocess.Popen(
        [CLI, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--migrate"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        assert _wait_for(lambda: _answers(url) and len(_children(proc.pid)) == 2), "not started"
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


def test_two_workers_serve_and_a_dead_worker_is_replaced(
    server: tuple[subprocess.Popen[bytes], str],
) -> None:
    proc, url = server
    first = _children(proc.pid)
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    assert _wait_for(lambda: len(_children(proc.pid) - first) == 1), "no worker replaced it"
    assert _wait_for(lambda: all(_answers(url) for _ in range(20)))
    assert victim not in _children(proc.pid)

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    assert not _answers(url)


def test_workers_do_not_outlive_a_killed_supervisor(
    server: tuple[subprocess.Popen[bytes], str],
) -> None:
    proc, url = server
    workers = _children(proc.pid)
    proc.kill()  # SIGKILL: the supervisor cannot pass anything on
    proc.wait()
    assert _wait_for(lambda: not any(Path(f"/proc/{w}").exists() for w in workers))
    assert not _answers(url)


def test_a_port_in_use_fails_at_once_with_a_clear_error(env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [CLI, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env=env, capture_output=True, timeout=60,
        )  # fmt: skip
    assert done.returncode != 0
    assert b"Address already in use" in done.stderr
