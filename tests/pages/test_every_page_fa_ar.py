"""Every page, whole, in Persian and Arabic: each GET route of the app (walked from the route
table, path parameters filled from the demo data of ``participation seed-demo``), as each role
that may see it (and as the others, who get the translated error or sign-in page), in fa and
ar. A page fails when its interface text (``pagetext.ui_text``: people's text left out) shows

- an English sentence of the catalogue (an msgid that was never translated or never marked),
- a code instead of words (an audit action, a state or kind as stored),
- any other Latin-letter word (an English string that never reached the catalogue),
- an ASCII digit (numbers are written in Persian or Arabic-Indic digits; ids in addresses and
  attributes are not text).

A new route without demo parameters fails too: add it to ``_parameters``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from babel.messages.pofile import read_po
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route

from consultations.models import Consultation, Outcome, Section
from participation.accountability.models import Commitment, Obligation
from participation.accountability.models import Response as AccountabilityResponse
from participation.accounts.models import User
from participation.accounts.seed import DEMO_PASSWORD
from participation.audit.views import ACTION_LABELS
from participation.comments.models import Comment
from participation.moderation.models import ModerationState
from participation.organisations.models import Body
from participation.seed import seed_demo
from petitions.models import Petition, Signature
from petitions.signing import confirmation_token
from tests.conftest import post_form
from tests.pages.codes import CODE_SHAPE, action_pattern, audit_actions, enum_values
from tests.pages.pagetext import Run, ui_text

ROOT = Path(__file__).resolve().parents[2]

ROLES: dict[str, str | None] = {
    "anonymous": None,
    "citizen": "shahrvand@example.org",
    "official": "publisher@example.org",
    "moderator": "moderator@example.org",
    "admin": "admin@example.org",
}
PAGE_LOCALES = ("fa", "ar")
# Not pages: machine endpoints and the JSON API (checked by their own tests).
NOT_PAGES = {"healthz", "readyz", "metrics", "openapi", "static"}


# ---- the route table ------------------------------------------------------------------------


def get_routes(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, Route]]:
    """(full name, route) of every GET route, outside the JSON API and static files."""
    for r in routes:
        if isinstance(r, Mount):
            if r.name in ("api", "static"):
                continue
            yield from get_routes(list(r.routes), f"{prefix}{r.name}:" if r.name else prefix)
        elif isinstance(r, Route) and (r.methods is None or "GET" in r.methods):
            yield f"{prefix}{r.name}", r


async def _parameters(name: str, secret_key: str = "") -> list[dict[str, Any]] | None:
    """Path parameters of a route, from the demo data; None: the route is unknown here."""
    bodies = await Body.all().order_by("id")
    consultations = await Consultation.all().order_by("id")
    petitions = await Petition.all().order_by("id")
    by_status: dict[str, Petition] = {}
    for p in petitions:
        by_status.setdefault(p.status.value, p)
    first_of = {}
    for c in consultations:
        s = await Section.filter(consultation_id=c.id).order_by("position").first()
        if s is not None:
            first_of[c.slug] = s
    comments = await Comment.all().order_by("id").limit(200)
    top = next((c for c in comments if c.parent_id is None), None)
    reply = next((c for c in comments if c.parent_id is not None), None)
    outcomes = await Outcome.all().prefetch_related("consultation")
    citizens = await User.filter(email=ROLES["citizen"])
    responses = await AccountabilityResponse.all().order_by("id")
    commitments = await Commitment.all().order_by("id")
    owed = await Obligation.filter(answered_at=None).order_by("id")
    hidden_petitions = await ModerationState.filter(
        target_type="petition", hidden_at__isnull=False
    ).values_list("target_id", flat=True)
    slugs = [c.slug for c in consultations]
    table: dict[str, list[dict[str, Any]]] = {
        "accounts:confirm": [{"token": "not-a-valid-token"}],
        "accounts:reset": [{"token": "not-a-valid-token"}],
        "accounts:export_download": [],  # a JSON file, not a page (test_personal_data.py)
        "organisations:detail": [{"slug": b.slug} for b in bodies],
        "admin:body_edit": [{"slug": b.slug} for b in bodies[:1]],
        "admin:members": [{"slug": b.slug} for b in bodies[:1]],
        "comments:permalink": [{"comment_id": c.id} for c in (top, reply) if c],
        "comments:history": [{"comment_id": c.id} for c in (top, reply) if c],
        "comments:reply_page": [{"comment_id": c.id} for c in (top,) if c],
        "comments:report_page": [{"comment_id": c.id} for c in (top,) if c],
        "comments:edit": [{"comment_id": c.id} for c in (top,) if c],
        "consultations:detail": [{"slug": s} for s in slugs],
        "consultations:edit": [{"slug": s} for s in slugs],
        "consultations:paper": [{"slug": s} for s in slugs[:1]],
        "consultations:outcome": [
            {"slug": o.consultation.slug, "kind": o.kind.value} for o in outcomes
        ]
        + [{"slug": s, "kind": "response"} for s in slugs[:1]],
        "consultations:section": [
            {"slug": s, "number": sec.position} for s, sec in first_of.items()
        ],
        "consultations:section_edit": [
            {"slug": s, "number": sec.position} for s, sec in list(first_of.items())[:1]
        ],
        "consultations:section_version": [
            {"slug": s, "number": sec.position, "version": 1}
            for s, sec in first_of.items()
            if sec.version
        ],
        "consultations:attachment": [],  # a file, not a page
        "consultations:report": [{"slug": s} for s in slugs],
        "consultations:report_pdf": [],  # PDF, not a page (tests/consultations/test_report_pdf.py)
        "consultations:report_exports": [{"slug": s} for s in slugs],
        "consultations:report_export_csv": [],  # files with names, not pages
        "consultations:report_export_json": [],
        "consultations:report_export_file": [],
        "consultations:report_csv": [],  # CSV, not a page
        "consultations:report_json": [],  # JSON
        "petitions:confirm": [{"token": "not-a-valid-token"}],
        "petitions:detail": [{"id": p.id} for p in by_status.values()]
        + [{"id": i} for i in hidden_petitions],  # the placeholder, for those who may not see it
        "petitions:count": [],  # JSON
        "petitions:sponsor": [
            {"id": p.id, "token": p.sponsor_token} for p in list(by_status.values())[:2]
        ],
        "petitions:review": [{"id": p.id} for p in list(by_status.values())[:2]],
        "moderation:appeal": [{"target_type": "comment", "target_id": c.id} for c in (top,) if c],
        "moderation:record": [{"space_type": "consultation", "space_id": c.id}
                              for c in consultations[:1]]
        + [{"space_type": "body", "space_id": b.id} for b in bodies[:1]],
        "moderation:suspend": [{"user_id": u.id} for u in citizens[:1]],
        "integrity:disown_link": [
            {"target_type": "signature", "token": confirmation_token(secret_key, sig.id)}
            for sig in await Signature.all().order_by("id").limit(1)
        ],
        "integrity:disown_comment": [
            {"comment_id": c.id} for c in comments
            if c.author_id in {u.id for u in citizens} and c.deleted_at is None
        ][:1],
        "accountability:respond": [{"target_type": o.target_type, "target_id": o.target_id}
                                   for o in owed[:1]],
        "accountability:response": [{"response_id": r.id} for r in responses],
        "accountability:translate": [{"response_id": r.id} for r in responses[:1]],
        "accountability:commitment_new": [{"response_id": r.id} for r in responses[:1]],
        "accountability:commitment": [{"commitment_id": c.id} for c in commitments],
        "accountability:scoreboard_body": [{"slug": b.slug} for b in bodies],
    }  # fmt: skip
    return table.get(name)


# Query parameters that change what a page shows: each is read as well (name -> parameters).
QUERIES: dict[str, list[dict[str, str]]] = {
    "petitions:list": [{"q": "دوچرخه"}, {"q": "no petition says this"}, {"status": "closed"}],
}


# ---- what a page must not show ----------------------------------------------------------------


def _catalogue() -> tuple[set[str], list[re.Pattern[str]]]:
    """The English msgids: exact sentences, and patterns of those with placeholders."""
    with (ROOT / "locales" / "messages.pot").open("rb") as f:
        pot = read_po(f)
    exact: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for m in pot:
        for mid in m.id if isinstance(m.id, tuple) else (m.id,):
            text = " ".join(str(mid).split())
            if not text:
                continue
            if "%(" in text:
                rx = re.escape(text)
                rx = re.sub(r"%\\\(\w+\\\)[sd]", ".+?", rx)
                patterns.append(re.compile(f"^{rx}$"))
            else:
                exact.add(text)
    return exact, patterns


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ASCII_DIGIT = re.compile(r"[0-9]")
# Written in Latin letters and ASCII digits in every language: e-mail addresses, domain names
# and network addresses (what one types), and abbreviations such as API, JSON, SHA-256.
MACHINE_TOKENS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|\b(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?\b"  # IPv4 address or network
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org|com|net|ir|fr)\b"  # domain name
    r"|\b[A-Z][A-Z0-9]+(?:-[0-9]+)?\b"  # abbreviation
)


def _is_code(text: str) -> bool:
    if text in enum_values() or text in ACTION_LABELS:
        return True
    if any(action_pattern(a).match(text) for a in audit_actions()):
        return True
    return bool(CODE_SHAPE.match(text))


def problems_of(
    runs: list[Run], msgids: tuple[set[str], list[re.Pattern[str]]]
) -> list[tuple[str, str]]:
    exact, patterns = msgids
    out = []
    for run in runs:
        text = run.text
        if _is_code(text):
            out.append(("a code shown as text", text))
            continue
        if run.machine:
            continue
        if text in exact or any(p.match(text) for p in patterns):
            out.append(("an English sentence of the catalogue", text))
            continue
        text = MACHINE_TOKENS.sub("", text)
        if LATIN_WORD.search(text):
            out.append(("Latin-letter text outside the catalogue", run.text))
        if ASCII_DIGIT.search(text):
            out.append(("ASCII digits", run.text))
    return out


# ---- the walk -------------------------------------------------------------------------------


async def _browser(app: Starlette, locale: str, email: str | None) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # a 500 is reported
    client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    if email:
        r = await post_form(client, "/account/login", {"email": email, "password": DEMO_PASSWORD})
        assert r.status_code == 303, f"{email} could not sign in: {r.status_code}"
    r = await post_form(client, "/language", {"lang": locale, "next": "/"})
    assert r.status_code == 303
    return client


async def _walk(app: Starlette) -> tuple[dict[tuple[str, str], list[str]], int]:
    """Problems, as (kind, text) -> pages where seen; and the number of pages read."""
    msgids = _catalogue()
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    urls: list[str] = []
    for name, route in get_routes(list(app.routes)):
        if name.rpartition(":")[2] in NOT_PAGES and ":" not in name or name in NOT_PAGES:
            continue
        if not route.param_convertors:
            urls.append(app.url_path_for(name))
            urls.extend(f"{app.url_path_for(name)}?{urlencode(q)}" for q in QUERIES.get(name, []))
            continue
        params = await _parameters(name, app.state.settings.secret_key)
        if params is None:
            found[("a route without demo parameters in this test", name)].append(route.path)
            continue
        urls.extend(app.url_path_for(name, **p) for p in params)
    pages = 0
    for locale in PAGE_LOCALES:
        for role, email in ROLES.items():
            client = await _browser(app, locale, email)
            try:
                for url in urls:
                    r = await client.get(url)
                    where = f"{locale} {role} {url} ({r.status_code})"
                    if r.status_code >= 500:
                        found[("a server error", "")].append(where)
                        continue
                    if not r.headers.get("content-type", "").startswith("text/html"):
                        continue
                    pages += 1
                    page_lang, runs = ui_text(r.text)
                    if page_lang != locale:
                        found[("a page in another language", page_lang)].append(where)
                    for kind, text in problems_of(runs, msgids):
                        found[(kind, text)].append(where)
            finally:
                await client.aclose()
    return found, pages


def _report(found: dict[tuple[str, str], list[str]]) -> str:
    lines = []
    for (kind, text), where in sorted(found.items()):
        seen = ", ".join(sorted(set(where))[:3]) + (" …" if len(set(where)) > 3 else "")
        lines.append(f"- {kind}: {text[:90]!r} on {len(set(where))} page(s): {seen}")
    return "\n".join(lines)


@pytest.fixture
async def demo(app: Starlette) -> Starlette:
    await seed_demo(app.state.settings, log=lambda _line: None)
    return app


async def test_every_page_in_persian_and_arabic_is_wholly_translated(demo: Starlette) -> None:
    found, pages = await _walk(demo)
    assert pages > 300, f"only {pages} pages were read"
    assert not found, f"{len(found)} problem(s) on the fa/ar pages:\n{_report(found)}"
