"""What an attacker might send: slugs longer than any can be, files that only start like a PDF,
file names with paths, quotes or another type's extension."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.routing import Route

from consultations import api, views
from consultations.models import Attachment
from participation.i18n import gettext as _
from participation.i18n import use_locale
from participation.i18n.formatting import local_input
from participation.organisations.models import Role
from participation.storage import download_name
from tests.conftest import csrf_token, login, post_form
from tests.consultations.documents import HTML_POLYGLOT, PDF, SVG_POLYGLOT
from tests.factories import make_body, make_consultation, make_official

LONG_SLUG = "a" * 121
EXAMPLE_PARAMS = {"number": "1", "version": "1", "qid": "1", "aid": "1", "kind": "report"}


def _consultation_urls(slug: str) -> list[tuple[str, str]]:
    """(method, url) of every consultation route with a slug, HTML and API."""
    out = []
    for prefix, routes in (("/consultations", views.routes), ("/api/v1", api.routes)):
        for route in routes:
            assert isinstance(route, Route)
            if "{slug}" not in route.path:
                continue
            path = re.sub(r"\{(\w+)(:\w+)?\}",
                          lambda m: slug if m[1] == "slug" else EXAMPLE_PARAMS.get(m[1], "1"),
                          prefix + route.path)  # fmt: skip
            out.extend((method, path) for method in sorted(route.methods or ()) if method != "HEAD")
    return out


def test_the_route_list_covers_the_html_and_the_api_routes() -> None:
    urls = _consultation_urls(LONG_SLUG)
    assert ("POST", f"/consultations/{LONG_SLUG}/attachments") in urls
    assert ("GET", f"/api/v1/consultations/{LONG_SLUG}/sections/1/comments") in urls
    assert len(urls) >= 20


async def test_an_over_long_slug_is_not_found_on_every_route(client: httpx.AsyncClient) -> None:
    ministry = await make_body("ministry", name="Ministry")
    await make_consultation(ministry, slug="b" * 120, status="closed")  # the longest there can be
    assert (await client.get("/consultations/" + "b" * 120)).status_code == 200
    assert (await client.get("/api/v1/consultations/" + "b" * 120)).status_code == 200
    publisher = await make_official(ministry, Role.PUBLISHER)
    await login(client, publisher.email)
    token = await csrf_token(client)
    for slug in (LONG_SLUG, "b" * 120 + "b", "c" * 5000):
        for method, url in _consultation_urls(slug):
            if method == "GET":
                r = await client.get(url)
            else:
                r = await client.post(url, data={"csrf_token": token, "action": "close"})
            assert r.status_code == 404, (method, url[:80], r.status_code)


async def _editor_on_a_draft(client: httpx.AsyncClient, locale: str = "en") -> str:
    ministry = await make_body("ministry", name="Ministry")
    await make_consultation(ministry, slug="roads", status="draft")
    editor = await make_official(ministry, Role.EDITOR, locale=locale)
    await login(client, editor.email)
    return await csrf_token(client, "/consultations/roads/edit")


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_html_and_svg_that_start_like_a_pdf_are_refused(
    client: httpx.AsyncClient, lang: str
) -> None:
    token = await _editor_on_a_draft(client, lang)
    with use_locale(lang):
        refusal = _("Only PDF documents can be attached.")
    for name, data in (("page.pdf", HTML_POLYGLOT), ("image.pdf", SVG_POLYGLOT)):
        r = await client.post("/consultations/roads/attachments",
                              data={"csrf_token": token, "title": "Evil"},
                              files={"file": (name, data, "application/pdf")})  # fmt: skip
        assert r.status_code == 400 and refusal in r.text, name
    assert await Attachment.all().count() == 0


@pytest.mark.parametrize(
    ("sent", "offered"),
    [
        ("../../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("poly.svg", "poly.svg.pdf"),
        ("report;final 2026.PDF", "report_final 2026.PDF"),
        ("\u06af\u0632\u0627\u0631\u0634.pdf", "_____.pdf"),
    ],
)
async def test_an_attachment_is_offered_under_a_clean_pdf_name(
    client: httpx.AsyncClient, sent: str, offered: str
) -> None:
    token = await _editor_on_a_draft(client)
    r = await client.post("/consultations/roads/attachments",
                          data={"csrf_token": token, "title": "Law"},
                          files={"file": (sent, PDF, "application/pdf")})  # fmt: skip
    assert r.status_code == 303, r.text[-800:]
    a = await Attachment.get()
    assert a.filename == offered
    r = await client.get(f"/consultations/roads/attachments/{a.id}")
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="{offered}"'
    assert r.headers["x-content-type-options"] == "nosniff"


async def test_a_name_stored_before_the_fix_is_cleaned_when_served(
    client: httpx.AsyncClient,
) -> None:
    token = await _editor_on_a_draft(client)
    r = await client.post("/consultations/roads/attachments",
                          data={"csrf_token": token, "title": "Law"},
                          files={"file": ("law.pdf", PDF, "application/pdf")})  # fmt: skip
    assert r.status_code == 303
    a = await Attachment.get()
    await Attachment.filter(id=a.id).update(filename="../x\"; filename*=UTF-8''evil.svg\r\nX: y")
    r = await client.get(f"/consultations/roads/attachments/{a.id}")
    assert r.headers["content-type"] == "application/pdf"
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.endswith('.pdf"')
    assert disposition.count('"') == 2 and ";" not in disposition.split("filename=")[1]
    assert "x" not in r.headers  # no header smuggled in by a line break


@given(st.text(max_size=200))
def test_any_name_becomes_one_printable_ascii_pdf_name(name: str) -> None:
    clean = download_name(name, ".pdf")
    assert clean.lower().endswith(".pdf") and 4 < len(clean) <= 124
    assert all(" " <= ch <= "~" for ch in clean)
    assert not set(clean) & set('"\\/;%*')


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,40}", fullmatch=True))
def test_a_plain_pdf_name_is_kept(stem: str) -> None:
    name = " ".join(stem.split()).strip(". ") + ".pdf"
    if name != ".pdf":
        assert download_name(f"C:\\Users\\me/{name}", ".pdf") == name


async def test_a_paper_text_the_comments_refuse_is_shown_next_to_it(
    client: httpx.AsyncClient,
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    await make_consultation(ministry, slug="roads")
    official = await make_official(ministry, Role.EDITOR)
    await login(client, official.email)
    r = await post_form(client, "/consultations/roads/paper", {
        "body_id": ministry.id, "channel": "post", "received_at": "2020-01-01T10:00",
        "text": "x", "author_name": "Kept name",
    }, page="/consultations/roads/paper")  # fmt: skip
    assert r.status_code == 400
    assert 'id="text-error"' in r.text and "Please write at least" in r.text
    assert "Kept name" in r.text


async def test_extending_to_an_earlier_date_is_shown_next_to_the_date(
    client: httpx.AsyncClient,
) -> None:
    ministry = await make_body("ministry", name="Ministry")
    c = await make_consultation(ministry, slug="roads", status="open")
    publisher = await make_official(ministry, Role.PUBLISHER)
    await login(client, publisher.email)
    assert c.closes_at is not None
    earlier = local_input(c.closes_at - timedelta(days=1))
    r = await post_form(client, "/consultations/roads/dates", {
        "action": "extend", "closes_at": earlier, "reason": "Many people asked for more time.",
    }, page="/consultations/roads/edit")  # fmt: skip
    assert r.status_code == 400
    assert 'id="closes_at-error"' in r.text
    assert "The new closing date must be later than the current one." in r.text
    assert "Many people asked for more time." in r.text
