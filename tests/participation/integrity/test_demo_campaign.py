"""The demo seed plants a campaign that the moderation queue shows at once."""

from __future__ import annotations

from consultations import seed
from consultations.models import Consultation
from participation.accounts import seed as account_seed
from participation.integrity import queries
from participation.organisations import seed as organisation_seed
from participation.settings import Settings


async def test_demo_campaign_is_two_groups_in_the_index(db: object, settings: Settings) -> None:
    lines: list[str] = []
    await account_seed.seed_demo(settings, lines.append)
    await organisation_seed.seed_demo(settings, lines.append)
    await seed.seed_demo(settings, lines.append)
    c = await Consultation.get(slug=seed.OPEN_SLUG)
    groups = await queries.campaign_groups("consultation", c.id)
    sizes = sorted(g.size for g in groups)
    assert sizes == [len(seed.CAMPAIGN_COPIES["fa"]), len(seed.CAMPAIGN_COPIES["en"])]
    assert any("campaign" in line for line in lines)
