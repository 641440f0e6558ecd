"""Benchmark data, loaded with PostgreSQL COPY (asyncpg ``copy_records_to_table``).

- consultation ``bench-100k`` (open) with 20 sections and 100,000 comments: section 1 holds
  half of them (50,000, the page of figures a and b), the 19 others share the rest; one comment
  in ten is a reply to an earlier top-level comment of its section;
- 1,000,000 votes on it: 990,000 on its comments (9 or 10 distinct voters each, their
  counters and "contested" key kept in step) and 500 on each of the 20 sections (tallies too);
- consultation ``bench-1k`` (open) with one section holding 1,000 comments (same shape, 10
  votes each): the page of the flatness figure's other end;
- 20,000 confirmed users (the authors and voters), one body owning both consultations.

Small rows (body, consultations, sections) go through the ORM; bulk rows through COPY with
explicit ids, then the sequences are moved past them and the tables analysed.
Run through ``python -m bench`` (or ``python -m bench.generate <database url>``).
"""

from __future__ import annotations

import hashlib
import random
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

BIG_SLUG = "bench-100k"
SMALL_SLUG = "bench-1k"
USERS = 20_000
BIG_COMMENTS = 100_000
HOT_SECTION_COMMENTS = 50_000
SECTIONS = 20
SMALL_COMMENTS = 1_000
SECTION_VOTES = 500
REPLY_EVERY = 10
CONTESTED_FACTOR = 1_000_000_000  # participation.comments.models.CONTESTED_FACTOR
CHUNK = 50_000

NOW = datetime.now(UTC).replace(microsecond=0)
SENTENCES = (
    "The targets for 2030 are welcome but the transition period is too long.",
    "Delivery vehicles should get help to switch to electric vans.",
    "Please publish the station data as open data every hour, not every day.",
    "Our neighbourhood has no monitoring station at all; add one near the schools.",
    "Low-emission zones work only with frequent, cheap buses.",
    "هوای پاک حق همهٔ شهروندان است و این سیاست گام خوبی است.",
    "مهلت دو ساله برای خودروهای توزیع بیش از حد طولانی است.",
    "لطفاً داده‌های ایستگاه‌ها را هر ساعت منتشر کنید.",
)


@dataclass
class Loaded:
    """What the benchmark needs to address the generated pages."""

    big_slug: str = BIG_SLUG
    small_slug: str = SMALL_SLUG
    hot_section_position: int = 1
    reader_id: int = 0  # a citizen who has voted on some comments: the signed-in reader
    reader_session: str = ""  # the token of a session of theirs (the cookie's ``sid``)
    counts: dict[str, int] = field(default_factory=dict)


def _text(rng: random.Random, i: int) -> str:
    parts = [SENTENCES[(i + k) % len(SENTENCES)] for k in range(1 + rng.randrange(3))]
    return " ".join(parts) + f" (#{i})"


class Ids:
    def __init__(self) -> None:
        self.comment = 0
        self.vote = 0


async def _check_columns(con: Any, table: str, given: tuple[str, ...]) -> None:
    rows = await con.fetch(
        "SELECT column_name, is_nullable = 'YES' AS nullable, column_default IS NOT NULL AS d"
        " FROM information_schema.columns WHERE table_name = $1",
        table,
    )
    if not rows:
        raise RuntimeError(f"table {table} does not exist")
    # Every NOT NULL column without a default must be given: the models may gain columns, and
    # this fails loudly rather than silently.
    names = {r[0] for r in rows}
    unknown = [c for c in given if c not in names]
    missing = [r[0] for r in rows if not r[1] and not r[2] and r[0] not in given]
    if unknown or missing:
        raise RuntimeError(
            f"table {table}: generator columns unknown {unknown}, not given {missing}"
        )


USER_COLS = ("id", "email", "password_hash", "display_name", "locale", "region",
             "email_confirmed_at", "is_admin", "is_active", "created_at", "auth_version",
             "suspension_reason")  # fmt: skip
COMMENT_COLS = (
    "id", "target_type", "target_id", "parent_id", "root_id", "depth", "author_id",
    "author_name", "stance", "body_raw", "body_html", "language", "channel", "received_at",
    "entered_by_id", "entered_by_body_id", "created_at", "edited_at", "deleted_at", "up_count",
    "down_count", "contested", "reply_count", "text_hash",
)  # fmt: skip
VOTE_COLS = ("id", "target_type", "target_id", "user_id", "value", "created_at", "updated_at")
TALLY_COLS = ("target_type", "target_id", "up", "down")


def _users(first_id: int) -> Iterator[tuple[Any, ...]]:
    names = ("Citizen", "Reza", "Sara", "Jane", "Ali", "Leila", "Maryam", "Omid")
    for i in range(USERS):
        uid = first_id + i
        yield (
            uid, f"bench-user-{i}@bench.example", "!", f"{names[i % len(names)]} {i}",
            "fa" if i % 3 == 0 else "en", "", NOW, False, True, NOW - timedelta(days=60), 1, "",
        )  # fmt: skip


@dataclass
class _Comment:
    row: list[Any]
    votes: list[tuple[int, int]]  # (user id, value)


def _comments(
    rng: random.Random, ids: Ids, user_ids: list[int], section_id: int, n: int,
    votes_of: Any, start: datetime,
) -> Iterator[_Comment]:  # fmt: skip
    """``n`` comments on one section, oldest first, one in REPLY_EVERY a reply to an earlier
    top-level comment; each with its votes and counters."""
    roots: list[list[Any]] = []
    step = timedelta(days=30) / max(n, 1)
    for i in range(n):
        ids.comment += 1
        cid = ids.comment
        text = _text(rng, cid)
        author = user_ids[rng.randrange(len(user_ids))]
        voters = rng.sample(user_ids, votes_of(i))
        votes = [(u, 1 if rng.random() < 0.6 else -1) for u in voters if u != author]
        up = sum(1 for _, v in votes if v == 1)
        down = len(votes) - up
        created = start + step * i
        is_reply = roots and i % REPLY_EVERY == REPLY_EVERY - 1
        parent = roots[rng.randrange(len(roots))] if is_reply else None
        stance = None if parent else ("for", "against", "neutral", None)[i % 4]
        row = [
            cid, "section", section_id, parent[0] if parent else None,
            parent[0] if parent else None, 1 if parent else 0, author, "", stance, text,
            f"<p>{text}</p>", "fa" if "ا" in text else "en", "online", None, None, None, created,
            None, None, up, down, min(up, down) * CONTESTED_FACTOR + up + down, 0,
            hashlib.sha256(text.encode()).hexdigest(),
        ]  # fmt: skip
        if parent is not None:
            parent[22] += 1  # reply_count of the parent row (not yet written: roots stay open)
        else:
            roots.append(row)
        yield _Comment(row, votes)


async def _copy(con: Any, table: str, cols: tuple[str, ...], rows: Iterator[tuple[Any, ...]]
                ) -> int:  # fmt: skip
    total = 0
    chunk: list[tuple[Any, ...]] = []
    for r in rows:
        chunk.append(r)
        if len(chunk) >= CHUNK:
            await con.copy_records_to_table(table, records=chunk, columns=cols)
            total += len(chunk)
            chunk = []
    if chunk:
        await con.copy_records_to_table(table, records=chunk, columns=cols)
        total += len(chunk)
    return total


async def _load_section(
    con: Any, rng: random.Random, ids: Ids, user_ids: list[int], section_id: int, n: int,
    votes_of: Any,
) -> tuple[int, int]:  # fmt: skip
    """Comments of one section and their votes; (comments, votes) written."""
    items = list(_comments(rng, ids, user_ids, section_id, n, votes_of, NOW - timedelta(days=31)))
    comments = await _copy(con, "comments", COMMENT_COLS, (tuple(c.row) for c in items))

    def vote_rows() -> Iterator[tuple[Any, ...]]:
        for c in items:
            for user_id, value in c.votes:
                ids.vote += 1
                at = c.row[16] + timedelta(minutes=5)
                yield (ids.vote, "comment", c.row[0], user_id, value, at, at)

    votes = await _copy(con, "votes", VOTE_COLS, vote_rows())
    return comments, votes


async def load(database_url: str, seed: int = 20261125) -> Loaded:
    """Fill an empty, migrated database."""
    import asyncpg
    from tortoise import Tortoise

    from consultations.models import Consultation, ConsultationBody, Section, SectionVersion, Status
    from participation.accounts.sessions import key_of
    from participation.db import tortoise_config
    from participation.organisations.models import Body
    from participation.settings import Settings

    rng = random.Random(seed)
    out = Loaded()
    started = time.perf_counter()
    settings = Settings(database_url=database_url, secret_key="bench")
    await Tortoise.init(config=tortoise_config(settings))
    try:
        body = await Body.create(slug="bench-ministry", i18n={"en": {"name": "Bench ministry"},
                                 "fa": {"name": "وزارت آزمون"}})  # fmt: skip
        sections: dict[str, list[Section]] = {}
        for slug, count, title in ((BIG_SLUG, SECTIONS, "One hundred thousand comments"),
                                   (SMALL_SLUG, 1, "One thousand comments")):  # fmt: skip
            c = await Consultation.create(
                slug=slug, body=body, status=Status.OPEN, original_locale="en",
                i18n={"en": {"title": title, "summary": "A benchmark consultation.",
                             "body": "Generated by bench/generate.py."}},
                search_text=title.lower(), opens_at=NOW - timedelta(days=31),
                opened_at=NOW - timedelta(days=31), closes_at=NOW + timedelta(days=60),
            )  # fmt: skip
            await ConsultationBody.create(consultation=c, body=body)
            sections[slug] = []
            for pos in range(1, count + 1):
                i18n = {
                    "en": {
                        "title": f"Article {pos}",
                        "text": "The policy sets targets for cleaner air.\n\n" * 3,
                    }
                }
                s = await Section.create(consultation=c, position=pos, i18n=i18n, version=1,
                                         original_locale="en")  # fmt: skip
                await SectionVersion.create(section=s, number=1, i18n=i18n, original_locale="en",
                                            published_at=NOW - timedelta(days=31))  # fmt: skip
                sections[slug].append(s)
    finally:
        await Tortoise.close_connections()

    con = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        for table, cols in (("users", USER_COLS), ("comments", COMMENT_COLS),
                            ("votes", VOTE_COLS), ("vote_tallies", TALLY_COLS)):  # fmt: skip
            await _check_columns(con, table, cols)
        first_user = int(await con.fetchval("SELECT coalesce(max(id), 0) + 1 FROM users"))
        out.counts["users"] = await _copy(con, "users", USER_COLS, _users(first_user))
        user_ids = list(range(first_user, first_user + USERS))
        out.reader_id = first_user
        out.reader_session = secrets.token_urlsafe(32)
        await con.execute(
            "INSERT INTO sessions (id, user_id, created_at, last_seen) VALUES ($1, $2, $3, $3)",
            key_of(out.reader_session), first_user, datetime.now(UTC),
        )  # fmt: skip
        ids = Ids()
        ids.comment = int(await con.fetchval("SELECT coalesce(max(id), 0) FROM comments"))
        ids.vote = int(await con.fetchval("SELECT coalesce(max(id), 0) FROM votes"))

        def big_votes(i: int) -> int:  # 90 % of comments get 10 voters, 10 % get 9
            return 9 if i % 10 == 0 else 10

        rest = BIG_COMMENTS - HOT_SECTION_COMMENTS
        per_other, extra = divmod(rest, SECTIONS - 1)
        big_comments = big_comment_votes = 0
        for k, s in enumerate(sections[BIG_SLUG]):
            n = HOT_SECTION_COMMENTS if k == 0 else per_other + (1 if k <= extra else 0)
            c_n, v_n = await _load_section(con, rng, ids, user_ids, s.id, n, big_votes)
            big_comments += c_n
            big_comment_votes += v_n
        small = sections[SMALL_SLUG][0]
        small_comments, small_votes = await _load_section(
            con, rng, ids, user_ids, small.id, SMALL_COMMENTS, lambda i: 10
        )
        # Votes on the sections bring the big consultation to exactly 1,000,000.
        section_votes = 1_000_000 - big_comment_votes
        per_section, extra_v = divmod(section_votes, SECTIONS)
        tallies = []

        def section_vote_rows() -> Iterator[tuple[Any, ...]]:
            for k, s in enumerate(sections[BIG_SLUG]):
                n = per_section + (1 if k < extra_v else 0)
                up = 0
                for u in rng.sample(user_ids, n):
                    ids.vote += 1
                    value = 1 if rng.random() < 0.55 else -1
                    up += value == 1
                    yield (ids.vote, "section", s.id, u, value, NOW, NOW)
                tallies.append(("section", s.id, up, n - up))

        big_section_votes = await _copy(con, "votes", VOTE_COLS, section_vote_rows())
        await _copy(con, "vote_tallies", TALLY_COLS, iter(tallies))
        for table in ("users", "comments", "votes"):
            await con.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
        await con.execute("ANALYZE")
        out.counts.update({
            "big_comments": big_comments, "hot_section_comments": HOT_SECTION_COMMENTS,
            "big_votes": big_comment_votes + big_section_votes,
            "small_comments": small_comments, "small_votes": small_votes,
        })  # fmt: skip
        # The load is checked, not assumed.
        got = await con.fetchval(
            "SELECT count(*) FROM comments c JOIN consultation_sections s ON s.id = c.target_id"
            " JOIN consultations k ON k.id = s.consultation_id"
            " WHERE c.target_type = 'section' AND k.slug = $1", BIG_SLUG,
        )  # fmt: skip
        votes_big = await con.fetchval(
            "SELECT (SELECT count(*) FROM votes v JOIN comments c ON c.id = v.target_id"
            "  JOIN consultation_sections s ON s.id = c.target_id"
            "  JOIN consultations k ON k.id = s.consultation_id"
            "  WHERE v.target_type = 'comment' AND c.target_type = 'section' AND k.slug = $1)"
            " + (SELECT count(*) FROM votes v JOIN consultation_sections s ON s.id = v.target_id"
            "  JOIN consultations k ON k.id = s.consultation_id"
            "  WHERE v.target_type = 'section' AND k.slug = $1)", BIG_SLUG,
        )  # fmt: skip
        if got != BIG_COMMENTS or votes_big != 1_000_000:
            raise RuntimeError(f"loaded {got} comments and {votes_big} votes, not 100k / 1M")
    finally:
        await con.close()
    out.counts["seconds"] = round(time.perf_counter() - started)
    return out


if __name__ == "__main__":
    import asyncio

    print(asyncio.run(load(sys.argv[1])))
