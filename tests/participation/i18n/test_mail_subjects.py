"""Mail subjects reach the reader as written, in every language: the header's folding keeps
every space (a Persian subject once read "نظر شماپاسخ داد")."""

from __future__ import annotations

import io
from email import message_from_bytes, policy
from email.generator import BytesGenerator
from email.header import decode_header, make_header
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from participation.mail.sending import build_message
from participation.mail.tasks import render_email
from participation.settings import Settings

SETTINGS = Settings(secret_key="x" * 40, var_dir=Path("/nonexistent"))


def _as_sent(subject: str, smtp: bool) -> bytes:
    msg = build_message(SETTINGS, "reader@example.org", subject, "text", None)
    if not smtp:
        return bytes(msg)  # the development .eml file
    out = io.BytesIO()
    BytesGenerator(out, policy=policy.SMTP).flatten(msg)  # what aiosmtplib sends
    return out.getvalue()


def _read_back(raw: bytes) -> tuple[str, str]:
    """The subject as a modern and as a classic mail reader decode it."""
    modern = message_from_bytes(raw, policy=policy.default)["Subject"]
    classic = str(make_header(decode_header(message_from_bytes(raw)["Subject"])))
    return modern, classic


NAMES = st.text(
    alphabet=st.sampled_from("سارا محمدی أحمد الحسيني Jean Dupont é"), min_size=1, max_size=60
).map(lambda s: " ".join(s.split()) or "س")


@settings(max_examples=150, deadline=None)
@given(name=NAMES, locale=st.sampled_from(["fa", "ar", "fr"]), smtp=st.booleans())
def test_a_reply_subject_keeps_every_space_whatever_the_name(
    name: str, locale: str, smtp: bool
) -> None:
    subject, _text, _html = render_email(
        "comment-reply", locale, {"replier": name, "excerpt": "…", "url": "/", "title": "t"}
    )
    raw = _as_sent(subject, smtp)
    assert _read_back(raw) == (subject, subject)
    assert max(len(line.rstrip(b"\r")) for line in raw.split(b"\n")) <= 78


def test_the_persian_subject_that_lost_its_space() -> None:
    subject = "ab ab ab ab ab ab ab ab ab ab به نظر شما پاسخ داد"
    for smtp in (False, True):
        assert _read_back(_as_sent(subject, smtp)) == (subject, subject)
