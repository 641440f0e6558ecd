"""One deployment time zone (TIME_ZONE): times are shown in it with its name, and times typed
into forms are read in it."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from starlette.applications import Starlette

from participation.audit.services import record
from participation.db import transaction
from participation.forms import DateTime, FormModel, bind
from participation.i18n import use_locale
from participation.i18n.context import use_time_zone
from participation.i18n.formatting import format_date, format_datetime, local_input
from participation.settings import ConfigError, Settings
from participation.web.templating import ENV

NOON_UTC = datetime(2026, 3, 21, 20, 45, tzinfo=UTC)  # 00:15 the next day in Tehran


class WhenInput(FormModel):
    when: DateTime()


def test_default_is_utc_and_named() -> None:
    assert Settings.from_env({"SECRET_KEY": "x" * 40}).time_zone == "UTC"
    with use_locale("en"):
        assert format_datetime(NOON_UTC).endswith("(Coordinated Universal Time)")


@pytest.mark.parametrize("name", ["Mars/Olympus", "../../etc/passwd", "", "UTC+3"])
def test_an_unknown_zone_is_refused_at_start(name: str) -> None:
    with pytest.raises(ConfigError, match="TIME_ZONE"):
        Settings.from_env({"SECRET_KEY": "x" * 40, "TIME_ZONE": name})


@pytest.mark.parametrize(
    ("locale", "day", "time", "zone"),
    [
        ("en", "March 22, 2026", "12:15", "Iran Standard Time"),
        ("fa", "۲ فروردین ۱۴۰۵", "۰۰:۱۵", "وقت عادی ایران"),
        ("ar", "٢٢ مارس ٢٠٢٦", "١٢:١٥", "توقيت إيران الرسمي"),
        ("fr", "22 mars 2026", "00:15", "heure normale d’Iran"),
    ],
)
def test_times_are_shown_in_the_deployments_zone_with_its_name(
    locale: str, day: str, time: str, zone: str
) -> None:
    with use_time_zone("Asia/Tehran"), use_locale(locale):
        shown = format_datetime(NOON_UTC)
        assert time in shown and shown.endswith(f"({zone})")
        assert format_date(NOON_UTC) == day  # the zone's calendar day, not UTC's


def test_a_typed_time_is_read_in_the_deployments_zone_and_kept_as_utc() -> None:
    with use_time_zone("Asia/Tehran"):
        form = bind(WhenInput, {"when": "۲۰۲۶-۰۳-۲۲T۰۰:۱۵"})
        assert form.validate()
        assert form.data.when == NOON_UTC
        assert local_input(form.data.when) == "2026-03-22T00:15"  # shown back as typed
    with use_time_zone("UTC"):
        form = bind(WhenInput, {"when": "2026-03-21T20:45"})
        assert form.validate() and form.data.when == NOON_UTC


def test_a_field_label_names_the_zone() -> None:
    with use_time_zone("Europe/Paris"), use_locale("fr"):
        text = ENV.from_string("{{ _('Opens at (%(zone)s)', zone=zone_name()) }}").render()
    assert text.startswith("Ouverture le (heure") and "Europe centrale" in text


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_(time_zone="Asia/Tehran")


async def test_the_app_shows_times_in_the_zone_of_its_settings(app: Starlette) -> None:
    # a public act (a person's own account events are kept out of the public log)
    async with transaction():
        await record(None, "body.create", "body", 1, {"slug": "ministry"})
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        r = await client.get("/audit/", headers={"Accept-Language": "en"})
    assert r.status_code == 200
    assert "(Iran Standard Time)" in r.text or "(Iran Daylight Time)" in r.text
    assert "Government body created" in r.text
