"""The periodic jobs next to the reports, run twice: idempotent. (Each one's isolation per
item is tested beside it: the nightly report refresh with a consultation whose build fails,
tests/consultations/test_report.py; the petition summaries with a petition that fails,
test_petition_summary.py; the comment digest next to a deleted target,
tests/reliability/test_periodic_isolation.py.) The pending-signature expiry is one
set-based DELETE: no row of it can fail alone, and what it leaves is tested here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from petitions import tasks
from petitions.models import PetitionStatus, Signature, SignatureStatus
from tests.factories import make_body
from tests.petitions.conftest import add_signatures, make_petition


async def test_the_hourly_expiry_removes_week_old_pending_signatures_once(db: Any) -> None:
    body = await make_body("ministry")
    open_p = await make_petition(body)
    closed_p = await make_petition(body, status=PetitionStatus.CLOSED)
    old = datetime.now(UTC) - timedelta(days=8)
    gone = await add_signatures(open_p, 2, confirmed=False, at=old)
    gone += await add_signatures(closed_p, 1, confirmed=False, at=old)
    kept = await add_signatures(open_p, 1, confirmed=False)  # this week's
    kept += await add_signatures(open_p, 2, at=old)  # confirmed long ago
    kept += await add_signatures(closed_p, 1, at=old)
    assert await tasks.expire_pending_signatures({}) == 3
    assert await tasks.expire_pending_signatures({}) == 0  # run again: nothing more
    left = set(await Signature.all().values_list("id", flat=True))
    assert left == {s.id for s in kept} and not left & {s.id for s in gone}
    assert await Signature.filter(status=SignatureStatus.PENDING).count() == 1
