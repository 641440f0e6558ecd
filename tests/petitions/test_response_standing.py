"""A petition past its response threshold says where the response stands once, in the
accountability panel ("due in N days", "overdue by N days"): never "must respond by <date>"
after the date has passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from petitions.models import Petition, ResponseObligation
from tests.factories import make_body
from tests.petitions.conftest import make_petition


async def _owed(days_left: float) -> Petition:
    body = await make_body(names={"en": "City council", "fa": "شورای شهر"})
    p = await make_petition(body)
    now = datetime.now(UTC)
    await Petition.filter(id=p.id).update(response_threshold_at=now - timedelta(days=100))
    await ResponseObligation.create(petition_id=p.id, body_id=body.id,
                                    deadline=now + timedelta(days=days_left))  # fmt: skip
    return p


@pytest.mark.parametrize(
    ("locale", "overdue", "due"),
    [("en", "overdue by 10 days", "due in 5 days"),
     ("fa", "۱۰ روز گذشته از مهلت", "۵ روز تا مهلت")],
)  # fmt: skip
async def test_the_page_says_overdue_after_the_deadline_and_due_before(
    client, locale: str, overdue: str, due: str
) -> None:
    late = await _owed(-10 + 1 / 24)  # ten days past the deadline (less an hour)
    r = await client.get(f"/petitions/{late.id}", params={"lang": locale})
    assert r.status_code == 200
    assert overdue in r.text
    assert "must respond by" not in r.text
    assert r.text.count('id="accountability"') == 1  # the one statement, linked to
    assert 'href="#accountability"' in r.text

    soon = await _owed(5 - 1 / 24)
    r = await client.get(f"/petitions/{soon.id}", params={"lang": locale})
    assert due in r.text and overdue not in r.text
