"""Pure ASGI middleware: request id + logs + metrics + security headers, locale, CSRF and
Origin checks."""

from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from participation import metrics
from participation.i18n import gettext, negotiate, set_locale, use_locale
from participation.i18n.context import _current, reset_time_zone, set_time_zone
from participation.settings import Settings

log = logging.getLogger("participation.http")

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
MAX_BODY = 12 * 1024 * 1024


def _refusal(status: int) -> tuple[str, str]:
    """The title and sentence of a refusal answered by the middleware (the error pages' own)."""
    if status == 413:
        return gettext("Too large"), gettext("What you sent is too large.")
    return gettext("Bad request"), gettext(
        "We could not understand what was sent. Please go back and try again."
    )


async def _plain(scope: Scope, send: Send, status: int) -> None:
    """A refusal answered here, before the application, in the reader's language: the API's
    error object under /api/ (as its document declares), plain text elsewhere."""
    title, message = _refusal(status)
    if scope["path"].startswith("/api/"):
        body = json.dumps({"error": title, "detail": message}, ensure_ascii=False).encode()
        ctype = b"application/json"
    else:
        body = f"{title}. {message}".encode()
        ctype = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
        }
    )  # fmt: skip
    await send({"type": "http.response.body", "body": body})


# Methods the application knows; any other (TRACE, CONNECT, PROPFIND...) still reaches the
# router, which answers 404 or 405 with ``Allow``, but is counted in the metrics as "other".
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _secure_cookies(headers: list[tuple[bytes, bytes]]) -> None:
    """Mark every cookie ``Secure``: production is served over HTTPS only."""
    for i, (name, value) in enumerate(headers):
        if name.lower() == b"set-cookie" and b"secure" not in value.lower():
            headers[i] = (name, value + b"; Secure")


# Without ACCESS_LOG=1 a request is logged only when it took this long or failed (5xx): the
# line of every request cost 5 % of a signature's CPU, and the proxy in front keeps an access
# log anyway; the metrics count every request.
SLOW_REQUEST_SECONDS = 1.0


class CoreMiddleware:
    """Outermost: request id, access log, metrics, security headers, NUL rejection, HEAD.

    A HEAD request is served as the GET of the same address without the body, so that a
    view never mistakes it for a form being sent (they ask ``request.method == "GET"``).
    In production every cookie is marked ``Secure`` (the session's, the language's...)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.default_locale = settings.default_locale
        self.access_log = settings.access_log
        self.hsts = settings.production
        self.static_headers = [
            (b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
        ]
        if self.hsts:
            self.static_headers.append(
                (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        status_holder = [500]
        method = scope["method"]
        head = method == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
                headers = message.setdefault("headers", [])
                if self.hsts:
                    _secure_cookies(headers)
                headers.extend(self.static_headers)
                headers.append((b"x-request-id", request_id.encode()))
            elif head and message["type"] == "http.response.body" and message.get("body"):
                message = {**message, "body": b""}
            await send(message)

        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        qs: bytes = scope.get("query_string", b"")
        if b"\x00" in raw_path or b"%00" in raw_path or b"\x00" in qs or b"%00" in qs:
            with use_locale(locale_of(scope, self.default_locale)):
                await _plain(scope, send_wrapper, 400)
        else:
            await self.app(scope, receive, send_wrapper)
        elapsed = time.perf_counter() - start
        label = method if method in METHODS else "other"
        metrics.REQUESTS.labels(label, str(status_holder[0])).inc()
        metrics.LATENCY.labels(label).observe(elapsed)
        logged = self.access_log or status_holder[0] >= 500 or elapsed >= SLOW_REQUEST_SECONDS
        if logged and log.isEnabledFor(logging.INFO):
            log.info(
                "request",
                extra={
                    "request_id": request_id, "method": method, "path": scope["path"],
                    "status": status_holder[0], "ms": round(elapsed * 1000, 2),
                },
            )  # fmt: skip


def locale_of(scope: Scope, default: str) -> str:
    """The reader's language: session choice, cookie, ?lang=, Accept-Language, default."""
    session = scope.get("session") or {}
    query = None
    qs = scope.get("query_string", b"")
    if b"lang=" in qs:
        query = dict(parse_qsl(qs.decode("latin-1"))).get("lang")
    accept = None
    cookie_lang = None
    for name, value in scope["headers"]:
        if name == b"accept-language":
            accept = value.decode("latin-1")
        elif name == b"cookie" and b"lang=" in value:
            m = re.search(rb"(?:^|;\s*)lang=([a-z]{2})", value)
            cookie_lang = m.group(1).decode() if m else None
    return negotiate(
        chosen=session.get("lang") or cookie_lang,
        query=query,
        accept_language=accept,
        default=default,
    )


class LocaleMiddleware:
    """Sets the request's locale (session choice, cookie, ?lang=, Accept-Language, default) and
    the deployment's time zone, in which times are shown and typed."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.default = settings.default_locale
        self.zone = ZoneInfo(settings.time_zone)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        locale = locale_of(scope, self.default)
        scope.setdefault("state", {})["locale"] = locale
        token = set_locale(locale)
        zone_token = set_time_zone(self.zone)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)  # type: ignore[arg-type]
            reset_time_zone(zone_token)


LOCALE_COOKIE_AGE = 365 * 24 * 3600


def set_locale_cookie(response: Response, locale: str, settings: Settings) -> None:
    """Remember the reader's language choice (read back by ``LocaleMiddleware``)."""
    response.set_cookie(
        "lang", locale, max_age=LOCALE_COOKIE_AGE, samesite="lax", httponly=True,
        secure=settings.production,
    )  # fmt: skip


def csrf_token_for(session: dict[str, Any]) -> str:
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        session["csrf"] = token
    return token


_MULTIPART_TOKEN = re.compile(rb'name="csrf_token"\r\n(?:[^\r\n]+\r\n)*\r\n([^\r\n]*)\r\n')


def _host(origin: str) -> str | None:
    """``host[:port]`` of an Origin header (``https://example.org:8443``); None when it is
    opaque (``null``) or not an origin."""
    try:
        parts = urlsplit(origin)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return parts.netloc.lower()


class CSRFMiddleware:
    """Every POST/PUT/PATCH/DELETE carries the session's token (form field or header), and
    comes from this site when the browser says where it comes from.

    Defence in depth, before the token: a request whose ``Origin`` header names another site
    (or an opaque ``null`` origin) is refused with the same translated 403; a request without
    ``Origin`` (older browsers, some same-origin requests, non-browser clients) relies on the
    token alone. This site is the host of ``base_url`` and the request's own ``Host``. The
    body is read once here (bounded), checked, and replayed to the application.
    """

    def __init__(
        self, app: ASGIApp, on_failure: ASGIApp, exempt_prefixes: tuple[str, ...] = (),
        base_url: str | None = None,
    ) -> None:  # fmt: skip
        self.app = app
        self.on_failure = on_failure
        self.exempt = exempt_prefixes
        self.site = _host(base_url) if base_url else None

    def _cross_site(self, headers: dict[bytes, bytes]) -> bool:
        origin = headers.get(b"origin")
        if origin is None:
            return False
        host = _host(origin.decode("latin-1"))
        own = headers.get(b"host", b"").decode("latin-1").lower()
        return host is None or (host != own and host != self.site)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in UNSAFE
            or scope["path"].startswith(self.exempt)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if self._cross_site(headers):
            await self.on_failure(scope, _replay(b""), send)
            return
        session = scope.get("session") or {}
        expected = session.get("csrf", "")
        supplied = headers.get(b"x-csrf-token", b"").decode("latin-1")
        body = b""
        chunks: list[bytes] = []
        more = True
        size = 0
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                await _plain(scope, send, 413)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        ctype = headers.get(b"content-type", b"")
        if ctype.startswith(b"application/x-www-form-urlencoded"):
            if b"%00" in body or b"\x00" in body:
                await _plain(scope, send, 400)
                return
            items = parse_urlencoded(body)
            if items is None:
                await _plain(scope, send, 400)
                return
            # parsed once: the view's read_form takes it from here
            scope.setdefault("state", {})[FORM_STATE] = FormData(items)
            if not supplied:
                supplied = next((str(v) for k, v in items if k == "csrf_token"), "")
        if not supplied:
            if ctype.startswith(b"multipart/form-data"):
                m = _MULTIPART_TOKEN.search(body)
                supplied = m.group(1).decode("latin-1") if m else ""
        if not expected or not supplied or not hmac.compare_digest(expected, supplied):
            await self.on_failure(scope, _replay(b""), send)
            return
        # pages shared through the read cache are read afresh for them for a few seconds, so
        # that they see their own write (participation.web.caching.for_everyone)
        session["wrote_at"] = int(time.time())
        await self.app(scope, _replay(body), send)


FORM_STATE = "form"  # scope["state"][FORM_STATE]: the urlencoded form, parsed once
MAX_FIELDS = 500
MAX_FIELD = 1024 * 1024  # characters of one field's name or value, as Starlette's parser


def parse_urlencoded(body: bytes) -> list[tuple[str, str | UploadFile]] | None:
    """The fields of an ``application/x-www-form-urlencoded`` body, read as Starlette's form
    parser reads them (the bytes as Latin-1, then ``+`` and %-escapes decoded as UTF-8; a
    field without ``=`` has an empty value); None when it has more than ``MAX_FIELDS``
    fields or a field longer than ``MAX_FIELD``, which are refused (400)."""
    try:
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True,
                          max_num_fields=MAX_FIELDS)  # fmt: skip
    except ValueError:
        return None
    if len(body) > MAX_FIELD and any(len(k) > MAX_FIELD or len(v) > MAX_FIELD for k, v in pairs):
        return None
    return list(pairs)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive
