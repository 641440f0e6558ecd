"""Plain async factory functions. Each takes only what a test cares about."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from participation.accounts.models import User
from participation.accounts.passwords import hash_password
from participation.organisations.models import Body, Membership, Role

PASSWORD = "password123"
_PASSWORD_HASH = hash_password(PASSWORD)
_seq = itertools.count(1)


def unique(prefix: str = "x") -> str:
    return f"{prefix}{next(_seq)}"


async def make_user(
    email: str | None = None,
    *,
    name: str | None = None,
    confirmed: bool = True,
    admin: bool = False,
    locale: str = "en",
    region: str = "",
) -> User:
    n = next(_seq)
    return await User.create(
        email=(email or f"user{n}@example.org").lower(),
        password_hash=_PASSWORD_HASH,
        display_name=name or f"User {n}",
        locale=locale,
        region=region,
        email_confirmed_at=datetime.now(UTC) if confirmed else None,
        is_admin=admin,
    )


async def make_body(
    slug: str | None = None,
    *,
    name: str | None = None,
    parent: Body | None = None,
    names: dict[str, str] | None = None,
    settings: dict | None = None,
) -> Body:
    slug = slug or unique("body-")
    i18n = {loc: {"name": text} for loc, text in (names or {"en": name or slug.title()}).items()}
    return await Body.create(
        slug=slug, i18n=i18n, original_locale=next(iter(i18n)), parent=parent,
        settings=settings or {},
    )  # fmt: skip


async def make_official(body: Body, role: Role = Role.PUBLISHER, **user_kwargs: object) -> User:
    user = await make_user(**user_kwargs)  # type: ignore[arg-type]
    await Membership.create(user=user, body=body, role=role)
    return user


async def make_moderator(body: Body | None = None, **user_kwargs: object) -> User:
    user = await make_user(**user_kwargs)  # type: ignore[arg-type]
    await Membership.create(user=user, body=body, role=Role.MODERATOR)
    return user


async def make_consultation(
    body: Body,
    *,
    status: str = "open",
    co_owners: tuple[Body, ...] = (),
    sections: int = 2,
    slug: str | None = None,
    title: str | None = None,
    i18n: dict | None = None,
    topic: str = "",
    region: str = "",
):  # type: ignore[no-untyped-def]
    """A consultation of ``body`` in ``status`` (draft, scheduled, open, closed) with numbered
    sections; opened ones have version 1 of each section."""
    from datetime import timedelta

    from consultations.models import Consultation, ConsultationBody, Section, SectionVersion
    from consultations.services import search_text

    now = datetime.now(UTC)
    slug = slug or unique("consultation-")
    i18n = i18n or {"en": {"title": title or slug.replace("-", " ").title(),
                           "summary": "A summary", "body": "An introduction"}}  # fmt: skip
    opened = status in ("open", "closed")
    c = await Consultation.create(
        slug=slug, body=body, i18n=i18n, original_locale=next(iter(i18n)),
        search_text=search_text(i18n), topic=topic, region=region, status=status,
        opens_at=None if status == "draft" else now + timedelta(days=1 if status == "scheduled" else -10),
        closes_at=None if status == "draft" else now + timedelta(days=-1 if status == "closed" else 20),
        opened_at=now - timedelta(days=10) if opened else None,
        closed_at=now - timedelta(days=1) if status == "closed" else None,
    )  # fmt: skip
    for b in (body, *co_owners):
        await ConsultationBody.create(consultation=c, body=b)
    for n in range(1, sections + 1):
        s = await Section.create(
            consultation=c, position=n, original_locale="en", version=1 if opened else 0,
            i18n={"en": {"title": f"Article {n}", "text": f"Text of article {n}."}},
        )  # fmt: skip
        if opened:
            await SectionVersion.create(section=s, number=1, i18n=s.i18n, original_locale="en",
                                        published_at=now - timedelta(days=10))  # fmt: skip
    return c


def sent_mails(settings: object) -> list[EmailMessage]:
    """Mails written to ``settings.mail_dir`` (no SMTP_URL in tests), oldest first."""
    mail_dir: Path = settings.mail_dir  # type: ignore[attr-defined]
    if not mail_dir.exists():
        return []
    out = []
    for path in sorted(mail_dir.glob("*.eml")):
        msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        out.append(msg)  # type: ignore[arg-type]
    return out  # type: ignore[return-value]


def mail_text(msg: EmailMessage) -> str:
    """The plain-text body of a sent mail."""
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()  # type: ignore[no-any-return]


def links_in(msg: EmailMessage) -> list[str]:
    """Every http(s) link in the plain-text body of a mail."""
    return re.findall(r"https?://\S+", mail_text(msg))
