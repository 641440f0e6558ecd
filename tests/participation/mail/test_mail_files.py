"""Without SMTP_URL mails are written as .eml files; mails leave only after commit."""

from __future__ import annotations

import pytest

from participation.accounts.models import User
from participation.db import transaction
from participation.mail import services as mail
from participation.mail.tasks import send_email
from participation.settings import Settings
from tests.factories import mail_text, make_user, sent_mails


async def test_without_smtp_the_mail_is_written_to_the_mail_folder(
    db: object, settings: Settings
) -> None:
    user = await make_user("sam@example.org", locale="fr", name="Sam")
    async with transaction():
        mail.send_password_reset(user, link="http://testserver/x")
    [msg] = sent_mails(settings)  # the in-process runner ran the job after commit
    assert msg["To"] == "sam@example.org"
    html = msg.get_body(preferencelist=("html",))
    assert html is not None and '<html lang="fr" dir="ltr">' in html.get_content()


async def test_nothing_is_sent_when_the_transaction_fails(db: object, settings: Settings) -> None:
    user = await make_user("sam@example.org")
    with pytest.raises(RuntimeError):
        async with transaction():
            mail.send_password_reset(user, link="http://testserver/x")
            raise RuntimeError("boom")
    assert sent_mails(settings) == []


async def test_a_mail_to_a_deleted_user_is_dropped(db: object, settings: Settings) -> None:
    user = await make_user("gone@example.org")
    await User.filter(id=user.id).update(is_active=False)
    assert await send_email({"settings": settings}, "password-reset", to_user_id=user.id,
                            context={"display_name": "x", "link": "y"}) == "no recipient"  # fmt: skip
    assert sent_mails(settings) == []


async def test_a_mail_to_a_bare_address_uses_the_given_language(
    db: object, settings: Settings
) -> None:
    async with transaction():
        mail.queue_email(
            "password-reset", to_email="x@example.org", locale="ar",
            display_name="X", link="http://testserver/y",
        )  # fmt: skip
    [msg] = sent_mails(settings)
    html = msg.get_body(preferencelist=("html",))
    assert html is not None and '<html lang="ar" dir="rtl">' in html.get_content()


async def test_names_are_escaped_in_html_but_not_in_plain_text(
    db: object, settings: Settings
) -> None:
    user = await make_user("tom@example.org", name="Tom & <Jerry>")
    async with transaction():
        mail.send_password_reset(user, link="http://testserver/r?a=1&b=2")
    [msg] = sent_mails(settings)
    assert "Hello Tom & <Jerry>," in mail_text(msg)
    assert "http://testserver/r?a=1&b=2" in mail_text(msg)
    html = msg.get_body(preferencelist=("html",))
    assert html is not None
    assert "Tom &amp; &lt;Jerry&gt;" in html.get_content()
    assert 'href="http://testserver/r?a=1&amp;b=2"' in html.get_content()
