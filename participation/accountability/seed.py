"""Demo accountability (idempotent; runs after the consultations and petitions seeds): the
obligations they owe are recorded; the demo's closed consultation gets its response ("we
asked, you said, we did") in English, Persian, Arabic and French with two commitments (one
in progress with milestones and updates, one done); the petition past its threshold stays
owed, and so does the ministry's consultation closed long ago (overdue). The city gives itself
a week to respond to a consultation, so the response is published late, after the daily job
marked it overdue. Obligations are recorded and marked overdue on every run; the response
and commitments only once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from participation import domains
from participation.accountability import queries, services
from participation.accountability.models import CommitmentStatus, Decision, Response
from participation.accountability.scoreboard import refresh_scoreboard
from participation.accountability.services import PartText, part_key
from participation.accounts.models import User
from participation.accounts.principal import load_principal
from participation.organisations.models import Body, Membership, Role
from participation.settings import Settings

Log = Callable[[str], object]
CITY = "tehran-municipality"
RESPONSE_DAYS = 7

SUMMARY = {
    "en": "Libraries will open until 21:00 and on Fridays, starting with ten branches.",
    "fa": "کتابخانه‌ها تا ساعت ۲۱ و در روزهای جمعه باز خواهند بود؛ نخست در ده شعبه.",
    "ar": "ستفتح المكتبات حتى الساعة 21:00 وأيام الجمعة، بدءًا بعشرة فروع.",
    "fr": "Les bibliothèques ouvriront jusqu’à 21 h et le vendredi, d’abord dans dix antennes.",
}
SAID = {
    "en": "Everyone who answered wants Friday opening and finds evening opening useful.",
    "fa": "همه پاسخ‌دهندگان باز بودن در روز جمعه را می‌خواهند و باز بودن عصرها را مفید می‌دانند.",
    "ar": "كل من أجاب يريد الفتح يوم الجمعة ويجد الفتح المسائي مفيدًا.",
    "fr": "Toutes les personnes qui ont répondu veulent l’ouverture le vendredi et la trouvent utile le soir.",
}
WHY = {
    "en": "The evening hours were kept and Friday opening was added, as people asked.",
    "fa": "ساعت‌های عصر حفظ شد و باز بودن در روز جمعه، چنان که مردم خواستند، افزوده شد.",
    "ar": "أُبقيت الساعات المسائية وأُضيف الفتح يوم الجمعة كما طلب الناس.",
    "fr": "Les horaires du soir sont maintenus et l’ouverture le vendredi est ajoutée, comme demandé.",
}
COMMITMENTS = (
    ({"en": ("Open ten libraries on Fridays", "Ten branches, one in each district, open on Fridays from 10:00 to 18:00."),
      "fa": ("باز کردن ده کتابخانه در روزهای جمعه", "ده شعبه، در هر منطقه یکی، جمعه‌ها از ساعت ۱۰ تا ۱۸ باز است."),
      "ar": ("فتح عشر مكتبات أيام الجمعة", "عشرة فروع، واحد في كل منطقة، تفتح أيام الجمعة من 10:00 إلى 18:00."),
      "fr": ("Ouvrir dix bibliothèques le vendredi", "Dix antennes, une par quartier, ouvertes le vendredi de 10 h à 18 h.")},
     120, CommitmentStatus.IN_PROGRESS, 40),
    ({"en": ("Publish the new opening hours", "The new hours on every library's door and on the city's site."),
      "fa": ("انتشار ساعت‌های تازه کار", "ساعت‌های تازه روی در هر کتابخانه و در وبگاه شهر."),
      "ar": ("نشر ساعات العمل الجديدة", "الساعات الجديدة على باب كل مكتبة وعلى موقع المدينة."),
      "fr": ("Publier les nouveaux horaires", "Les nouveaux horaires sur la porte de chaque bibliothèque et sur le site de la ville.")},
     30, CommitmentStatus.DONE, 100),
)  # fmt: skip
NOTE = {
    "en": "Four of the ten branches now open on Fridays.",
    "fa": "چهار شعبه از ده شعبه اکنون جمعه‌ها باز است.",
    "ar": "أربعة من الفروع العشرة تفتح الآن أيام الجمعة.",
    "fr": "Quatre des dix antennes ouvrent désormais le vendredi.",
}
MILESTONE = {
    "en": "Staff hired for the Friday shifts",
    "fa": "استخدام کارکنان برای نوبت‌های جمعه",
    "ar": "توظيف العاملين لمناوبات الجمعة",
    "fr": "Personnel recruté pour les vendredis",
}


async def seed_demo(settings: Settings, log: Log = print) -> None:
    answered_before = await Response.exists()
    city = await Body.get_or_none(slug=CITY)
    if city is not None and not answered_before:  # the city answers within a week
        city.settings = {**(city.settings or {}), "consultation_response_days": RESPONSE_DAYS}
        await city.save(update_fields=["settings"])
    # what is owed is recorded on every run (as the hourly job does), so a consultation the
    # other seeds added since (the one nobody answered) shows as overdue in the demo
    created = await services.record_obligations()
    now = datetime.now(UTC)
    overdue = await services.mark_overdue(settings.base_url, now)
    log(f"accountability: {created} obligation(s) recorded, {len(overdue)} overdue")
    host = domains.accountability_hosts().get("consultation")
    if host is None:
        return
    for owed in [] if answered_before else await host.all_owed():  # the first closed one
        ob = await queries.obligation("consultation", owed.target_id)
        if ob is None or ob.answered_at is not None:
            continue
        member = await Membership.filter(body_id=ob.body_id, role=Role.PUBLISHER).first()
        if member is None:
            continue
        await _respond(settings, log, host, owed.target_id, member.user_id, now)
        break
    log(f"accountability: scoreboard of {await refresh_scoreboard()} bodies computed")


async def _respond(
    settings: Settings, log: Log, host: object, target_id: int, user_id: int, now: datetime
) -> None:
    publisher = await load_principal(user_id)
    target = await host.load(target_id)  # type: ignore[attr-defined]
    parts = await host.parts(target)  # type: ignore[attr-defined]
    keys = [part_key(p.target_type, p.target_id) for p in parts]

    def texts(loc: str, decision: bool = True) -> dict[str, PartText]:
        return {
            k: PartText(Decision.CHANGED if decision else None, SAID[loc], WHY[loc]) for k in keys
        }

    r = await services.publish_response(
        publisher, "consultation", target_id, locale="en", summary=SUMMARY["en"],
        parts=texts("en"), now=now,
    )  # fmt: skip
    for loc in ("fa", "ar", "fr"):
        await services.translate_response(publisher, r, locale=loc, summary=SUMMARY[loc],
                                          parts=texts(loc, False))  # fmt: skip
    citizen = await User.get_or_none(email="citizen@example.org")
    for i18n, due_days, status, progress in COMMITMENTS:
        c = await services.create_commitment(
            publisher, r, locale="en", title=i18n["en"][0], description=i18n["en"][1],
            due_on=(now + timedelta(days=due_days)).date(), part_keys=keys[1:2], now=now,
        )  # fmt: skip
        for loc in ("fa", "ar", "fr"):
            await services.translate_commitment(publisher, c, locale=loc, title=i18n[loc][0],
                                                description=i18n[loc][1])  # fmt: skip
        if status == CommitmentStatus.IN_PROGRESS:
            m = await services.add_milestone(publisher, c, locale="en", title=MILESTONE["en"],
                                             due_on=(now + timedelta(days=30)).date())  # fmt: skip
            for loc in ("fa", "ar", "fr"):
                m.i18n = {**m.i18n, loc: {"title": MILESTONE[loc]}}
            await m.save(update_fields=["i18n"])
            if citizen is not None:
                await services.follow_commitment(await load_principal(citizen.id), c)
        await services.update_commitment(publisher, c, status=status, progress=progress,
                                          text=NOTE["en"] if progress < 100 else "",
                                          locale="en")  # fmt: skip
    log("  response with two commitments, in four languages (published late)")
