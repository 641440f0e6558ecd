"""Jinja environment: gettext with localized numbers, formatting filters, url_for, CSRF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.templating import Jinja2Templates

from participation import caching
from participation.i18n import (
    LANGUAGE_NAMES,
    LOCALES,
    direction,
    get_locale,
    localized,
    translations,
)
from participation.i18n.formatting import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    iso,
    local_input,
    localize_digits,
    zone_name,
)
from participation.web.middleware import csrf_token_for

TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "templates"


# As participation.i18n's gettext, but Markup: variables are escaped; numbers among them are
# written in the reader's digits.


def _gettext(message: str, **variables: Any) -> Markup:
    rv = Markup(translations(get_locale()).ugettext(message))
    return rv % localized(variables) if variables else rv


def _ngettext(singular: str, plural: str, n: int, **variables: Any) -> Markup:
    rv = Markup(translations(get_locale()).ungettext(singular, plural, n))
    variables.setdefault("num", format_number(n))
    return rv % localized(variables)


def _pgettext(context: str, message: str, **variables: Any) -> Markup:
    rv = Markup(translations(get_locale()).upgettext(context, message))
    return rv % localized(variables) if variables else rv


def make_environment(directory: Path = TEMPLATE_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        enable_async=False,
    )
    env.globals.update(
        _=_gettext,
        gettext=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        LOCALES=LOCALES,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        # (code, name, code): each language named in itself, for a select's options
        language_options=[(code, LANGUAGE_NAMES[code], code) for code in LOCALES],
        zone_name=zone_name,
    )
    env.filters.update(
        number=format_number,
        percent=format_percent,
        date=format_date,
        datetime=format_datetime,
        iso=iso,
        digits=localize_digits,
        local_input=local_input,
    )
    return env


_SENTINEL = 7_331_000_000
# Route paths never change while the process runs: kept a day, never emptied by commits.
_URL_PATTERNS = caching.memo("url_patterns", seconds=86_400, maxsize=4_096, clear_on_commit=False)


@jinja2.pass_context
def url_for(context: Any, name: str, /, **params: Any) -> URL:
    """``request.url_for`` with the route's path kept per name: Starlette walks every route
    of the app on each call (~60 µs here), and a signed-in reader's page of 50 comments makes
    ~150 calls (a vote, reply, edit and report form each). Paths whose parameters are all
    integers are built from the kept pattern; others go through Starlette."""
    request: Request = context["request"]
    if not all(type(v) is int for v in params.values()):
        return request.url_for(name, **params)
    key = (name, tuple(params))
    pattern = _URL_PATTERNS.peek(key)
    if pattern is None:
        router = request.scope.get("router") or request.scope["app"]
        sentinels = {k: _SENTINEL + i for i, k in enumerate(params)}
        url_path = router.url_path_for(name, **sentinels)
        if url_path.host or url_path.protocol not in ("", "http"):  # no shortcut
            return request.url_for(name, **params)
        pattern = str(url_path).replace("{", "{{").replace("}", "}}")
        for k, value in sentinels.items():
            pattern = pattern.replace(str(value), f"{{{k}}}")
        _URL_PATTERNS.put(key, pattern)
    base = request.base_url
    return URL(f"{base.scheme}://{base.netloc}{base.path.rstrip('/')}{pattern.format(**params)}")


ENV = make_environment()
ENV.globals["url_for"] = url_for
templates = Jinja2Templates(env=ENV)


def csrf_input(request: Request) -> Markup:
    token = csrf_token_for(request.session)
    return Markup('<input type="hidden" name="csrf_token" value="%s">') % token


def _request_context(request: Request) -> dict[str, Any]:
    locale = get_locale()
    return {
        "request": request,
        "locale": locale,
        "dir": direction(locale),
        "principal": getattr(request.state, "principal", None),
        "csrf_input": lambda: csrf_input(request),
        "csrf_token": lambda: csrf_token_for(request.session),
    }


def base_context(request: Request) -> dict[str, Any]:
    return {**_request_context(request), "flashes": pop_flashes(request)}


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    ctx = base_context(request)
    if context:
        ctx.update(context)
    return templates.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers)


def render_fragment(request: Request, name: str, context: dict[str, Any]) -> Markup:
    """A part of a page, rendered apart (to be cached) with what a page's templates see, except
    the flashes, which stay for the page."""
    return Markup(ENV.get_template(name).render({**_request_context(request), **context}))


def render_string(name: str, context: dict[str, Any]) -> str:
    """Render outside a request (e-mails, cached fragments)."""
    return ENV.get_template(name).render(**context)


def flash(request: Request, message: str, category: str = "info") -> None:
    request.session.setdefault("flashes", []).append([category, message])


def pop_flashes(request: Request) -> list[list[str]]:
    if "flashes" not in request.session:
        return []
    return request.session.pop("flashes")


def redirect(url: str | Any, status_code: int = 303) -> RedirectResponse:
    return RedirectResponse(str(url), status_code=status_code)
