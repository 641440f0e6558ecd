"""Many people sign one petition at the same moment, some of them twice or with another spelling
of their address, through two web processes: one signature each, the count exact, no error."""

from __future__ import annotations

import asyncio
import random
import re
from collections import Counter

import pytest

from tests.reliability.conftest import Database, make_body_with, open_petition
from tests.reliability.stack import Browser, Stack, await_for, run_bounded, sign

pytestmark = pytest.mark.reliability

PEOPLE = 100
LINK = re.compile(r"/petitions/confirm/[^\s\"<>]+")


FIRST = ["maria", "reza", "claire", "omar", "leila", "thomas", "sara", "hamid", "julie",
         "karim", "nasrin", "pierre", "amina", "david", "zahra", "lucas", "mina", "yusuf",
         "elena", "farid"]  # fmt: skip
LAST = ["garcia", "ahmadi", "martin", "haddad", "karimi", "bernard", "rostami", "dubois",
        "nasser", "moreau", "hosseini", "laurent", "saleh", "petit", "tehrani", "roux",
        "jafari", "fontaine", "mansour", "girard"]  # fmt: skip
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
]  # fmt: skip


def person(i: int) -> tuple[str, str, str]:
    """A person as the platform sees them: name, network address, browser. People, not a
    script: names, homes and browsers of their own (the wave rules hold a script's
    signatures for review, which is not what this test is about)."""
    first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
    ip = f"10.{(i * 37) % 200 + 20}.{(i * 11) % 250}.{(i * 53) % 250 + 1}"
    return f"{first.title()} {last.title()}", ip, BROWSERS[(i * 5 + i // 7) % len(BROWSERS)]


def spellings(i: int) -> list[str]:
    """One person's address as typed on different occasions (one mailbox): two or three."""
    first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
    if i % 2:
        typed = [f"{first}.{last}{i}@gmail.com", f"{first.title()}{last.title()}{i}@gmail.com",
                 f"{first}.{last}{i}+petition@googlemail.com"]  # fmt: skip
    else:
        host = ("yahoo.fr", "outlook.com", "hotmail.com", "orange.fr")[i // 2 % 4]
        typed = [f"{first}.{last}{i}@{host}", f"{first.title()}.{last.title()}{i}@{host.upper()}",
                 f"{first}.{last}{i}+x@{host}"]  # fmt: skip
    return typed[: 2 + i % 2]


async def test_signing_at_once_with_repeats_keeps_one_signature_each(
    stack: Stack, database: Database
) -> None:
    petition = await open_petition(await make_body_with({}))
    browsers = [Browser(stack.base_url) for _ in range(25)]
    try:
        await _sign_and_confirm(stack, database, petition.id, browsers)
    finally:
        for b in browsers:
            await b.close()


async def _sign_and_confirm(
    stack: Stack, database: Database, petition_id: int, browsers: list[Browser]
) -> None:
    await asyncio.gather(*(b.open() for b in browsers))
    calls = []
    for i in range(PEOPLE):
        name, ip, agent = person(i)
        for email in spellings(i):
            b = browsers[random.randrange(len(browsers))]
            calls.append(lambda b=b, email=email, ip=ip, name=name, agent=agent: sign(
                b, petition_id, email, ip, name=name, user_agent=agent))  # fmt: skip
    random.shuffle(calls)
    results = await run_bounded(calls, concurrency=50)

    server_errors = [r for r in results if r.server_error]
    accepted = [r for r in results if r.accepted]
    stored = await database.value(
        "SELECT count(*) FROM petition_signatures WHERE petition_id = $1", petition_id
    )
    duplicates = await database.value(
        "SELECT count(*) FROM (SELECT canonical_email FROM petition_signatures "
        "GROUP BY petition_id, canonical_email HAVING count(*) > 1) d"
    )
    print(f"RELIABILITY signing: {len(calls)} requests from {PEOPLE} people, "
          f"{len(accepted)} accepted, {len(server_errors)} 5xx, {stored} stored, "
          f"{duplicates} duplicates")  # fmt: skip
    assert not server_errors, [(r.status, r.key) for r in server_errors]
    assert len(accepted) == len(calls), Counter((r.status, r.location[-60:]) for r in results)
    assert stored == PEOPLE and duplicates == 0

    # Everyone follows the link in a confirmation mail; the counter job then counts each once.
    await await_for(lambda: len({to for to, _, _ in stack.inbox.mails()}) >= PEOPLE, 120,
                    "a confirmation mail for every person")  # fmt: skip
    links = {LINK.search(text).group(0) for _to, _s, text in stack.inbox.mails()}  # type: ignore[union-attr]
    reader = browsers[0]
    answers = await asyncio.gather(*(reader.client.get(link) for link in links))
    assert all(a.status_code == 200 for a in answers)

    async def counted() -> bool:
        n = await database.value("SELECT signature_count FROM petitions WHERE id = $1", petition_id)
        return bool(n == PEOPLE)

    await await_for(counted, 60, f"the petition's count at {PEOPLE}")
    assert (
        await database.value(
            "SELECT count(*) FROM petition_signatures WHERE petition_id = $1 AND counted",
            petition_id,
        )
        == PEOPLE
    )
