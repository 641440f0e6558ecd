"""Helpers for petition tests: petitions in a given state and signatures inserted directly."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from participation.accounts.models import User
from participation.caching import clear_all
from participation.organisations.models import Body
from petitions.models import Petition, Signature, SignatureStatus, Status
from petitions.queries import search_text
from petitions.signing import canonical_email
from tests.factories import make_user

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """The signing path caches petitions and block lists in-process; tables are emptied (and
    ids restart) between tests."""
    clear_all()
    yield
    clear_all()


async def make_petition(
    body: Body, *, status: Status = Status.OPEN, creator: User | None = None,
    title: str | None = None, language: str = "en", submitted_days_ago: int = 0,
    action: str | None = None,
) -> Petition:  # fmt: skip
    creator = creator or await make_user()
    now = datetime.now(UTC)
    opened = status in (Status.OPEN, Status.CLOSED)
    title = title or f"Repair the bridges of district {next(_n)}"
    action = action or "Repair every bridge in the district before winter."
    return await Petition.create(
        body=body, creator=creator, title=title, action=action, background="They are old.",
        details="", language=language, status=status, sponsor_token=secrets.token_urlsafe(16),
        search_text=search_text(title, action, "They are old."),
        submitted_at=None if status == Status.SPONSORING else now - timedelta(days=submitted_days_ago),
        opened_at=now - timedelta(days=1) if opened else None,
        closes_at=now + timedelta(days=30) if opened else None,
    )  # fmt: skip


async def add_signatures(
    petition: Petition, n: int, *, confirmed: bool = True, ip: str | None = None,
    region: str = "tehran", opt_in: bool = False, domain: str = "example.net",
    at: datetime | None = None, spacing: timedelta = timedelta(minutes=10),
) -> list[Signature]:  # fmt: skip
    """``n`` signatures, each from its own IP unless ``ip`` is given, ``spacing`` apart."""
    start = at or datetime.now(UTC) - spacing * n
    rows = []
    for i in range(n):
        k = next(_n)
        email = f"signer{k}@{domain}"
        t = start + spacing * i
        rows.append(Signature(
            petition_id=petition.id, name=f"Signer {k}", email=email,
            canonical_email=canonical_email(email), region=region, opt_in=opt_in,
            ip=ip or f"10.{k // 65536 % 256}.{k // 256 % 256}.{k % 256}", locale="en",
            status=SignatureStatus.CONFIRMED if confirmed else SignatureStatus.PENDING,
            created_at=t, confirmed_at=t if confirmed else None,
        ))  # fmt: skip
    await Signature.bulk_create(rows)
    return await Signature.filter(petition_id=petition.id).order_by("-id").limit(n)


def client_from(app: object, ip: str) -> httpx.AsyncClient:
    """A browser at another network address."""
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def sign_data(email: str, **extra: object) -> dict[str, object]:
    return {"name": "Sam Signer", "email": email, "region": "fars", "eligible": "1",
            "opt_in": "1", **extra}  # fmt: skip
