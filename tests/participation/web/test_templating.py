"""Templates build links with ``url_for``: the kept-pattern shortcut must give exactly what
Starlette's own ``request.url_for`` gives, behind a proxy and under a path prefix too."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request

from participation.i18n import use_locale
from participation.web.templating import ENV, url_for

CASES = [
    ("home", {}),
    ("votes:cast", {}),
    ("comments:flag", {"comment_id": 5}),
    ("comments:flag", {"comment_id": 1234567}),
    ("comments:history", {"comment_id": 42}),
    ("petitions:undo", {"id": 3, "iid": 77}),
    ("petitions:undo", {"iid": 9, "id": 12}),
    ("consultations:detail", {"slug": "roads-2027"}),  # a text parameter: Starlette's way
]


def _request(app: Starlette, scheme: str, host: str, root_path: str) -> Request:
    return Request({
        "type": "http", "method": "GET", "path": "/", "query_string": b"", "scheme": scheme,
        "server": (host, 443 if scheme == "https" else 80), "root_path": root_path,
        "headers": [(b"host", host.encode())], "app": app, "router": app.router,
    })  # fmt: skip


@pytest.mark.parametrize(("scheme", "host", "root_path"), [
    ("http", "testserver", ""), ("https", "participate.example.ir", ""),
    ("https", "gov.example", "/participation"),
])  # fmt: skip
async def test_links_in_templates_are_the_ones_starlette_builds(
    app: Starlette, scheme: str, host: str, root_path: str
) -> None:
    request = _request(app, scheme, host, root_path)
    for name, params in CASES * 2:  # the second round uses the kept patterns
        assert str(url_for({"request": request}, name, **params)) == str(
            request.url_for(name, **params)
        ), (name, params)


async def test_links_keep_their_query_helpers(app: Starlette) -> None:
    request = _request(app, "http", "testserver", "")
    url = url_for({"request": request}, "comments:history", comment_id=8)
    assert str(url.include_query_params(page=2)) == "http://testserver/comments/8/history?page=2"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("fa", "لطفاً دست‌کم ۱۰ نویسه بنویسید."), ("ar", "يرجى كتابة ١٠ أحرف على الأقل."),
     ("en", "Please write at least 10 characters.")],
)  # fmt: skip
def test_numbers_given_to_gettext_in_a_template_are_in_the_readers_digits(
    locale: str, expected: str
) -> None:
    source = "{{ _('Please write at least %(n)s characters.', n=10) }}"
    with use_locale(locale):
        assert ENV.from_string(source).render() == expected


def test_text_given_to_gettext_in_a_template_is_escaped() -> None:
    source = "{{ _('Signed in as %(email)s', email=who) }}"
    assert "&lt;b&gt;" in ENV.from_string(source).render(who="<b>x@example.org</b>")
