"""Demo consultations in en, fa, ar and fr. Idempotent: each one is skipped if its slug exists.

Uses the demo users of the accounts seed (looked up by e-mail) and the demo bodies (a
ministry with an agency, and a city); a part whose user or body is missing is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from consultations import queries, report, services
from consultations.models import Consultation, OutcomeKind, QuestionKind
from participation.accounts.models import User
from participation.accounts.principal import Principal, load_principal
from participation.organisations.models import Body, Membership, Role
from participation.settings import Settings

Log = Callable[[str], object]

DEMO_BODY_SLUGS = ("ministry-of-roads", "road-maintenance-organization", "tehran-municipality")
OPEN_SLUG = "clean-air-in-our-cities"
SCHEDULED_SLUG = "city-cycling-network"
CLOSED_SLUG = "public-library-opening-hours"
OVERDUE_SLUG = "street-lighting-in-residential-areas"
OVERDUE_CLOSED_DAYS = 100  # past the default twelve weeks (84 days) to respond: overdue


def t(en: str, fa: str, ar: str, fr: str, field: str) -> dict[str, dict[str, str]]:
    return {"en": {field: en}, "fa": {field: fa}, "ar": {field: ar}, "fr": {field: fr}}


def merge(*parts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for p in parts:
        for loc, fields in p.items():
            out.setdefault(loc, {}).update(fields)
    return out


async def _user(email: str) -> Principal | None:
    user = await User.get_or_none(email=email)
    if user is None:
        return None
    return await load_principal(user.id, None)


async def _bodies() -> tuple[Body | None, Body | None, Body | None]:
    """(ministry, agency, city): the organisations seed's slugs, else by shape (the agency is
    a child body, the city a childless top-level body)."""
    by_slug = {b.slug: b for b in await Body.filter(slug__in=list(DEMO_BODY_SLUGS))}
    if len(by_slug) == len(DEMO_BODY_SLUGS):
        return tuple(by_slug[s] for s in DEMO_BODY_SLUGS)  # type: ignore[return-value]
    bodies = await Body.all().order_by("id")
    agency = next((b for b in bodies if b.parent_id is not None), None)
    ministry = next((b for b in bodies if agency and b.id == agency.parent_id), None)
    parents = {b.parent_id for b in bodies}
    city = next(
        (b for b in bodies if b.parent_id is None and b.id not in parents and b is not ministry),
        None,
    )
    return ministry, agency, city


async def _publisher_of(body: Body) -> Principal | None:
    m = await Membership.filter(body_id=body.id, role=Role.PUBLISHER).order_by("id").first()
    return await load_principal(m.user_id, None) if m else None


OPEN_SECTIONS = [
    merge(
        t("Purpose", "هدف", "الغرض", "Objet", "title"),
        t(
            "This policy sets targets for cleaner air in every city of more than 100,000 people by 2030.",
            "این سیاست برای هوای پاک‌تر در همهٔ شهرهای بالای صد هزار نفر تا سال ۱۴۰۹ هدف تعیین می‌کند.",
            "تحدد هذه السياسة أهدافاً لهواء أنقى في كل مدينة يزيد سكانها على مئة ألف نسمة بحلول عام 2030.",
            "Cette politique fixe des objectifs pour un air plus pur dans toutes les villes de plus de 100 000 habitants d’ici 2030.",
            "text",
        ),
    ),
    merge(
        t(
            "Low-emission zones",
            "مناطق کم‌انتشار",
            "مناطق منخفضة الانبعاثات",
            "Zones à faibles émissions",
            "title",
        ),
        t(
            "Cities may close their centres to the most polluting vehicles on days of high pollution.\n\nResidents and delivery vehicles get a transition period of two years.",
            "شهرها می‌توانند در روزهای آلودگی شدید، مرکز شهر را به روی آلاینده‌ترین خودروها ببندند.\n\nساکنان و خودروهای توزیع دو سال مهلت انتقال دارند.",
            "يجوز للمدن إغلاق مراكزها أمام المركبات الأكثر تلويثاً في أيام التلوث الشديد.\n\nيحصل السكان ومركبات التوصيل على فترة انتقالية مدتها سنتان.",
            "Les villes peuvent fermer leur centre aux véhicules les plus polluants les jours de forte pollution.\n\nLes habitants et les véhicules de livraison disposent d’une période de transition de deux ans.",
            "text",
        ),
    ),
    merge(
        t("Public transport", "حمل‌ونقل عمومی", "النقل العام", "Transports publics", "title"),
        t(
            "The ministry funds half of the cost of new electric buses for cities that adopt a low-emission zone.",
            "وزارتخانه نیمی از هزینهٔ اتوبوس‌های برقی جدید را برای شهرهایی که منطقهٔ کم‌انتشار ایجاد کنند می‌پردازد.",
            "تموّل الوزارة نصف تكلفة الحافلات الكهربائية الجديدة للمدن التي تعتمد منطقة منخفضة الانبعاثات.",
            "Le ministère finance la moitié du coût des nouveaux bus électriques pour les villes qui adoptent une zone à faibles émissions.",
            "text",
        ),
    ),
    merge(
        t(
            "Measuring and reporting",
            "اندازه‌گیری و گزارش",
            "القياس والإبلاغ",
            "Mesure et rapports",
            "title",
        ),
        t(
            "The agency publishes hourly air quality for every monitoring station as open data.",
            "سازمان کیفیت هوای هر ایستگاه پایش را به‌صورت ساعتی و به شکل دادهٔ باز منتشر می‌کند.",
            "تنشر الهيئة جودة الهواء كل ساعة لكل محطة رصد كبيانات مفتوحة.",
            "L’agence publie chaque heure la qualité de l’air de chaque station de mesure en données ouvertes.",
            "text",
        ),
    ),
    merge(
        t("Review", "بازنگری", "المراجعة", "Révision", "title"),
        t(
            "The policy is reviewed every three years, after a new public consultation.",
            "این سیاست هر سه سال یک‌بار و پس از یک رایزنی عمومی تازه بازنگری می‌شود.",
            "تُراجع السياسة كل ثلاث سنوات بعد مشاورة عامة جديدة.",
            "La politique est révisée tous les trois ans, après une nouvelle consultation publique.",
            "text",
        ),
    ),
]


def _opts(*labels: tuple[str, str, str, str]) -> list[dict[str, Any]]:
    return [
        {"key": chr(ord("a") + i), "i18n": {"en": en, "fa": fa, "ar": ar, "fr": fr}}
        for i, (en, fa, ar, fr) in enumerate(labels)
    ]


async def _questionnaire(p: Principal, c: Consultation) -> None:
    await services.add_question(
        p, c, kind=QuestionKind.SINGLE, required=True, original_locale="en",
        i18n=t("How do you usually travel to work?", "معمولاً چگونه به محل کار می‌روید؟",
               "كيف تذهب عادةً إلى العمل؟", "Comment vous rendez-vous habituellement au travail ?",
               "text"),
        options=_opts(("By car", "با خودرو", "بالسيارة", "En voiture"),
                      ("By bus or metro", "با اتوبوس یا مترو", "بالحافلة أو المترو", "En bus ou en métro"),
                      ("By bicycle or on foot", "با دوچرخه یا پیاده", "بالدراجة أو سيراً", "À vélo ou à pied")),
    )  # fmt: skip
    await services.add_question(
        p, c, kind=QuestionKind.MULTIPLE, required=False, original_locale="en",
        i18n=t("Which measures would you support?", "از کدام اقدام‌ها پشتیبانی می‌کنید؟",
               "ما التدابير التي تؤيدها؟", "Quelles mesures soutiendriez-vous ?", "text"),
        options=_opts(("Low-emission zones", "مناطق کم‌انتشار", "مناطق منخفضة الانبعاثات", "Zones à faibles émissions"),
                      ("Electric buses", "اتوبوس برقی", "حافلات كهربائية", "Bus électriques"),
                      ("Cycle lanes", "مسیر دوچرخه", "مسارات الدراجات", "Pistes cyclables")),
    )  # fmt: skip
    await services.add_question(
        p, c, kind=QuestionKind.SCALE, required=True, original_locale="en",
        i18n=t("The draft goes far enough.", "این پیش‌نویس به اندازهٔ کافی پیش می‌رود.",
               "المسودة تذهب بعيداً بما يكفي.", "Le projet va assez loin.", "text"),
        options=[],
    )  # fmt: skip
    await services.add_question(
        p, c, kind=QuestionKind.TEXT, required=False, original_locale="en",
        i18n=t("Anything else?", "نکتهٔ دیگری دارید؟", "هل من شيء آخر؟", "Autre chose ?", "text"),
        options=[],
    )  # fmt: skip


async def _participate(settings: Settings, c: Consultation, log: Log) -> None:
    """A few comments, replies, votes and answers through the generic services."""
    try:
        from participation.comments import services as comment_services
        from participation.votes import services as vote_services
    except ModuleNotFoundError:
        log("  comments/votes are not installed: no demo comments")
        return
    citizen = await _user("citizen@example.org")
    shahrvand = await _user("shahrvand@example.org")
    sections = await queries.sections(c.id)
    if citizen is None or shahrvand is None or len(sections) < 3:
        log("  demo citizens missing: no demo comments")
        return
    s1, s2, s3 = sections[0], sections[1], sections[2]
    first = await comment_services.post_comment(
        citizen, "section", s2.id,
        "Low-emission zones work: our city centre became quieter and the air is visibly better.",
        stance="for", language="en", settings=settings,
    )  # fmt: skip
    await comment_services.post_comment(
        shahrvand, "section", s2.id,
        "با این بند موافقم، اما مهلت دو ساله برای رانندگان تاکسی کافی نیست.",
        stance="against", language="fa", settings=settings,
    )  # fmt: skip
    await comment_services.post_comment(
        shahrvand, "section", s2.id, "موافقم؛ تجربهٔ شهر ما هم همین را نشان می‌داد.",
        parent_id=first.id, language="fa", settings=settings,
    )  # fmt: skip
    await comment_services.post_comment(
        citizen, "section", s3.id,
        "Les bus électriques doivent aussi desservir les quartiers périphériques.",
        stance="for", language="fr", settings=settings,
    )  # fmt: skip
    await comment_services.post_comment(
        shahrvand, "section", s1.id, "الهدف جيد، لكن يجب أن يشمل المدن الصغيرة أيضاً.",
        stance="neutral", language="ar", settings=settings,
    )  # fmt: skip
    await comment_services.post_comment(
        citizen, "consultation", c.id,
        "Thank you for publishing the draft in four languages.", stance="for", language="en",
        settings=settings,
    )  # fmt: skip
    await vote_services.cast_vote(citizen, "section", s2.id, 1)
    await vote_services.cast_vote(shahrvand, "section", s2.id, -1)
    await vote_services.cast_vote(shahrvand, "section", s3.id, 1)
    await vote_services.cast_vote(shahrvand, "comment", first.id, 1)


# A form letter sent by many people (a campaign the moderation queue shows as one group), in
# English and in Persian: each copy with its own greeting, sign-off or sentence, some with a
# word changed or a typo, the Persian ones typed on Persian and on Arabic keyboards.
CAMPAIGN_LETTER = {
    "en": (
        "I object to closing city centres to older vehicles. Many families and small traders "
        "cannot afford a new car, and the two-year transition period is far too short for them. "
        "Fund cleaner buses and better bus routes first, then review the zones. Please do not "
        "punish working people for pollution they did not choose."
    ),
    "fa": (
        "من با بستن مرکز شهر به روی خودروهای قدیمی مخالفم. بسیاری از خانواده‌ها و کاسبان کوچک "
        "توان خرید خودروی نو را ندارند و مهلت دو ساله برای آن‌ها بسیار کوتاه است. اول "
        "اتوبوس‌های پاک‌تر و خطوط بهتر را تأمین کنید و بعد مناطق را بازنگری کنید. لطفاً مردم "
        "زحمتکش را برای آلودگی‌ای که انتخاب نکرده‌اند تنبیه نکنید."
    ),
}
CAMPAIGN_COPIES = {
    "en": [
        ("Dear ministry, ", "", ""),
        ("", " Regards, Tom Baker.", ""),
        ("Hello, ", " Thank you.", " I drive a 2009 van for my bakery."),
        ("", "", ""),
        ("To whom it may concern: ", " Sincerely, Priya N.", ""),
        ("", " -- sent by a Tabriz resident", " My mother relies on her old car."),
        ("Dear officials, ", "", ""),
        ("", " Best wishes, Sam.", ""),
        ("Hi, ", "", " I run a small flower shop downtown."),
        ("", " Yours, Grace Lee.", ""),
        ("Dear sir or madam, ", " Thanks for reading.", ""),
        ("", "", " We cannot buy an electric car on a nurse's salary."),
        ("Good morning, ", " Kind regards, Omid.", ""),
        ("", " Signed, a worried parent.", ""),
        ("Dear team, ", "", ""),
        ("", " Regards, David O.", " I work nights and there is no bus then."),
    ],
    "fa": [
        ("با سلام، ", "", ""),
        ("", " با تشکر، رضا", ""),
        ("احتراماً، ", " ارادتمند شما", " من راننده تاکسی هستم."),
        ("", "", ""),
        ("سلام و وقت بخیر، ", " با سپاس، مریم", ""),
        ("", " یک شهروند نگران", " خودروی ما تنها وسیله رفت و آمد پدرم است."),
        ("با احترام، ", "", ""),
        ("", " ممنون از توجه شما", ""),
        ("درود، ", "", " مغازه کوچکی در مرکز شهر دارم."),
        ("", " با تشکر فراوان، حسین", ""),
        ("با سلام و احترام، ", "", ""),
        ("", " سارا از شیراز", ""),
    ],
}
CAMPAIGN_SWAPS = {
    "en": [
        ("far too short", "much too short"),
        ("object to", "oppose"),
        ("afford", "affrod"),
    ],  # fmt: skip
    "fa": [("مخالفم", "مخالف هستم"), ("بسیار کوتاه", "خیلی کوتاه")],
}
CAMPAIGN_NAMES = {
    "en": ["Tom Baker", "Priya Nair", "Grace Lee", "Sam Ortiz", "David Okoro", "Nina Weber",
           "Omid Jafari", "Lucy Hart", "Ben Carter", "Ama Mensah", "Jonas Berg", "Rita Gomes",
           "Hugo Lambert", "Ivy Chen", "Mark Duffy", "Zoe Adams"],
    "fa": ["رضا کریمی", "مریم نوری", "حسین موسوی", "سارا احمدی", "علی نادری", "زهرا صادقی",
           "امید جعفری", "نگار رحیمی", "بهرام شریفی", "لیلا کاظمی", "کاوه فرهادی", "شیوا امینی"],
}  # fmt: skip


def campaign_copy(lang: str, i: int) -> str:
    """The i-th copy of the demo form letter in ``lang``."""
    greeting, signoff, own = CAMPAIGN_COPIES[lang][i]
    text = CAMPAIGN_LETTER[lang]
    swaps = CAMPAIGN_SWAPS[lang]
    if i % 3 == 1:
        a, b = swaps[i % len(swaps)]
        text = text.replace(a, b)
    if lang == "fa" and i % 2:
        text = text.replace("ی", "ي").replace("ک", "ك").replace("\u200c", " ")
    return greeting + text + own + signoff


async def _campaign(settings: Settings, c: Consultation, log: Log) -> None:
    """The demo campaign: the form letter posted by 16 + 12 demo supporters on the
    low-emission zones, then the integrity index brought up to date, so that the moderation
    queue shows it as two groups at once (without waiting for the worker)."""
    from participation.accounts import services as account_services
    from participation.comments import services as comment_services
    from participation.integrity import services as integrity_services

    sections = await queries.sections(c.id)
    if len(sections) < 2:
        return
    target = sections[1]
    posted = 0
    for lang in ("en", "fa"):
        for i, name in enumerate(CAMPAIGN_NAMES[lang]):
            email = f"supporter-{lang}-{i + 1:02d}@example.org"
            user = await User.get_or_none(email=email)
            if user is None:
                user = await account_services.create_user(
                    email=email, password=f"demo-{lang}-{i}-not-for-sign-in", display_name=name,
                    locale=lang, region="Tabriz" if lang == "en" else "تبریز",
                )  # fmt: skip
            p = await load_principal(user.id, None)
            await comment_services.post_comment(
                p, "section", target.id, campaign_copy(lang, i), stance="against",
                language=lang, settings=settings,
            )  # fmt: skip
            posted += 1
    await integrity_services.index_new_comments()
    space_type, space_id = await integrity_services.space_of("section", target.id)
    groups = await integrity_services.rebuild_space(space_type, space_id)
    log(f"  campaign: {posted} copies of a form letter (en, fa), {groups} groups")


async def _answer_all(c: Consultation, people: list[Principal], sets: list[dict]) -> None:
    for p, answers in zip(people, sets, strict=False):
        await services.submit_answers(p, c, answers)


async def seed_open(settings: Settings, log: Log, ministry: Body, agency: Body | None) -> None:
    if await Consultation.exists(slug=OPEN_SLUG):
        return
    publisher = await _user("publisher@example.org")
    if publisher is None or not publisher.is_publisher_of_any([ministry.id]):
        log("  publisher@example.org is not a publisher of the ministry: open consultation skipped")
        return
    i18n = merge(
        t("Clean air in our cities", "هوای پاک در شهرهای ما", "هواء نقي في مدننا",
          "Un air pur dans nos villes", "title"),
        t("A draft national policy on air quality: low-emission zones, electric buses and open data.",
          "پیش‌نویس سیاست ملی کیفیت هوا: مناطق کم‌انتشار، اتوبوس برقی و دادهٔ باز.",
          "مسودة سياسة وطنية لجودة الهواء: مناطق منخفضة الانبعاثات وحافلات كهربائية وبيانات مفتوحة.",
          "Un projet de politique nationale sur la qualité de l’air : zones à faibles émissions, bus électriques et données ouvertes.",
          "summary"),
        t("Tell us what you think of each section. Paper submissions are welcome at the ministry.",
          "دربارهٔ هر بخش نظر خود را بنویسید. نامه‌های کاغذی نیز در وزارتخانه پذیرفته می‌شود.",
          "أخبرونا برأيكم في كل قسم. تُقبل المساهمات الورقية في الوزارة.",
          "Donnez-nous votre avis sur chaque section. Les contributions sur papier sont acceptées au ministère.",
          "body"),
    )  # fmt: skip
    c = await services.create_consultation(
        publisher, ministry.id, i18n=i18n, original_locale="en", topic="environment",
        region="", co_owner_ids=[agency.id] if agency else [], slug=OPEN_SLUG,
    )  # fmt: skip
    for section in OPEN_SECTIONS:
        await services.add_section(publisher, c, i18n=section, original_locale="en")
    await _questionnaire(publisher, c)
    now = datetime.now(UTC)
    await services.publish(publisher, c, opens_at=now - timedelta(days=3),
                           closes_at=now + timedelta(days=30))  # fmt: skip
    sections = await queries.sections(c.id)
    await services.publish_section_version(
        publisher, c, sections[1], original_locale="en", note="Transition period made explicit.",
        i18n=merge(sections[1].i18n, {"en": {"text": OPEN_SECTIONS[1]["en"]["text"] + "\n\nTaxis are exempt during the transition period."}}),
    )  # fmt: skip
    await _participate(settings, c, log)
    await _campaign(settings, c, log)
    qs = await queries.questions(c.id)
    citizen = await _user("citizen@example.org")
    if citizen and len(qs) == 4:
        await services.submit_answers(citizen, c, {str(qs[0].id): "b", str(qs[1].id): ["a", "b"],
                                                  str(qs[2].id): 4})  # fmt: skip
    try:
        await services.enter_paper_submission(
            publisher, c, settings=settings, body_id=ministry.id, channel="post",
            received_at=now - timedelta(days=1), section=sections[2],
            author_name="Parvin R.", stance="for",
            text="نامهٔ کاغذی: لطفاً خطوط اتوبوس برقی را به روستاهای اطراف هم برسانید.",
            answers={str(qs[0].id): "c", str(qs[2].id): 5} if len(qs) == 4 else None,
        )  # fmt: skip
    except ModuleNotFoundError:
        log("  comments are not installed: no demo paper submission")
    log(f"  consultation {OPEN_SLUG} (open)")


async def seed_scheduled(log: Log, city: Body) -> None:
    if await Consultation.exists(slug=SCHEDULED_SLUG):
        return
    publisher = await _publisher_of(city)
    if publisher is None:
        log("  the city has no publisher: scheduled consultation skipped")
        return
    i18n = merge(
        t("A cycling network for the city", "شبکهٔ دوچرخه‌سواری برای شهر", "شبكة دراجات للمدينة",
          "Un réseau cyclable pour la ville", "title"),
        t("Where should the first 40 km of protected cycle lanes go?",
          "نخستین ۴۰ کیلومتر مسیر دوچرخهٔ ایمن کجا ساخته شود؟",
          "أين يجب أن تُبنى أول 40 كم من مسارات الدراجات المحمية؟",
          "Où placer les 40 premiers kilomètres de pistes cyclables protégées ?", "summary"),
    )  # fmt: skip
    c = await services.create_consultation(
        publisher, city.id, i18n=i18n, original_locale="en", topic="transport", region="City",
        slug=SCHEDULED_SLUG,
    )  # fmt: skip
    await services.add_section(publisher, c, original_locale="en", i18n=merge(
        t("The proposed routes", "مسیرهای پیشنهادی", "المسارات المقترحة", "Les itinéraires proposés", "title"),
        t("Three routes link the university, the central station and the river park.",
          "سه مسیر، دانشگاه، ایستگاه مرکزی و پارک کنار رودخانه را به هم وصل می‌کنند.",
          "تربط ثلاثة مسارات الجامعة والمحطة المركزية وحديقة النهر.",
          "Trois itinéraires relient l’université, la gare centrale et le parc de la rivière.", "text"),
    ))  # fmt: skip
    now = datetime.now(UTC)
    await services.publish(publisher, c, opens_at=now + timedelta(days=7),
                           closes_at=now + timedelta(days=45))  # fmt: skip
    log(f"  consultation {SCHEDULED_SLUG} (scheduled)")


async def seed_closed(log: Log, body: Body) -> None:
    if await Consultation.exists(slug=CLOSED_SLUG):
        return
    publisher = await _publisher_of(body)
    if publisher is None:
        log("  no publisher: closed consultation skipped")
        return
    i18n = merge(
        t("Opening hours of public libraries", "ساعت کار کتابخانه‌های عمومی",
          "ساعات عمل المكتبات العامة", "Horaires des bibliothèques publiques", "title"),
        t("Should public libraries open in the evening and on Fridays?",
          "آیا کتابخانه‌های عمومی باید عصرها و جمعه‌ها باز باشند؟",
          "هل يجب أن تفتح المكتبات العامة مساءً وأيام الجمعة؟",
          "Les bibliothèques publiques doivent-elles ouvrir le soir et le vendredi ?", "summary"),
    )  # fmt: skip
    c = await services.create_consultation(
        publisher, body.id, i18n=i18n, original_locale="en", topic="culture", slug=CLOSED_SLUG,
    )  # fmt: skip
    await services.add_section(publisher, c, original_locale="en", i18n=merge(
        t("New hours", "ساعت‌های تازه", "الساعات الجديدة", "Nouveaux horaires", "title"),
        t("Libraries open from 10:00 to 21:00, six days a week.",
          "کتابخانه‌ها شش روز در هفته از ساعت ۱۰ تا ۲۱ باز هستند.",
          "تفتح المكتبات من الساعة 10:00 إلى 21:00، ستة أيام في الأسبوع.",
          "Les bibliothèques ouvrent de 10 h à 21 h, six jours par semaine.", "text"),
    ))  # fmt: skip
    await services.add_question(
        publisher, c, kind=QuestionKind.SINGLE, required=True, original_locale="en",
        i18n=t("Which day matters most to you?", "کدام روز برای شما مهم‌تر است؟",
               "أي يوم هو الأهم بالنسبة لك؟", "Quel jour compte le plus pour vous ?", "text"),
        options=_opts(("Friday", "جمعه", "الجمعة", "Vendredi"),
                      ("Saturday", "شنبه", "السبت", "Samedi")),
    )  # fmt: skip
    await services.add_question(
        publisher, c, kind=QuestionKind.SCALE, required=True, original_locale="en",
        i18n=t("Evening opening is useful.", "باز بودن عصرها مفید است.",
               "الفتح المسائي مفيد.", "L’ouverture le soir est utile.", "text"),
        options=[],
    )  # fmt: skip
    now = datetime.now(UTC)
    await services.publish(publisher, c, opens_at=now - timedelta(days=40),
                           closes_at=now + timedelta(days=1))  # fmt: skip
    qs = await queries.questions(c.id)
    people = [p for p in [await _user("citizen@example.org"), await _user("shahrvand@example.org")]
              if p is not None]  # fmt: skip
    await _answer_all(c, people, [{str(qs[0].id): "a", str(qs[1].id): 5},
                                  {str(qs[0].id): "a", str(qs[1].id): 4}])  # fmt: skip
    await Consultation.filter(id=c.id).update(closes_at=now - timedelta(days=10))
    await services.advance_consultations(now)
    c = await Consultation.get(id=c.id)
    await services.publish_outcome(publisher, c, OutcomeKind.REPORT, original_locale="en", i18n=merge(
        t("Two people answered. Both prefer Friday opening, and both find evening opening useful.",
          "دو نفر پاسخ دادند. هر دو باز بودن در روز جمعه را ترجیح می‌دهند و باز بودن عصرها را مفید می‌دانند.",
          "أجاب شخصان. كلاهما يفضل الفتح يوم الجمعة، ويجد كلاهما الفتح المسائي مفيدًا.",
          "Deux personnes ont répondu. Toutes deux préfèrent l’ouverture le vendredi et trouvent "
          "l’ouverture le soir utile.", "text"),
    ))  # fmt: skip
    await report.request(c.id, "closed")  # its feedback report, built as a close builds it
    log(f"  consultation {CLOSED_SLUG} (closed, with results and a report; no response yet)")


async def seed_overdue(log: Log, body: Body) -> None:
    """A consultation closed long ago that no one answered: its response is overdue."""
    if await Consultation.exists(slug=OVERDUE_SLUG):
        return
    publisher = await _publisher_of(body)
    if publisher is None:
        log("  no publisher: overdue consultation skipped")
        return
    i18n = merge(
        t("Street lighting in residential areas", "روشنایی خیابان‌های مسکونی",
          "إنارة الشوارع في الأحياء السكنية", "L’éclairage des rues résidentielles", "title"),
        t("Should residential streets be lit all night, or dimmed after midnight?",
          "آیا خیابان‌های مسکونی باید تمام شب روشن بمانند یا پس از نیمه‌شب کم‌نور شوند؟",
          "هل يجب أن تبقى الشوارع السكنية مضاءة طوال الليل أم تُخفَّت إنارتها بعد منتصف الليل؟",
          "Les rues résidentielles doivent-elles rester éclairées toute la nuit ou être atténuées "
          "après minuit ?", "summary"),
    )  # fmt: skip
    c = await services.create_consultation(
        publisher, body.id, i18n=i18n, original_locale="en", topic="transport",
        slug=OVERDUE_SLUG,
    )  # fmt: skip
    await services.add_section(publisher, c, original_locale="en", i18n=merge(
        t("Dimming after midnight", "کم‌نور کردن پس از نیمه‌شب", "التخفيت بعد منتصف الليل",
          "Atténuation après minuit", "title"),
        t("Street lights in residential streets are dimmed by half from 00:30 to 05:00.",
          "چراغ‌های خیابان‌های مسکونی از ساعت ۰:۳۰ تا ۵ به نصف نور کاهش می‌یابند.",
          "تُخفَّت إنارة الشوارع السكنية إلى النصف من الساعة 00:30 حتى 05:00.",
          "L’éclairage des rues résidentielles est réduit de moitié de 0 h 30 à 5 h.", "text"),
    ))  # fmt: skip
    now = datetime.now(UTC)
    await services.publish(publisher, c, opens_at=now - timedelta(days=OVERDUE_CLOSED_DAYS + 30),
                           closes_at=now + timedelta(days=1))  # fmt: skip
    await Consultation.filter(id=c.id).update(closes_at=now - timedelta(days=OVERDUE_CLOSED_DAYS))
    await services.advance_consultations(now)
    await report.request(c.id, "closed")
    log(f"  consultation {OVERDUE_SLUG} (closed {OVERDUE_CLOSED_DAYS} days ago; response overdue)")


async def seed_demo(settings: Settings, log: Log = print) -> None:
    ministry, agency, city = await _bodies()
    if ministry is None:
        log("consultations: no ministry with an agency in the demo bodies; skipped")
        return
    log("consultations:")
    await seed_open(settings, log, ministry, agency)
    if city is not None:
        await seed_scheduled(log, city)
        await seed_closed(log, city)
    else:
        await seed_closed(log, ministry)
    await seed_overdue(log, ministry)
