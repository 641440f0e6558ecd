"""The world the security suites probe: two bodies, one person per role, and something of
every kind (a draft, an open and a closed consultation of body A, petitions in each state,
comments, flags, blocks, memberships), each person signed in through the login form in their
own browser (own network address, so no rate limit of one person touches another).

Route templates name things of the world in braces: ``/consultations/{draft}/edit``,
``{open.section}``. A name with a star, ``{draft*}``, is a fresh copy made for each person
and each table row: requests that are allowed change what they touch (publish a draft, delete
a comment), and the next person must find it as the table expects.
"""

from __future__ import annotations

import io
import itertools
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from starlette.applications import Starlette
from tortoise import connections

from consultations.models import Attachment, Question, QuestionKind
from participation.accountability import services as accountability
from participation.accountability.models import Decision
from participation.accounts import services as account_services
from participation.accounts.models import User
from participation.accounts.principal import load_principal
from participation.caching import clear_all
from participation.comments.models import Comment
from participation.integrity.models import IndexedComment
from participation.integrity.services import index_new_comments
from participation.moderation.models import Appeal, Flag, FlagReason, HiddenKind, ModerationState
from participation.organisations.models import Body, Membership, Role
from participation.sanitize import sanitize_comment, text_hash
from participation.storage import storage_for
from petitions.models import BlockedDomain, Invalidation, Petition, Signature, SignatureStatus
from petitions.models import Status as PetitionStatus
from petitions.signing import canonical_email, confirmation_token
from tests.conftest import csrf_token, login
from tests.factories import make_body, make_consultation, make_user

# The columns of every table, in this order.
ROLES = (
    "anonymous", "citizen", "author", "official", "other_official", "moderator",
    "other_moderator", "global_moderator", "admin", "suspended",
)  # fmt: skip
SHORT = {
    "anon": "anonymous", "cit": "citizen", "auth": "author", "offA": "official",
    "offB": "other_official", "modA": "moderator", "modB": "other_moderator",
    "gmod": "global_moderator", "admin": "admin", "susp": "suspended",
}  # fmt: skip
ORIGIN = "http://testserver"
_n = itertools.count(1)


def tiny_pdf() -> bytes:
    """A real one-page PDF (pypdf writes it), as an official would upload."""
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def browser(app: Starlette, n: int) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(f"10.9.{n}.{n + 10}", 40000 + n))
    return httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={"Origin": ORIGIN}
    )


@dataclass
class World:
    app: Starlette
    a: Body
    b: Body
    users: dict[str, User]
    clients: dict[str, httpx.AsyncClient]
    tokens: dict[str, str]
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    fresh: dict[str, Callable[[], Awaitable[dict[str, str]]]] = field(default_factory=dict)

    async def refresh_token(self, role: str) -> None:
        self.tokens[role] = await csrf_token(self.clients[role], "/account/register/sent")

    async def resolve(self, template: str, cache: dict[str, dict[str, str]]) -> str:
        """``template`` with every ``{name}``, ``{name.part}``, ``{name*}`` filled in;
        ``cache`` holds the fresh copies made for this one request."""
        out = template
        for m in re.finditer(r"\{([a-z_]+)(\*?)(?:\.([a-z_]+))?\}", template):
            name, star, part = m.group(1), m.group(2), m.group(3) or "id"
            if star:
                if name not in cache:
                    cache[name] = await self.fresh[name]()
                values = cache[name]
            else:
                values = self.names[name]
            out = out.replace(m.group(0), values[part], 1)
        return out

    async def close(self) -> None:
        for c in self.clients.values():
            await c.aclose()


async def _comment(author: User, target_type: str, target_id: int, text: str, **kw: Any) -> Comment:
    return await Comment.create(
        target_type=target_type, target_id=target_id, author_id=author.id, body_raw=text,
        body_html=sanitize_comment(text), language="en", created_at=datetime.now(UTC),
        text_hash=text_hash(text), **kw,
    )  # fmt: skip


async def _petition(body: Body, creator: User, status: PetitionStatus, **kw: Any) -> Petition:
    now = datetime.now(UTC)
    opened = status in (PetitionStatus.OPEN, PetitionStatus.CLOSED)
    return await Petition.create(
        body=body, creator=creator, title=f"Repair the bridges of district {next(_n)}",
        action="Repair every bridge in the district before winter.", background="They are old.",
        details="", language="en", status=status, sponsor_token=secrets.token_urlsafe(16),
        submitted_at=None if status == PetitionStatus.SPONSORING else now - timedelta(days=1),
        opened_at=now - timedelta(days=1) if opened else None,
        closes_at=now + timedelta(days=30) if opened else None, **kw,
    )  # fmt: skip


async def _signature(p: Petition, email: str, user: User | None = None) -> Signature:
    now = datetime.now(UTC)
    return await Signature.create(
        petition_id=p.id, name="Sam Signer", email=email, canonical_email=canonical_email(email),
        region="tehran", ip="10.1.2.3", locale="en", user_id=user.id if user else None,
        status=SignatureStatus.CONFIRMED, created_at=now, confirmed_at=now,
    )  # fmt: skip


async def build_world(app: Starlette) -> World:
    """Everything the tables name, and one signed-in browser per role."""
    clear_all()
    settings = app.state.settings
    storage = storage_for(settings)
    pdf = tiny_pdf()
    a = await make_body("ministry", name="Ministry")
    b = await make_body("city", name="City")
    users = {
        "citizen": await make_user(name="Citizen"),
        "author": await make_user(name="Author"),
        "official": await make_user(name="Official of A"),
        "other_official": await make_user(name="Official of B"),
        "moderator": await make_user(name="Moderator of A"),
        "other_moderator": await make_user(name="Moderator of B"),
        "global_moderator": await make_user(name="Global moderator"),
        "admin": await make_user(name="Admin", admin=True),
        "suspended": await make_user(name="Suspended"),
    }
    for role, body, kind in (
        ("official", a, Role.PUBLISHER), ("other_official", b, Role.PUBLISHER),
        ("moderator", a, Role.MODERATOR), ("other_moderator", b, Role.MODERATOR),
        ("global_moderator", None, Role.MODERATOR),
    ):  # fmt: skip
        await Membership.create(user=users[role], body=body, role=kind)
    author, citizen = users["author"], users["citizen"]
    bystander = await make_user(name="Bystander")

    async def draft() -> dict[str, str]:
        c = await make_consultation(a, status="draft", sections=2)
        q = await Question.create(consultation=c, position=1, kind=QuestionKind.TEXT,
                                  i18n={"en": {"text": "Why?"}}, original_locale="en")  # fmt: skip
        key = storage.save("plan.pdf", pdf)
        at = await Attachment.create(consultation=c, storage_key=key, filename="plan.pdf",
                                     title="Plan", size=len(pdf))  # fmt: skip
        return {"id": c.slug, "qid": str(q.id), "aid": str(at.id)}

    async def opened() -> dict[str, str]:
        c = await make_consultation(a, status="open", sections=2)
        q = await Question.create(consultation=c, position=1, kind=QuestionKind.TEXT,
                                  i18n={"en": {"text": "Why?"}}, original_locale="en")  # fmt: skip
        key = storage.save("plan.pdf", pdf)
        at = await Attachment.create(consultation=c, storage_key=key, filename="plan.pdf",
                                     title="Plan", size=len(pdf))  # fmt: skip
        section = await c.sections.all().order_by("position").first()  # type: ignore[attr-defined]
        return {"id": c.slug, "qid": str(q.id), "aid": str(at.id), "section": str(section.id),
                "pk": str(c.id)}  # fmt: skip

    async def closed() -> dict[str, str]:
        c = await make_consultation(a, status="closed", sections=2)
        sections = await c.sections.all().order_by("position")  # type: ignore[attr-defined]
        return {"id": c.slug, "pk": str(c.id), "first_section": str(sections[0].id),
                "second_section": str(sections[1].id)}  # fmt: skip

    async def responded() -> dict[str, str]:
        """A closed consultation of A answered by A's publisher, with a commitment and a
        milestone (participation.accountability)."""
        names = await closed()
        official = await load_principal(users["official"].id)
        if official.user is not None:  # made for a test that has just suspended the official
            official.user.suspended_until = None
        keys = ["consultation:" + names["pk"], "section:" + names["first_section"],
                "section:" + names["second_section"]]  # fmt: skip
        r = await accountability.publish_response(
            official, "consultation", int(names["pk"]), locale="en", summary="We did it.",
            parts={k: accountability.PartText(Decision.KEPT, "", "Because.") for k in keys},
        )  # fmt: skip
        c = await accountability.create_commitment(official, r, locale="en", title="Paint lanes",
                                                   description="", due_on=None)  # fmt: skip
        m = await accountability.add_milestone(official, c, locale="en", title="Buy paint",
                                               due_on=datetime.now(UTC).date())  # fmt: skip
        return {"id": str(r.id), "commitment": str(c.id), "milestone": str(m.id)}

    open_names = await opened()
    section_id = int(open_names["section"])

    async def comment() -> dict[str, str]:
        c = await _comment(author, "section", section_id, f"An opinion {next(_n)}")
        return {"id": str(c.id)}

    async def hidden() -> dict[str, str]:
        c = await _comment(citizen, "section", section_id, f"Rude words {next(_n)}")
        await ModerationState.create(target_type="comment", target_id=c.id, flag_count=1,
                                     hidden_at=datetime.now(UTC), hidden_reason=FlagReason.OFFENSIVE,
                                     hidden_kind=HiddenKind.MODERATOR, author_id=citizen.id)  # fmt: skip
        return {"id": str(c.id)}

    async def appeal() -> dict[str, str]:
        hidden_comment = int((await hidden())["id"])
        row = await Appeal.create(target_type="comment", target_id=hidden_comment,
                                  author_id=citizen.id, text="It was a quotation.",
                                  created_at=datetime.now(UTC))  # fmt: skip
        return {"id": str(row.id)}

    async def suspended_person() -> dict[str, str]:
        u = await make_user()
        await User.filter(id=u.id).update(suspended_until=datetime.now(UTC) + timedelta(days=7),
                                          suspension_reason="Insults.")  # fmt: skip
        return {"id": str(u.id)}

    async def flagged() -> dict[str, str]:
        c = await _comment(citizen, "section", section_id, f"Spam {next(_n)}")
        await Flag.create(
            target_type="comment", target_id=c.id, user=bystander, reason=FlagReason.SPAM
        )
        await ModerationState.create(target_type="comment", target_id=c.id, flag_count=1,
                                     queued_at=datetime.now(UTC), author_id=citizen.id)  # fmt: skip
        return {"id": str(c.id)}

    async def campaign() -> dict[str, str]:
        # a letter of its own words, three copies, grouped by the integrity index
        words = " ".join("".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(7))
                         for _ in range(24))  # fmt: skip
        for who in (citizen, bystander, citizen):
            c = await _comment(who, "section", section_id, f"Please read this: {words}.")
        await index_new_comments()
        row = await IndexedComment.get(comment_id=c.id)
        return {"id": str(row.cluster_id)}

    async def pending() -> dict[str, str]:
        p = await _petition(a, author, PetitionStatus.MODERATION)
        return {"id": str(p.id)}

    open_petition = await _petition(a, author, PetitionStatus.OPEN)
    await _signature(open_petition, author.email, author)
    suspect = await _signature(open_petition, "someone@example.net")
    await Signature.filter(id=suspect.id).update(suspect=True)

    async def disown_token() -> dict[str, str]:
        """The link of a signature's confirmation mail (``/integrity/disown/link/...``)."""
        sig = await _signature(open_petition, f"victim{next(_n)}@example.net")
        return {"id": confirmation_token(settings.secret_key, sig.id)}

    async def invalidation() -> dict[str, str]:
        inv = await Invalidation.create(petition=open_petition, moderator_id=users["global_moderator"].id,
                                        criteria={"domain": "example.net"}, reason="bots")  # fmt: skip
        return {"id": str(inv.id)}

    async def block() -> dict[str, str]:
        row = await BlockedDomain.create(domain=f"spam{next(_n)}.example", reason="spam",
                                         created_by_id=users["admin"].id)  # fmt: skip
        return {"id": str(row.id)}

    async def new() -> dict[str, str]:
        name = f"new{next(_n)}-{secrets.token_hex(3)}"
        return {"id": name, "email": f"{name}@example.org", "domain": f"{name}.example"}

    async def new_user() -> dict[str, str]:
        u = await make_user()
        return {"email": u.email, "id": str(u.id)}

    async def membership() -> dict[str, str]:
        m = await Membership.create(user=await make_user(), body=a, role=Role.EDITOR)
        return {"id": str(m.id)}

    async def global_membership() -> dict[str, str]:
        m = await Membership.create(user=await make_user(), body=None, role=Role.MODERATOR)
        return {"id": str(m.id)}

    sponsoring = await _petition(a, author, PetitionStatus.SPONSORING)
    debated = await _petition(a, author, PetitionStatus.OPEN,
                              debate_threshold_at=datetime.now(UTC) - timedelta(days=1))  # fmt: skip
    world = World(app, a, b, users, {}, {})
    world.names = {
        "a": {"id": a.slug, "pk": str(a.id)}, "b": {"id": b.slug, "pk": str(b.id)},
        "draft": await draft(), "open": open_names, "closed": await closed(),
        "responded": await responded(),
        "comment": await comment(),
        "petition": {"id": str(open_petition.id), "signature": str(suspect.id)},
        "sponsoring": {"id": str(sponsoring.id), "token": sponsoring.sponsor_token},
        "pending": await pending(), "debated": {"id": str(debated.id)},
        "bystander": {"id": str(bystander.id), "email": bystander.email},
        "membership": {"id": str((await Membership.get(user=users["official"])).id)},
        "static": {"id": "site.css"}, "disown_token": await disown_token(),
    }  # fmt: skip
    world.fresh = {
        "draft": draft, "open": opened, "closed": closed, "comment": comment, "hidden": hidden,
        "responded": responded,
        "flagged": flagged, "campaign": campaign, "pending": pending,
        "invalidation": invalidation, "block": block, "membership": membership,
        "global_membership": global_membership, "new": new, "new_user": new_user,
        "appeal": appeal, "suspended_person": suspended_person, "disown_token": disown_token,
    }  # fmt: skip
    for n, role in enumerate(ROLES):
        client = browser(app, n)
        world.clients[role] = client
        if role != "anonymous":
            await login(client, users[role].email)
        await world.refresh_token(role)
    async with browser(app, len(ROLES)) as stranger:  # the attacker, as a visitor
        world.tokens["stranger"] = await csrf_token(stranger, "/account/register/sent")
    # suspended after signing in (by an administrator): the browser still holds the cookie
    await account_services.set_active(None, users["suspended"], False)
    return world


# ---- "nothing stored changes" ----------------------------------------------------------------
#
# A row trigger on every table of the database counts the rows inserted, updated or deleted, in
# the same transaction as the write (a write rolled back is not counted): one query tells
# whether a request stored anything. Installed for a module's run, removed after it.

COUNTER = "security_changes"


async def _tables(c: Any) -> list[str]:
    if c.capabilities.dialect == "postgres":
        sql = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    _n, rows = await c.execute_query(sql)
    return sorted(r["name"] for r in rows if r["name"] != COUNTER)


async def install_change_counter() -> None:
    c = connections.get("default")
    script = (f"CREATE TABLE IF NOT EXISTS {COUNTER} (n BIGINT NOT NULL); DELETE FROM {COUNTER};"
              f"INSERT INTO {COUNTER} (n) VALUES (0);")  # fmt: skip
    if c.capabilities.dialect == "postgres":
        script += (f"CREATE OR REPLACE FUNCTION {COUNTER}() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN UPDATE {COUNTER} SET n = n + 1; RETURN NULL; END $$;")  # fmt: skip
        for t in await _tables(c):
            script += (f'DROP TRIGGER IF EXISTS {COUNTER} ON "{t}"; CREATE TRIGGER {COUNTER} '
                       f'AFTER INSERT OR UPDATE OR DELETE ON "{t}" FOR EACH ROW '
                       f"EXECUTE FUNCTION {COUNTER}();")  # fmt: skip
    else:
        for t in await _tables(c):
            for op in ("INSERT", "UPDATE", "DELETE"):
                script += (f'CREATE TRIGGER IF NOT EXISTS "{COUNTER}_{t}_{op}" AFTER {op} ON "{t}" '
                           f"BEGIN UPDATE {COUNTER} SET n = n + 1; END;")  # fmt: skip
    await c.execute_script(script)


async def remove_change_counter() -> None:
    c = connections.get("default")
    if c.capabilities.dialect == "postgres":
        await c.execute_script(f"DROP FUNCTION IF EXISTS {COUNTER}() CASCADE;"
                               f"DROP TABLE IF EXISTS {COUNTER};")  # fmt: skip
    else:
        script = "".join(f'DROP TRIGGER IF EXISTS "{COUNTER}_{t}_{op}";'
                         for t in await _tables(c) for op in ("INSERT", "UPDATE", "DELETE"))  # fmt: skip
        await c.execute_script(script + f"DROP TABLE IF EXISTS {COUNTER};")


async def fingerprint() -> int:
    """How many rows have been written so far: equal before and after a refused request."""
    _n, rows = await connections.get("default").execute_query(f"SELECT n FROM {COUNTER}")
    return int(rows[0]["n"])
