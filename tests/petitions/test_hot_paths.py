"""The two hot paths written twice, once for PostgreSQL's speed and once plainly, must agree:
hypothesis feeds both the same generated signatures and compares what they decide. They run
on PostgreSQL, where both implementations are available."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participation.models import OutboxJob
from petitions import counting
from petitions.models import Signature, Status
from petitions.signing import CONFIRMATION_JOB, NewSignature, SignatureBatcher, insert_simple
from tests.factories import make_body
from tests.petitions.conftest import make_petition

EXAMPLES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

# a signature: which petition, which address (several spellings of few mailboxes), sponsor or
# not, proven (signed in with that address) or not
signatures = st.lists(
    st.tuples(
        st.sampled_from(list(Status)),
        st.sampled_from(["ana", "Ana", "ana+petitions", "a.na", "bo"]),
        st.sampled_from(["example.org", "gmail.com", "googlemail.com"]),
        st.booleans(),
        st.booleans(),
    ),
    min_size=1,
    max_size=14,
)


@pytest.mark.postgres
@EXAMPLES
@given(signatures)
async def test_the_batch_insert_decides_as_one_by_one_inserts(db, items) -> None:
    body = await make_body()
    one_by_one = {status: await make_petition(body, status=status) for status in Status}
    batched = {status: await make_petition(body, status=status) for status in Status}

    def new(petitions, status, local, domain, sponsor, proven) -> NewSignature:
        return NewSignature(
            petition_id=petitions[status].id, name=f"{local} {sponsor}", email=f"{local}@{domain}",
            region="fars", opt_in=proven, ip="192.0.2.1", locale="en", confirmed=proven,
            sponsor=sponsor,
        )  # fmt: skip

    simple = [await insert_simple(new(one_by_one, *item)) for item in items]
    batch = await SignatureBatcher().flush([new(batched, *item) for item in items])
    assert batch == simple

    async def stored(petitions) -> tuple[set[tuple], list[tuple]]:
        status_of = {p.id: s for s, p in petitions.items()}
        rows = await Signature.filter(petition_id__in=list(status_of)).values(
            "petition_id", "canonical_email", "name", "status", "sponsor", "opt_in"
        )
        signed = {(status_of[r.pop("petition_id")], *r.values()) for r in rows}
        mailed = []
        for job in await OutboxJob.filter(name=CONFIRMATION_JOB).order_by("id"):
            mailed += [(status_of[pid], email) for pid, email in job.kwargs["keys"]
                       if pid in status_of]  # fmt: skip
        return signed, sorted(mailed)

    assert await stored(batched) == await stored(one_by_one)


# bursts of signatures of two petitions from a few addresses (one empty), spaced near the
# rule's edges (a minute exclusive, five minutes inclusive), some at the same moment
bursts = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.sampled_from(["198.51.100.7", "198.51.100.8", ""]),
        st.integers(0, 20).map(lambda k: 30 * k),
        st.sampled_from([0, 1, 30, 59, 60, 61, 75]),
        st.integers(1, 7),
        st.sampled_from([0, 0, 1, 999_999]),
    ),
    min_size=1,
    max_size=6,
)


def moments(made: list[tuple[int, str, int, int, int, int]]) -> list[tuple[int, str, timedelta]]:
    return [
        (which, ip, timedelta(seconds=start + k * spacing, microseconds=jitter * (k % 2)))
        for which, ip, start, spacing, count, jitter in made
        for k in range(count)
    ]


@pytest.mark.postgres
@EXAMPLES
@given(bursts)
async def test_the_rate_rule_in_sql_and_in_python_agree(db, made) -> None:
    body = await make_body()
    petitions = [await make_petition(body), await make_petition(body)]
    await Signature.bulk_create([
        Signature(
            petition_id=petitions[which].id, name="S", email=f"s{i}@example.net",
            canonical_email=f"s{i}@example.net", region="fars", ip=ip, locale="en",
            status="confirmed", created_at=START + at, sponsor=i % 3 == 0,
        )
        for i, (which, ip, at) in enumerate(moments(made))
    ])  # fmt: skip
    rows = await Signature.filter(petition_id__in=[p.id for p in petitions]).values(
        "id", "petition_id", "ip", "created_at", "sponsor"
    )
    in_sql = await counting.rate_suspect_ids(rows, in_database=True)
    in_python = await counting.rate_suspect_ids(rows, in_database=False)
    assert in_sql == in_python
