"""Real processes for the reliability tests, each on its own free port: a PostgreSQL database of
the test's own, a ``redis-server``, ``participation serve --workers 2``, ``participation worker``
and an SMTP sink that can hold a mail unanswered (to kill a worker in the middle of a send).

Everything started here is stopped by ``Stack.close()`` (the fixture calls it on success and on
failure alike); the database is dropped afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import inspect
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
SECRET = "reliability-secret-key-that-is-long-enough-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> float:
    """Poll ``check`` until it holds; fail after ``seconds`` (a bound, not a timing). Returns
    how long it took."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - start


async def await_for(
    check: Callable[[], Awaitable[bool] | bool], seconds: float, what: str
) -> float:
    """``wait_for`` in the event loop; ``check`` may be a coroutine function."""
    start = time.monotonic()

    async def holds() -> bool:
        result = check()
        return bool(await result) if inspect.isawaitable(result) else bool(result)

    while not await holds():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        await asyncio.sleep(0.1)
    return time.monotonic() - start


def pg_dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def create_database(admin_url: str, template: str | None = None) -> str:
    """A fresh database ``reliability_<random>`` next to the test database (a copy of the
    database ``template`` if given); its URL."""
    name = f"reliability_{secrets.token_hex(6)}"
    conn = await asyncpg.connect(pg_dsn(admin_url), timeout=10)
    try:
        copy = f' TEMPLATE "{urlsplit(template).path.lstrip("/")}"' if template else ""
        await conn.execute(f'CREATE DATABASE "{name}"{copy}')
    finally:
        await conn.close()
    return with_database(admin_url, name)


def migrate(database_url: str, var_dir: Path) -> None:
    """``participation migrate`` on ``database_url``."""
    env = {**os.environ, "PYTHONPATH": _pythonpath(), "SECRET_KEY": SECRET,
           "DATABASE_URL": database_url, "VAR_DIR": str(var_dir), "REDIS_URL": ""}  # fmt: skip
    done = subprocess.run(_cli("migrate"), env=env, cwd=ROOT, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()


async def drop_database(admin_url: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    assert name.startswith("reliability_")
    conn = await asyncpg.connect(pg_dsn(admin_url), timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _die_with_parent() -> Callable[[], None] | None:
    """Linux: the kernel sends the child SIGKILL when the test process dies (even by SIGKILL
    or a timeout), so nothing started here outlives the run. Prepared in the parent: the child
    only makes one system call between fork and exec."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def set_death_signal() -> None:
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    return set_death_signal


_PREEXEC = _die_with_parent()


class Process:
    """A child process whose output goes to a log file (read by the assertions)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.args, self.env, self.log = name, args, env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.args, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, preexec_fn=_PREEXEC,
            )  # fmt: skip
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything."""
        if self.alive():
            assert self.proc is not None
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait()

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM, then SIGKILL if it does not exit in ``timeout`` seconds."""
        if self.proc is None:
            return None
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait()


def _pythonpath() -> str:
    """This tree first: the processes run the code under test."""
    return os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "participation.cli", *args]


class Inbox:
    """An SMTP sink. ``hold_after(n)``: the (n+1)th mail is left unanswered (the sender waits
    for the server's reply) until ``release()``, and then refused, so it was never accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted: list[tuple[str, str, str]] = []  # (recipient, subject, plain text)
        self._hold_after: int | None = None
        self.holding = threading.Event()
        self.released = threading.Event()

    def hold_after(self, n: int) -> None:
        self._hold_after = n

    def release(self) -> None:
        self.released.set()

    def count(self) -> int:
        with self.lock:
            return len(self.accepted)

    def to(self) -> list[str]:
        with self.lock:
            return [r for r, _, _ in self.accepted]

    def mails(self) -> list[tuple[str, str, str]]:
        with self.lock:
            return list(self.accepted)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            hold = (
                self._hold_after is not None
                and len(self.accepted) >= self._hold_after
                and not self.released.is_set()
            )
        if hold:
            self.holding.set()
            await asyncio.to_thread(self.released.wait, 300)
            return "451 4.3.0 Try again later"
        msg = message_from_bytes(envelope.content, policy=policy.default)
        body = msg.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
        text = body.get_content() if body is not None else ""
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.accepted.append((rcpt.lower(), str(msg["Subject"]), text))
        return "250 OK"


@dataclass
class Stack:
    """The platform as deployed: PostgreSQL, Redis, two web processes, a job worker, SMTP."""

    database_url: str
    tmp: Path
    inbox: Inbox = field(default_factory=Inbox)
    redis_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    smtp_port: int = field(default_factory=free_port)
    redis: Process | None = None
    web: Process | None = None
    workers: list[Process] = field(default_factory=list)
    smtp: Controller | None = None

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ, "PYTHONPATH": _pythonpath(), "ENV": "development", "SECRET_KEY": SECRET,
            "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url,
            "VAR_DIR": str(self.tmp / "var"), "SMTP_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "BASE_URL": self.base_url, "RUN_SCHEDULER": "0", "DB_POOL_SIZE": "8",
            "READ_CACHE_SECONDS": "0",
        }  # fmt: skip

    # ---- pieces --------------------------------------------------------------------------

    def start_smtp(self) -> None:
        self.smtp = Controller(self.inbox, hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()

    def start_redis(self) -> None:
        path = shutil.which("redis-server")
        assert path, "redis-server is not installed (apt-get install redis-server)"
        args = [path, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.tmp)]  # fmt: skip
        self.redis = Process("redis", args, self.env(), self.tmp / "redis.log").start()
        wait_for(self.redis_answers, 30, "redis-server answering")

    def stop_redis(self) -> None:
        assert self.redis is not None
        self.redis.kill()

    def redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start_web(self, wait: bool = True) -> None:
        args = _cli("serve", "--host", "127.0.0.1", "--port", str(self.web_port), "--workers", "2")
        self.web = Process("web", args, self.env(), self.tmp / "web.log").start()
        if wait:
            self.wait_for_web()

    def wait_for_web(self) -> None:
        wait_for(lambda: self._web_workers() == 2 and self.ready(), 120, "web with two workers")

    def _web_workers(self) -> int:
        assert self.web is not None
        if not self.web.alive():
            raise AssertionError("web supervisor exited:\n" + self.web.output()[-3000:])
        path = Path(f"/proc/{self.web.pid}/task/{self.web.pid}/children")
        kids = path.read_text().split() if path.exists() else []
        n = 0
        for kid in kids:
            with contextlib.suppress(OSError):
                n += b"spawn_main" in Path(f"/proc/{kid}/cmdline").read_bytes()
        return n

    def readyz(self) -> tuple[int, dict[str, Any]]:
        try:
            r = httpx.get(self.base_url + "/readyz", timeout=10)
        except httpx.HTTPError:
            return 0, {}
        return r.status_code, r.json()

    def ready(self) -> bool:
        return self.readyz()[0] == 200

    def start_worker(self) -> Process:
        n = len(self.workers)
        worker = Process(f"worker{n}", _cli("worker"), self.env(), self.tmp / f"worker{n}.log")
        self.workers.append(worker.start())
        return worker

    def close(self) -> None:
        for w in self.workers:
            w.stop(timeout=10)
        if self.web is not None:
            self.web.stop(timeout=30)
        if self.redis is not None:
            self.redis.kill()
        if self.smtp is not None:
            self.inbox.release()
            self.smtp.stop()

    def logs(self) -> str:
        parts = []
        for p in [self.web, *self.workers]:
            if p is not None:
                parts.append(f"---- {p.name} ----\n{p.output()[-4000:]}")
        return "\n".join(parts)


# ---- the load: browsers over HTTP ------------------------------------------------------------

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """One person's browser: its own cookies and CSRF token. A connection per request: a
    browser sends a request again when the server closed its idle keep-alive connection at
    that moment, httpx reports it (ReadError) instead, and that race is not what is tested."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.AsyncClient(
            base_url=base_url, timeout=60, follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )  # fmt: skip
        self.token = ""

    async def open(self, page: str = "/") -> None:
        r = await self.client.get(page)
        m = _TOKEN.search(r.text)
        assert m, f"no CSRF token on {page} ({r.status_code})"
        self.token = m.group(1)

    async def post(self, url: str, data: dict[str, object]) -> httpx.Response:
        return await self.client.post(url, data={"csrf_token": self.token, **data})  # type: ignore[arg-type]

    async def login(self, email: str, password: str) -> None:
        await self.open()
        r = await self.post("/account/login", {"email": email, "password": password})
        assert r.status_code == 303, (r.status_code, r.text[:300])
        await self.open()  # the token may change with the session

    async def close(self) -> None:
        await self.client.aclose()


@dataclass
class Outcome:
    """What one write got back."""

    kind: str  # "sign" | "comment"
    key: str  # the e-mail signed with, or the comment's text
    status: int  # 0: no answer (connection failed)
    location: str = ""  # or, without an answer, the error
    at: float = 0.0  # monotonic time of the answer

    @property
    def accepted(self) -> bool:
        return self.status == 303 and ("signed=" in self.location or "#comment-" in self.location)

    @property
    def server_error(self) -> bool:
        return self.status >= 500


async def sign(
    browser: Browser, petition_id: int, email: str, ip: str, name: str = "Sam Signer",
    user_agent: str | None = None,
) -> Outcome:  # fmt: skip
    """Sign from the network address ``ip`` (passed on as a proxy would)."""
    headers = {"X-Forwarded-For": ip}
    if user_agent:
        headers["User-Agent"] = user_agent
    try:
        r = await browser.client.post(f"/petitions/{petition_id}/sign", data={
            "csrf_token": browser.token, "name": name, "email": email, "region": "fars",
            "eligible": "1", "opt_in": "1",
        }, headers=headers)  # fmt: skip
    except httpx.HTTPError as exc:
        return Outcome("sign", email, 0, repr(exc), at=time.monotonic())
    return Outcome("sign", email, r.status_code, r.headers.get("location", ""), time.monotonic())


async def comment(browser: Browser, target_type: str, target_id: int, text: str) -> Outcome:
    try:
        r = await browser.post("/comments/post", {
            "target_type": target_type, "target_id": target_id, "text": text, "stance": "for",
        })  # fmt: skip
    except httpx.HTTPError as exc:
        return Outcome("comment", text, 0, repr(exc), at=time.monotonic())
    return Outcome("comment", text, r.status_code, r.headers.get("location", ""), time.monotonic())


async def run_bounded(
    calls: list[Callable[[], Awaitable[Outcome]]],
    concurrency: int,
    on_done: Callable[[int], Awaitable[None]] | None = None,
) -> list[Outcome]:
    """Run ``calls`` with at most ``concurrency`` in flight; ``on_done(n)`` after the n-th
    answer (where a test injects its fault)."""
    results: list[Outcome] = []
    queue = iter(calls)
    lock = asyncio.Lock()

    async def lane() -> None:
        while True:
            async with lock:
                call = next(queue, None)
            if call is None:
                return
            outcome = await call()
            results.append(outcome)
            if on_done is not None:
                await on_done(len(results))

    await asyncio.gather(*(lane() for _ in range(concurrency)))
    return results


def chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]
