"""XSS and template injection: the public payloads of ``xss_payloads.txt`` are typed into every
text field (through the app's own forms: comments, replies, a refused comment kept as a draft,
petitions, names, the profile, paper submissions, questionnaire answers, moderation and
official reasons, bodies, officials' texts), and every page that shows them is opened in
headless Chromium (Debian's, through Playwright) by the people who see them.

With the Content-Security-Policy switched off in the browser (``bypass_csp``: escaping must
hold on its own), on each page:

- nothing executes: no dialog; ``alert``/``confirm``/``prompt``/``print`` are replaced by a
  hook that logs a marker on the console; no page error; the page stays where it is;
- nothing loads from outside the app (every request leaving 127.0.0.1 is recorded, refused);
- nothing of a payload became markup that could run: no element with an ``on*`` attribute,
  no ``javascript:``/``data:``/``vbscript:`` address, no script but the app's own, no frame,
  object, embed, base, meta refresh or style element;
- no template was evaluated: where ``{{7*7}}`` was written the page does not say ``49``.

Long fields carry every payload (grouped, so a page shows many); fields of a line (names,
titles) carry a sample spread over every category. Pages are loaded a bounded number of times.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn
from playwright.async_api import Browser, Page, async_playwright
from starlette.applications import Starlette

from consultations.models import Question, QuestionKind
from participation.accounts.models import User
from participation.caching import clear_all
from participation.comments.models import Comment
from participation.sanitize import sanitize_comment, text_hash
from petitions.models import Petition
from petitions.models import Status as PetitionStatus
from tests.factories import make_consultation, make_user
from tests.security.world import World

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
MARK = "XSS-EXECUTED"


def load_payloads() -> list[str]:
    text = (Path(__file__).with_name("xss_payloads.txt")).read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line and not line.startswith("# ")]


PAYLOADS = load_payloads()
SAMPLE = PAYLOADS[::7]  # for one-line fields: every category, a seventh of the corpus
TEMPLATE = re.compile(r"\{\{|\{%|\$\{|#\{|<%|\[\[|@\(|\*\{|<#")


def marked(i: int, payload: str) -> str:
    """A template payload between markers, so that what the page shows there can be read."""
    return f"SSTI{i}:{payload}:SSTI{i}" if TEMPLATE.search(payload) else payload


MARKED = [marked(i, p) for i, p in enumerate(PAYLOADS)]


def chunks(items: list[str], limit: int, sep: str = "\n") -> list[str]:
    """The items joined in order into texts of at most ``limit`` characters."""
    out: list[str] = []
    current = ""
    for item in items:
        item = item[:limit]
        if current and len(current) + len(sep) + len(item) > limit:
            out.append(current)
            current = ""
        current = f"{current}{sep}{item}" if current else item
    if current:
        out.append(current)
    return out


# ---- the app served, and a browser ------------------------------------------------------------


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def served(module_app: Starlette) -> AsyncIterator[str]:
    """The module's app on a real socket (uvicorn in this event loop), for Chromium."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(module_app, lifespan="off", log_level="warning", access_log=False)
    server = _Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    await server.ready.wait()
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task
    sock.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


HOOKS = """
(() => {
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = function () { console.log('MARK ' + name + ' ' + [...arguments].join(',')); };
  }
})();
""".replace("MARK", MARK)

AUDIT = """
() => {
  const bad = [];
  const own = location.origin;
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background',
                    'poster', 'srcdoc', 'lowsrc', 'dynsrc', 'ping', 'srcset', 'cite', 'codebase'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\\u0000-\\u0020]+/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(`<${tag} ${name}>`);
      if (urlAttrs.includes(name) && /^(javascript|vbscript|data):/.test(value))
        bad.push(`<${tag} ${name}="${a.value.slice(0, 40)}">`);
    }
    if (tag === 'script' && !(el.src && el.src.startsWith(own + '/static/')))
      bad.push('<script> not of the app');
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal'].includes(tag))
      bad.push(`<${tag}>`);
    if (tag === 'meta' && el.httpEquiv) bad.push(`<meta http-equiv=${el.httpEquiv}>`);
    if (tag === 'style' || (tag === 'link' && !el.href.startsWith(own))) bad.push(`<${tag}>`);
  }
  return {bad, text: document.body ? document.body.innerText : ''};
}
"""


@dataclass
class Probe:
    """Opens pages as a person and lists what went wrong on them."""

    base: str
    browser: Browser
    world: World
    problems: list[str] = field(default_factory=list)
    loads: int = 0

    async def visit(self, role: str, path: str) -> str:
        """Open ``path`` as ``role``; returns the page's text."""
        ctx = await self.browser.new_context(bypass_csp=True, base_url=self.base)
        cookies = [{"name": c.name, "value": c.value, "url": self.base}
                   for c in self.world.clients[role].cookies.jar]  # fmt: skip
        if cookies:
            await ctx.add_cookies(cookies)  # type: ignore[arg-type]
        await ctx.add_init_script(HOOKS)
        page = await ctx.new_page()
        where = f"{path} as {role}"
        found: list[str] = []

        async def route(r: Any) -> None:
            if r.request.url.startswith(self.base + "/"):
                await r.continue_()
            else:
                found.append(f"loads {r.request.url[:80]}")
                await r.abort()

        await page.route("**/*", route)
        page.on("dialog", lambda d: (found.append(f"dialog {d.message!r}"),
                                     asyncio.ensure_future(d.dismiss())))  # fmt: skip
        page.on("console", lambda m: found.append(m.text[:120]) if MARK in m.text else None)
        page.on("pageerror", lambda e: found.append(f"page error {str(e)[:120]}"))
        try:
            response = await page.goto(self.base + path, wait_until="load")
            assert response is not None and response.status == 200, (
                f"{where}: {response and response.status}"
            )
            await _settled(page)
            result = await page.evaluate(AUDIT)
            if page.url.split("#")[0] != (self.base + path).split("#")[0]:
                found.append(f"navigated to {page.url[:80]}")
        finally:
            await ctx.close()
        self.loads += 1
        found += result["bad"]
        text: str = result["text"]
        found += _evaluated_templates(text)
        self.problems += [f"{where}: {f}" for f in dict.fromkeys(found)]
        return text


async def _settled(page: Page) -> None:
    """Two animation frames after load: handlers fired by the load (autofocus, errors of
    images) have run."""
    await page.evaluate(
        "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )


def _evaluated_templates(text: str) -> list[str]:
    out = []
    for m in re.finditer(r"SSTI(\d+):", text):
        i = int(m.group(1))
        end = text.find(f":SSTI{i}", m.end())
        shown = text[m.end() : end if end != -1 else m.end() + 200]
        if "49" in shown and "49" not in PAYLOADS[i]:
            out.append(f"template evaluated: {PAYLOADS[i]!r} shows {shown[:60]!r}")
    return out


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def probe(world: World, served: str, chromium: Browser) -> Probe:
    return Probe(served, chromium, world)


# ---- typing into the fields ---------------------------------------------------------------------

WRITERS = ("citizen", "author", "official", "other_official", "moderator", "other_moderator",
           "global_moderator", "admin")  # fmt: skip


async def post(world: World, role: str, path: str, data: dict[str, Any], files: Any = None,
               ok: tuple[int, ...] = (303,)) -> httpx.Response:  # fmt: skip
    r = await world.clients[role].post(path, data={"csrf_token": world.tokens[role], **data},
                                       files=files)  # fmt: skip
    if r.status_code not in ok:
        errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', r.text)
        raise AssertionError(f"{path} as {role}: {r.status_code} {errors or r.text[:300]}")
    await world.refresh_token(role)
    return r


def _stored(count_before: int, count_after: int, wanted: int, what: str) -> None:
    assert count_after - count_before >= wanted, (
        f"{what}: {count_after - count_before} of {wanted} stored"
    )


async def test_comments_replies_drafts_and_paper(world: World, probe: Probe) -> None:
    c = await make_consultation(world.a, status="open", sections=1, title="Comments")
    section = await c.sections.all().first()  # type: ignore[attr-defined]
    base = f"/consultations/{c.slug}/sections/1"
    texts = chunks(MARKED, 5000)
    before = await Comment.filter(target_type="section", target_id=section.id).count()
    for n, text in enumerate(texts):
        await post(world, WRITERS[n % len(WRITERS)], "/comments/post", {
            "target_type": "section", "target_id": section.id, "text": text})  # fmt: skip
    first = await Comment.filter(target_id=section.id).order_by("id").first()
    assert first is not None
    for text in texts:  # replies under the first comment, by its author
        await post(world, WRITERS[0], "/comments/reply", {
            "target_type": "section", "target_id": section.id, "text": text,
            "parent_id": first.id})  # fmt: skip
    await post(world, WRITERS[0], f"/comments/{first.id}/edit", {"text": texts[-1]})
    # a refused comment (no such stance): the text is kept as a draft, shown in its form
    await post(world, "author", "/comments/post", {
        "target_type": "section", "target_id": section.id, "text": chunks(MARKED, 1000)[0],
        "stance": "sideways"})  # fmt: skip
    # what arrived on paper, entered by an official: its text and the author's name
    letters = chunks(MARKED, 5000)
    for n, name in enumerate(SAMPLE):
        await post(world, "official", f"/consultations/{c.slug}/paper", {
            "body_id": world.a.id, "channel": "post", "received_at": "2024-01-02T10:00",
            "text": letters[n] if n < len(letters) else "A letter.", "author_name": name[:100],
        }, ok=(303, 400))  # fmt: skip
    _stored(before, await Comment.filter(target_type="section", target_id=section.id).count(),
            2 * len(texts), "comments and replies")  # fmt: skip
    _stored(0, await Comment.filter(target_type="consultation", target_id=c.id).count(),
            len(SAMPLE), "paper submissions")  # fmt: skip
    for role in ("anonymous", "citizen", "author", "global_moderator"):
        await probe.visit(role, base)
    await probe.visit("anonymous", base + "?sort=oldest")
    await probe.visit("anonymous", f"/comments/{first.id}/history")
    await probe.visit("citizen", f"/consultations/{c.slug}")
    assert not probe.problems, "\n".join(probe.problems)


async def test_names_and_profile(world: World, probe: Probe) -> None:
    c = await make_consultation(world.a, status="open", sections=1, title="Names")
    section = await c.sections.all().first()  # type: ignore[attr-defined]
    # the people of the world rename themselves through their profile form (a name the
    # form refuses is not stored: nothing to show)
    for n, role in enumerate(WRITERS):
        await post(world, role, "/account/profile", {
            "display_name": SAMPLE[n][:100], "region": SAMPLE[-n - 1][:100], "locale": "en"},
            ok=(303, 400))  # fmt: skip
        await post(world, role, "/comments/post", {
            "target_type": "section", "target_id": section.id, "text": "Hello"})  # fmt: skip
    # and others, named with the rest of the sample, comment too
    for name in SAMPLE[len(WRITERS) :]:
        u = await make_user(name=name[:100])
        await Comment.create(target_type="section", target_id=section.id, author_id=u.id,
                             body_raw="Hello", body_html=sanitize_comment("Hello"),
                             created_at=datetime.now(UTC), text_hash=text_hash("Hello"))  # fmt: skip
    names = await User.filter(display_name__in=[s[:100] for s in SAMPLE]).count()
    assert names >= len(SAMPLE) * 0.9, f"only {names} of {len(SAMPLE)} names stored"
    for role in WRITERS[:4]:
        await probe.visit(role, "/account/profile")
    await probe.visit("anonymous", f"/consultations/{c.slug}/sections/1")
    await probe.visit("admin", f"/admin/bodies/{world.a.slug}/members")
    await probe.visit("admin", "/admin/?q=example.org")
    await probe.visit("anonymous", "/audit/")
    assert not probe.problems, "\n".join(probe.problems)


async def test_petitions_and_their_rejection(world: World, probe: Probe) -> None:
    # every payload in the details; a sample in the shorter action and background
    actions, backgrounds = chunks(SAMPLE, 500), chunks(SAMPLE, 1000)
    details = chunks(MARKED, 5000)
    titles = [t[:80].ljust(10, ".") for t in SAMPLE]
    count = max(len(actions), len(titles))
    last = await Petition.all().order_by("-id").first()
    for n in range(count):
        await post(world, "citizen", "/petitions/new", {
            "body_id": world.a.id, "title": titles[n % len(titles)],
            "action": actions[n % len(actions)].ljust(10, "."),
            "background": backgrounds[n % len(backgrounds)], "details": details[n % len(details)],
            "language": "en", "region": "tehran", "step": "submit"}, ok=(303, 400))  # fmt: skip
    made = await Petition.filter(id__gt=last.id if last else 0).order_by("id")
    assert len(made) >= count * 0.9, f"only {len(made)} of {count} petitions stored"
    # opened as if sponsored and published; the last ones rejected with a reason
    rejects = chunks(MARKED, 2000)
    opened = made[: -len(rejects)]
    await Petition.filter(id__in=[p.id for p in opened]).update(
        status=PetitionStatus.OPEN, opened_at=datetime.now(UTC),
        closes_at=datetime.now(UTC) + timedelta(days=30))  # fmt: skip
    await Petition.filter(id__in=[p.id for p in made[-len(rejects) :]]).update(
        status=PetitionStatus.MODERATION, submitted_at=datetime.now(UTC))  # fmt: skip
    clear_all()  # the signing path keeps petitions in a memo, not emptied by these updates
    await probe.visit("global_moderator", "/petitions/moderation")
    for p, text in zip(made[-len(rejects) :], rejects, strict=True):
        await post(world, "global_moderator", f"/petitions/{p.id}/moderate", {
            "decision": "reject", "reason": "unclear", "text": text.ljust(10, ".")},
            ok=(303, 400))  # fmt: skip
    await probe.visit("anonymous", "/petitions/?sort=newest")
    await probe.visit("anonymous", "/petitions/?sort=newest&status=rejected")
    await probe.visit("anonymous", "/")
    for p in opened[: max(len(actions), len(backgrounds), len(details))]:
        await probe.visit("anonymous", f"/petitions/{p.id}")
    rejected = await Petition.filter(id__in=[p.id for p in made], status=PetitionStatus.REJECTED)
    assert len(rejected) >= len(rejects) * 0.9, f"{len(rejected)} of {len(rejects)} rejected"
    for p in rejected:
        await probe.visit("anonymous", f"/petitions/{p.id}")
    await probe.visit("citizen", f"/petitions/{opened[0].id}")
    assert not probe.problems, "\n".join(probe.problems)


async def test_moderation_and_official_reasons(world: World, probe: Probe) -> None:
    c = await make_consultation(world.a, status="open", sections=1, title="Reasons")
    section = await c.sections.all().first()  # type: ignore[attr-defined]
    notes = chunks(MARKED, 500)
    someone = await make_user()
    for n, note in enumerate(notes):  # flagged, then hidden with a note for the audit log
        comment = await Comment.create(
            target_type="section", target_id=section.id, author_id=someone.id,
            body_raw=f"Flag me {n}", body_html=f"<p>Flag me {n}</p>",
            created_at=datetime.now(UTC), text_hash=text_hash(f"Flag me {n}"))  # fmt: skip
        await post(world, WRITERS[n % len(WRITERS)], f"/comments/{comment.id}/flag",
                   {"reason": "other", "note": note})  # fmt: skip
        if n % 2:
            await post(
                world,
                "global_moderator",
                "/moderation/hide",
                {
                    "target_type": "comment",
                    "target_id": comment.id,
                    "reason": "offensive",
                    "note": note,
                },
                ok=(303, 409),
            )  # fmt: skip (409: hidden already by the flags)
    await probe.visit("global_moderator", "/moderation/")
    await probe.visit("anonymous", f"/consultations/{c.slug}/sections/1")
    for note in chunks(MARKED, 500):  # block lists
        await post(world, "global_moderator", "/petitions/moderation/blocked", {
            "kind": "domain", "value": f"spam{abs(hash(note)) % 10**9}.example", "reason": note})  # fmt: skip
    await probe.visit("global_moderator", "/petitions/moderation/blocked")
    petition = world.names["petition"]["id"]
    for n, reason in enumerate(chunks(MARKED, 1000)):  # signatures removed from a count
        await post(world, "global_moderator", f"/petitions/{petition}/invalidate", {
            "reason": reason.ljust(5, "."), "domain": f"bots{n}.example"})  # fmt: skip
    await probe.visit("global_moderator", f"/petitions/{petition}/signatures")
    closes = datetime.now(UTC) + timedelta(days=30)
    for n, reason in enumerate(chunks(MARKED, 1000)):  # closing dates moved, with a reason
        when = (closes + timedelta(days=n)).strftime("%Y-%m-%dT%H:%M")
        await post(world, "official", f"/consultations/{c.slug}/dates", {
            "action": "extend", "closes_at": when, "reason": reason.ljust(5, ".")})  # fmt: skip
    await probe.visit("anonymous", f"/consultations/{c.slug}")
    assert not probe.problems, "\n".join(probe.problems)


async def test_questionnaire_answers(world: World, probe: Probe) -> None:
    c = await make_consultation(world.a, status="open", sections=1, title="Answers")
    q = await Question.create(consultation=c, position=1, kind=QuestionKind.TEXT,
                              i18n={"en": {"text": "Why?"}}, original_locale="en")  # fmt: skip
    answers = chunks(MARKED, 5000)
    for n, text in enumerate(answers):
        await post(world, WRITERS[n % len(WRITERS)], f"/consultations/{c.slug}/answers",
                   {f"q{q.id}": text})  # fmt: skip
    await probe.visit("official", f"/consultations/{c.slug}")  # results while it runs
    await post(world, "official", f"/consultations/{c.slug}/dates",
               {"action": "close", "reason": "Enough was said."})  # fmt: skip
    await probe.visit("anonymous", f"/consultations/{c.slug}")
    assert not probe.problems, "\n".join(probe.problems)


async def test_bodies(world: World, probe: Probe) -> None:
    settings = {"petition_open_days": "182", "petition_response_days": "90",
                "petition_response_threshold": "10000", "petition_debate_threshold": "100000"}  # fmt: skip
    names = chunks(SAMPLE, 200, sep=" ")
    descriptions = chunks(MARKED, 5000)
    slugs = []
    for n in range(max(len(names), len(descriptions))):
        slug = f"xss-body-{n}"
        slugs.append(slug)
        await post(world, "admin", "/admin/bodies/new", {
            "slug": slug, "original_locale": "en", "name_en": names[n % len(names)],
            "description_en": descriptions[n % len(descriptions)], **settings})  # fmt: skip
    await probe.visit("anonymous", "/")
    await probe.visit("admin", "/admin/")
    for slug in slugs[: len(descriptions)]:
        await probe.visit("anonymous", f"/bodies/{slug}")
    await probe.visit("admin", f"/admin/bodies/{slugs[0]}/edit")
    assert not probe.problems, "\n".join(probe.problems)


async def test_officials_texts(world: World, probe: Probe) -> None:
    long = "\n".join(MARKED)
    titles = chunks(SAMPLE, 200, sep=" ")
    summaries = chunks(MARKED, 1000)
    for n in range(len(summaries)):
        await post(world, "official", "/consultations/new", {
            "body_id": world.a.id, "original_locale": "en", "title_en": titles[n % len(titles)],
            "summary_en": summaries[n], "body_en": long if n == 0 else "",
            "topic": SAMPLE[n % len(SAMPLE)][:80]})  # fmt: skip
    draft = await make_consultation(world.a, status="draft", sections=1, title="Officials")
    await post(world, "official", f"/consultations/{draft.slug}/sections", {
        "original_locale": "en", "title_en": titles[0], "text_en": long})  # fmt: skip
    for text in chunks(MARKED, 500)[:5]:
        await post(world, "official", f"/consultations/{draft.slug}/questions", {
            "original_locale": "en", "kind": "single", "text_en": text,
            "options_en": "\n".join(SAMPLE[:4])})  # fmt: skip
    await probe.visit("official", "/consultations/")
    await probe.visit("official", f"/consultations/{draft.slug}")
    await probe.visit("official", f"/consultations/{draft.slug}/edit")
    await probe.visit("official", f"/consultations/{draft.slug}/sections/2")
    await probe.visit("official", f"/consultations/{draft.slug}/sections/2/edit")
    closed = await make_consultation(world.a, status="closed", sections=1, title="Closed")
    await post(world, "official", f"/consultations/{closed.slug}/outcome/report",
               {"original_locale": "en", "text_en": long})  # fmt: skip
    await probe.visit("anonymous", f"/consultations/{closed.slug}")
    assert not probe.problems, "\n".join(probe.problems)


async def test_the_probe_sees_an_injection(chromium: Browser) -> None:
    """The checks above are not blind: on a page where payloads did get through, each fires."""
    ctx = await chromium.new_context(bypass_csp=True)
    await ctx.add_init_script(HOOKS)
    page = await ctx.new_page()
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if MARK in m.text else None)
    await page.set_content(
        '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a><iframe></iframe>'
        "<p>SSTI0:49:SSTI0</p>"
    )
    await _settled(page)
    result = await page.evaluate(AUDIT)
    await ctx.close()
    assert any("alert 1" in s for s in seen), seen
    assert {"<img onerror>", "<iframe>"} <= set(result["bad"]), result["bad"]
    assert any(b.startswith('<a href="javascript') for b in result["bad"]), result["bad"]
    assert _evaluated_templates("SSTI0:49:SSTI0") and PAYLOADS[0].count("49") == 0
