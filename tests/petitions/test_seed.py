"""The demo data: idempotent, four languages, every state, one past the response threshold,
one hidden by a moderator."""

from __future__ import annotations

from participation.accounts.seed import seed_demo as seed_accounts
from participation.moderation.models import ModerationState
from participation.organisations.seed import seed_demo as seed_bodies
from participation.settings import Settings
from petitions.models import Petition, ResponseObligation, Signature, Status
from petitions.seed import seed_demo


async def test_seed_is_idempotent_and_covers_every_state(db, settings: Settings):
    lines: list[str] = []
    await seed_accounts(settings, lines.append)
    await seed_bodies(settings, lines.append)
    await seed_demo(settings, lines.append)
    count = await Petition.all().count()
    rows = await Signature.all().count()
    await seed_demo(settings, lines.append)
    assert await Petition.all().count() == count == 8
    assert await Signature.all().count() == rows
    open_langs = set(await Petition.filter(status=Status.OPEN).values_list("language", flat=True))
    assert open_langs == {"fa", "ar", "fr", "en"}
    assert await Petition.filter(status=Status.MODERATION).count() == 1
    assert await Petition.filter(status=Status.REJECTED).count() == 1
    big = await Petition.get(title="Plant ten thousand trees along the city's highways")
    assert big.signature_count >= 10_000 and big.response_threshold_at is not None
    assert await ResponseObligation.filter(petition_id=big.id).count() == 1
    hidden = await Petition.get(title__startswith="Name and shame")
    state = await ModerationState.get(target_type="petition", target_id=hidden.id)
    assert state.hidden_at is not None and state.hidden_reason == "personal_data"


async def test_the_demo_has_a_scripted_wave_to_review(db, settings: Settings):
    from petitions.models import SignatureWave

    await seed_accounts(settings, [].append)
    await seed_bodies(settings, [].append)
    await seed_demo(settings, [].append)
    p = await Petition.get(title="Keep public libraries open in the evening")
    wave = await SignatureWave.get(petition_id=p.id)
    held = await Signature.filter(wave_id=wave.id, suspect=True).count()
    assert held == 60 and p.under_review == 60 and wave.reasons
