"""Delivering a rendered message: SMTP with aiosmtplib, or an .eml file in development."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from email.header import Header
from email.message import EmailMessage
from email.policy import Policy
from urllib.parse import unquote, urlsplit

import aiosmtplib

from participation.settings import Settings

log = logging.getLogger("participation.mail")


class _EncodedSubject(str):
    """A non-ASCII subject, folded by the classic encoder, which keeps each space inside an
    encoded word. Python's own folder (3.11) drops the space between two encoded words, so
    a Persian subject arrived as "نظر شماپاسخ داد" when its line was folded there."""

    name = "Subject"

    def fold(self, *, policy: Policy) -> str:
        encoded = Header(str(self), "utf-8", header_name="Subject").encode(
            linesep=policy.linesep, maxlinelen=policy.max_line_length or 78
        )
        return f"Subject: {encoded}{policy.linesep}"


def build_message(
    settings: Settings, to: str, subject: str, text: str, html: str | None
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Subject"] = subject if subject.isascii() else _EncodedSubject(subject)
    msg["Date"] = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    domain = settings.mail_from.rsplit("@", 1)[-1].rstrip(">") or "localhost"
    msg["Message-ID"] = f"<{secrets.token_hex(12)}@{domain}>"
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg


async def deliver(settings: Settings, msg: EmailMessage) -> None:
    if settings.smtp_url:
        await _smtp(settings.smtp_url, msg)
        return
    settings.mail_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = settings.mail_dir / f"{stamp}-{secrets.token_hex(4)}.eml"
    path.write_bytes(bytes(msg))
    log.info("mail to %s written to %s: %s", msg["To"], path, msg["Subject"])


async def _smtp(url: str, msg: EmailMessage) -> None:
    """``smtp://user:pass@host:port`` (STARTTLS when offered) or ``smtps://`` (implicit TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("SMTP_URL must start with smtp:// or smtps://")
    tls = parts.scheme == "smtps"
    await aiosmtplib.send(
        msg,
        hostname=parts.hostname or "localhost",
        port=parts.port or (465 if tls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=tls,
        start_tls=None if not tls else False,
        timeout=30,
    )
