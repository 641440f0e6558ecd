"""Demo petitions (idempotent): open ones in four languages, one waiting for moderation, one
rejected, one past the response threshold with its signatures counted by the counter, one
hidden by a moderator, and a scripted wave of signatures held for review on the English one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from participation.accounts.models import User
from participation.accounts.principal import load_principal
from participation.moderation import services as moderation
from participation.moderation.models import FlagReason
from participation.organisations.body_settings import settings_of
from participation.organisations.models import Body
from participation.settings import Settings
from petitions.counting import count_signatures, hold_waves
from petitions.forms import PetitionInput, RejectInput
from petitions.lifecycle import create_petition, publish_petition, reject_petition
from petitions.models import Petition, RejectReason, Signature, SignatureStatus, Status
from petitions.regions import REGION_CODES
from petitions.signing import canonical_email, check_sponsors

# (creator e-mail, body slug, language, status, title, action, background)
DEMO: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("shahrvand@example.org", "tehran-municipality", "fa", "open",
     "ایجاد مسیر دوچرخه‌سواری امن در خیابان ولیعصر",
     "از شهرداری می‌خواهیم یک مسیر دوچرخه‌سواری جداشده در تمام طول خیابان ولیعصر بسازد.",
     "دوچرخه‌سواران امروز در کنار خودروها و اتوبوس‌ها رکاب می‌زنند و هر سال تصادف‌های زیادی رخ می‌دهد."),
    ("muwatin@example.org", "ministry-of-roads", "ar", "open",
     "إنارة الطريق بين الأهواز وعبادان",
     "نطلب من الوزارة تركيب إنارة على كامل الطريق بين الأهواز وعبادان.",
     "الطريق مظلم ليلاً وتقع عليه حوادث كثيرة."),
    ("moderator@example.org", "road-maintenance-organization", "fr", "open",
     "Réparer les nids-de-poule de la route d'Ispahan",
     "Nous demandons la réparation des nids-de-poule sur la route d'Ispahan avant l'hiver.",
     "Les trous abîment les véhicules et mettent les motards en danger."),
    ("citizen@example.org", "tehran-municipality", "en", "open",
     "Keep public libraries open in the evening",
     "Open every public library in the city until 21:00 on weekdays.",
     "Students and working people cannot visit libraries that close at 16:00."),
    ("citizen@example.org", "ministry-of-roads", "en", "moderation",
     "Publish the road safety audit of every highway",
     "Publish the latest road safety audit report for every national highway.",
     "The audits are paid for by the public but never published."),
    ("shahrvand@example.org", "ministry-of-roads", "fa", "rejected",
     "کاهش قیمت بلیت مترو",
     "از وزارت راه می‌خواهیم قیمت بلیت مترو را کاهش دهد.",
     "قیمت بلیت برای دانشجویان گران است."),
    ("citizen@example.org", "tehran-municipality", "en", "threshold",
     "Plant ten thousand trees along the city's highways",
     "Plant ten thousand trees along the highways inside the city within two years.",
     "Shade and cleaner air for everyone who walks or waits for a bus by the highways."),
    ("citizen@example.org", "tehran-municipality", "en", "hidden",
     "Name and shame the neighbours who park on the pavement",
     "Publish the names and home addresses of everyone fined for parking on the pavement.",
     "People should know who they are."),
)  # fmt: skip


async def _signatures(p: Petition, n: int) -> None:
    """Confirmed signatures inserted cheaply, spread over a month and many addresses."""
    start = datetime.now(UTC) - timedelta(days=30)
    step = timedelta(days=29) / max(n, 1)
    batch: list[Signature] = []
    for i in range(n):
        email = f"demo-signer-{p.id}-{i}@example.net"
        t = start + step * i
        batch.append(Signature(
            petition_id=p.id, name=f"Demo signer {i}", email=email,
            canonical_email=canonical_email(email), region=REGION_CODES[i % len(REGION_CODES)],
            opt_in=False, ip=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}", locale="en",
            status=SignatureStatus.CONFIRMED, created_at=t, confirmed_at=t,
        ))  # fmt: skip
        if len(batch) == 2000:
            await Signature.bulk_create(batch)
            batch = []
    if batch:
        await Signature.bulk_create(batch)


async def seed_demo(settings: Settings, log: Callable[[str], object] = print) -> None:
    moderator = await User.get_or_none(email="moderator@example.org")
    created = 0
    waved: list[int] = []
    for email, slug, language, state, title, action, background in DEMO:
        if await Petition.exists(title=title):
            continue
        user = await User.get_or_none(email=email)
        body = await Body.get_or_none(slug=slug)
        if user is None or body is None or moderator is None:
            log(f"petitions: demo user {email} or body {slug} missing; skipped {title[:30]}")
            continue
        written = PetitionInput.model_validate(
            {"body_id": body.id, "title": title, "action": action, "background": background,
             "language": language, "region": REGION_CODES[0]},
            context={"body_ids": {body.id}},
        )  # fmt: skip
        p = await create_petition(
            user.id, written, signer_name=user.display_name, signer_email=user.email
        )
        await _sponsor(p)
        if state in ("open", "threshold", "hidden"):
            await publish_petition(moderator.id, p.id)
        elif state == "rejected":
            await reject_petition(moderator.id, p.id, RejectInput(
                reason=RejectReason.NOT_RESPONSIBLE.value,
                text="Metro fares are set by the city council, not by the ministry.",
            ))  # fmt: skip
        if state == "open":
            await _signatures(p, 40 + 15 * created)
            if language == "en":
                await _scripted_wave(p)
                waved.append(p.id)
        elif state == "threshold":
            await _signatures(p, settings_of(body).petition_response_threshold + 25)
        elif state == "hidden":  # readers see a placeholder saying so and why
            await moderation.hide(
                await load_principal(moderator.id), "petition", p.id, FlagReason.PERSONAL_DATA,
                "It asks for people's home addresses.", base_url=settings.base_url,
            )  # fmt: skip
        created += 1
    while (await count_signatures()).rows:
        pass
    held = await hold_waves(petition_ids=waved) if waved else {}
    log(f"petitions: {created} demo petition(s) created and counted; "
        f"{sum(held.values())} signatures of a scripted wave held for review")  # fmt: skip


WAVE_LETTERS = "bcdfghjklmnpqrstvwxz"


async def _scripted_wave(p: Petition) -> None:
    """A scripted wave for moderators to review (``make run``: the petition's "Review
    signatures" page): in the last quarter of an hour, one every ten seconds, made-up names and
    addresses from one network walked address by address."""
    now = datetime.now(UTC)
    rows: list[Signature] = []
    for k in range(60):
        word = "".join(WAVE_LETTERS[(k * 7 + j * 3) % len(WAVE_LETTERS)] for j in range(7))
        local = f"{word}{1000 + k * 37}"
        t = now - timedelta(minutes=12) + timedelta(seconds=10 * k)
        rows.append(Signature(
            petition_id=p.id, name=word.capitalize(), email=f"{local}@bulk-mail.example",
            canonical_email=f"{local}@bulk-mail.example", region=REGION_CODES[0], opt_in=False,
            ip=f"203.0.113.{k + 1}", locale="en", status=SignatureStatus.CONFIRMED,
            created_at=t, confirmed_at=t,
        ))  # fmt: skip
    await Signature.bulk_create(rows)


async def _sponsor(p: Petition) -> None:
    """Demo sponsors (confirmed) and the move to the moderation queue."""
    from participation.settings import Settings

    now = datetime.now(UTC)
    rows: list[Any] = []
    for i in range(Settings.petition_sponsors_needed):
        email = f"demo-sponsor-{p.id}-{i}@example.net"
        rows.append(Signature(
            petition_id=p.id, name=f"Sponsor {i}", email=email,
            canonical_email=canonical_email(email), region=REGION_CODES[i], opt_in=False,
            ip=f"10.250.{p.id % 256}.{i}", locale=p.language, sponsor=True,
            status=SignatureStatus.CONFIRMED, created_at=now - timedelta(hours=i + 1),
            confirmed_at=now,
        ))  # fmt: skip
    await Signature.bulk_create(rows)
    await check_sponsors(p.id, Settings.petition_sponsors_needed)
    assert (await Petition.get(id=p.id)).status == Status.MODERATION
