"""Browser tests: the real app (uvicorn, one worker) on a fresh SQLite database with the demo
data, driven by Playwright through Debian's /usr/bin/chromium; axe-core from node_modules.

`make browser-deps` installs chromium and axe-core. Every test here is marked ``browser``.

The fixtures are package-scoped on purpose: Playwright's sync API keeps its own event loop
running in the main thread while it is open, which would make every async test that runs after
this package fail with "Runner.run() cannot be called from a running event loop".
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
DEMO_PASSWORD = "demo-password"
BLOCKING_IMPACTS = ("serious", "critical")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, url: str, var_dir: Path, proc: subprocess.Popen[bytes]) -> None:
        self.url = url
        self.var_dir = var_dir
        self.proc = proc

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    def mails(self) -> list[Path]:
        return sorted(self.mail_dir.glob("*.eml")) if self.mail_dir.exists() else []

    def mail_to(self, address: str, after: set[Path] | None = None) -> email.message.EmailMessage:
        """The newest message to ``address`` (written by the app in development mode)."""
        for path in reversed(self.mails()):
            if after is not None and path in after:
                continue
            msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address in str(msg["To"]):
                assert isinstance(msg, email.message.EmailMessage)
                return msg
        raise AssertionError(f"no mail to {address} in {self.mail_dir}")


def mail_text(msg: email.message.EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    assert part is not None
    return str(part.get_content())


def first_link(text: str, path_part: str) -> str:
    m = re.search(r"https?://\S*" + re.escape(path_part) + r"\S*", text)
    assert m, f"no link containing {path_part!r} in the mail:\n{text}"
    return m.group(0).rstrip(".,)>\"'")


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    var_dir = tmp_path_factory.mktemp("browser-var")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "ENV": "development",
        "DATABASE_URL": f"sqlite://{var_dir / 'browser.sqlite3'}",
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": "browser-tests-secret-key-0123456789-abcdef",
        "BASE_URL": url,
        "RUN_SCHEDULER": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name in ("REDIS_URL", "SMTP_URL", "BENCH_ENDPOINTS"):
        env.pop(name, None)
    py = sys.executable
    subprocess.run([py, str(Path(__file__).with_name("prepare_db.py"))], cwd=ROOT, env=env,
                   check=True)  # fmt: skip
    subprocess.run([str(Path(py).with_name("participation")), "seed-demo"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    log = (var_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [py, "-m", "uvicorn", "participation.app:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "the app did not start:\n" + (var_dir / "server.log").read_text()
                    ) from None
                time.sleep(0.1)
        yield LiveServer(url, var_dir, proc)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()
    errors = (var_dir / "server.log").read_text()
    assert "Traceback" not in errors, errors


@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


# Contexts made with JavaScript off, and each context's language (see axe_violations).
_SCRIPTS_OFF: weakref.WeakSet[BrowserContext] = weakref.WeakSet()
_LOCALES: weakref.WeakKeyDictionary[BrowserContext, str] = weakref.WeakKeyDictionary()


@pytest.fixture
def new_context(
    browser: Browser, live_server: LiveServer
) -> Iterator[Callable[..., BrowserContext]]:
    """``new_context(locale="fa", js=False)``: a fresh browser (no cookies) whose pages speak
    ``locale`` (the lang cookie the language switcher sets) with JavaScript on or off."""
    made: list[BrowserContext] = []

    def make(locale: str = "en", js: bool = True) -> BrowserContext:
        ctx = browser.new_context(
            base_url=live_server.url, java_script_enabled=js, locale=locale,
            viewport={"width": 1280, "height": 900},
        )  # fmt: skip
        ctx.add_cookies([{"name": "lang", "value": locale, "url": live_server.url}])
        ctx.set_default_timeout(10_000)
        _LOCALES[ctx] = locale
        if not js:
            _SCRIPTS_OFF.add(ctx)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page as it is now. ``evaluate`` runs
    through the DevTools protocol, so the site's CSP (no inline scripts) does not stop it.

    With JavaScript off, axe's promises never settle (its timers do not run) and the call
    would wait for ever: the same address is then checked in a twin browser with JavaScript
    on and the same cookies and language (our pages have no scripts, so it is the same page).
    """
    if page.context in _SCRIPTS_OFF:
        browser = page.context.browser
        assert browser is not None
        twin = browser.new_context(
            storage_state=page.context.storage_state(), locale=_LOCALES.get(page.context, "en"),
            viewport=page.viewport_size,
        )  # fmt: skip
        try:
            twin.set_default_timeout(10_000)
            twin_page = twin.new_page()
            twin_page.goto(page.url)
            return axe_violations(twin_page)
        finally:
            twin.close()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text())
    found = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in found if v["impact"] in BLOCKING_IMPACTS]


def assert_accessible(page: Page) -> None:
    bad = axe_violations(page)
    assert not bad, f"axe: serious/critical violations on {page.url}:\n" + "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in bad
    )


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
