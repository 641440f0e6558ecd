"""Mails go out over SMTP in the recipient's language (a real aiosmtpd server)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from participation.db import transaction
from participation.i18n import gettext, use_locale
from participation.mail import services as mail
from participation.settings import Settings
from tests.factories import mail_text, make_user, sent_mails


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.received = asyncio.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(msg)  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def settings(settings: Settings, smtp_server: tuple[Inbox, int]) -> Settings:
    return settings.with_(smtp_url=f"smtp://127.0.0.1:{smtp_server[1]}")


async def test_a_persian_user_gets_the_mail_in_persian_over_smtp(
    db: object, settings: Settings, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, _port = smtp_server
    user = await make_user("maryam@example.org", locale="fa", name="مریم")
    with use_locale("en"):  # whatever the sender's language is
        async with transaction():
            mail.send_confirm_email(user, link="http://testserver/account/confirm/abc")
    # the job ran after commit and talked to the SMTP server
    [msg] = inbox.messages
    assert msg["To"] == "maryam@example.org"
    with use_locale("fa"):
        assert msg["Subject"] == gettext("Confirm your e-mail address")
        assert gettext("Hello %(name)s,", name="مریم") in mail_text(msg)
    html = msg.get_body(preferencelist=("html",))
    assert html is not None and '<html lang="fa" dir="rtl">' in html.get_content()
    assert "http://testserver/account/confirm/abc" in mail_text(msg)
    assert sent_mails(settings) == []  # nothing written to disk when SMTP is configured
