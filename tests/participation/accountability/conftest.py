"""A closed consultation of a body with a publisher, and a report snapshot to cite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from consultations.models import Consultation, Section
from participation.accountability.services import PartText, part_key
from participation.accounts.principal import Principal, load_principal
from participation.organisations.models import Body, Role
from participation.reports.models import ReportSnapshot, ReportStatus
from tests.factories import make_body, make_consultation, make_official, make_user


@dataclass
class World:
    body: Body
    other: Body
    consultation: Consultation
    sections: list[Section]
    publisher: Principal
    editor: Principal
    stranger: Principal  # a publisher of another body
    citizen: Principal
    closed_at: datetime


def answers(w: World, decision: str = "changed") -> dict[str, PartText]:
    """A decision and texts for the whole and each section."""
    from participation.accountability.models import Decision

    out = {
        part_key("consultation", w.consultation.id): PartText(
            Decision(decision), "People asked for more bike lanes.", "Because they were right."
        )
    }
    for s in w.sections:
        out[part_key("section", s.id)] = PartText(Decision.KEPT, "", "It works as it is.")
    return out  # fmt: skip


@pytest.fixture
async def world(db: Any) -> World:
    body = await make_body(names={"en": "Ministry of Roads", "fa": "وزارت راه"},
                           settings={"consultation_response_days": 30})  # fmt: skip
    other = await make_body()
    c = await make_consultation(body, status="closed")
    closed_at = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    await Consultation.filter(id=c.id).update(closed_at=closed_at)
    c = await Consultation.get(id=c.id)
    sections = list(await Section.filter(consultation_id=c.id).order_by("position"))
    await ReportSnapshot.create(
        target_type="consultation", target_id=c.id, version=3, status=ReportStatus.DONE,
        built_at=closed_at + timedelta(hours=2),
        data={"participation": {"people": 120, "comments": 80},
              "stances": {"whole": {"comments": 20, "for_pct": 60.0, "against_pct": 30.0},
                          "sections": [{"position": 1, "comments": 50, "for_pct": 10.0,
                                        "against_pct": 80.0}]}},
    )  # fmt: skip
    publisher = await make_official(body, Role.PUBLISHER)
    editor = await make_official(body, Role.EDITOR)
    stranger = await make_official(other, Role.PUBLISHER)
    citizen = await make_user()
    return World(
        body, other, c, sections,
        await load_principal(publisher.id), await load_principal(editor.id),
        await load_principal(stranger.id), await load_principal(citizen.id), closed_at,
    )  # fmt: skip
