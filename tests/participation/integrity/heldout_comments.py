"""A second planted set of comments, written independently of ``planted.py``: other letters,
other drafts, other greetings, other ways of varying a copy, and Arabic besides en/fa/fr.

It exists to check that the grouping was built for the phenomena and not for one generator:
nothing in ``participation/integrity`` was tuned on it. Scored with ``planted.score_comments``.

Campaign copies (``heldout_copy``) combine, at random: template slots (names, streets,
numbers), word-level synonym spinning, sentence reordering, partial copies (40-60 % of the
sentences), typos (up to 5 % of the words), truncation, a personal paragraph longer than the
letter, greetings and sign-offs, Persian typed on an Arabic keyboard / without ZWNJ / with
ASCII or Persian digits, French without accents, HTML and markdown remnants, extra whitespace
and line breaks, emoji.

Organic comments: people's own comments built from a wide grammar that uses the draft's
vocabulary, long quotations of the draft (with or without quotation marks) followed by a short
reaction, replies quoting an earlier comment (``>`` lines, or "X wrote: ..."), and many short
common phrases.

``python -m tests.participation.integrity.heldout_comments [N] [SEED]`` prints the score.
"""

from __future__ import annotations

import random
import re
import sys
import time
from typing import Any

from tests.participation.integrity.planted import PlantedComments, score_comments

LANGS = ("en", "fa", "fr", "ar")

# ---- the drafts under consultation ------------------------------------------------------------

DRAFT: dict[str, list[str]] = {
    "en": [
        "Entire homes may be let as short-term rentals for no more than ninety nights per year",
        "Every host must register the property with the city before the first booking",
        "The central library shall stay open until ten in the evening on weekdays",
        "New speed cameras will be installed on arterial roads near schools and hospitals",
        "Revenue from traffic fines shall be paid into a dedicated road safety fund",
        "Inspectors may enter a registered rental after giving twenty four hours of notice",
        "Fines for unregistered listings will start at five thousand dollars per night",
        "The council will review the effect of these rules on rents after two years",
        "Platforms must remove any listing that does not display a valid registration number",
        "Library branches in the outer districts will open on Sunday afternoons",
    ],
    "fa": [
        "تعرفه آب مصرفی خانگی از ابتدای سال آینده بیست درصد افزایش می‌یابد",
        "مشترکان کم‌مصرف از پرداخت هزینه اضافی معاف خواهند بود",
        "ساخت پارکینگ طبقاتی در زمین پارک محله در برنامه پنج‌ساله شهرداری قرار گرفته است",
        "درآمد حاصل از افزایش تعرفه صرف نوسازی شبکه فرسوده لوله‌ها خواهد شد",
        "شهرداری موظف است گزارش سالانه هزینه‌ها را در پایگاه اینترنتی خود منتشر کند",
        "درختان قطع‌شده باید با کاشت سه نهال در همان منطقه جبران شوند",
        "ساعات کار کتابخانه‌های عمومی در روزهای تعطیل تا ساعت هشت شب تمدید می‌شود",
        "شورای شهر پس از یک سال اجرای این مصوبه آن را بازبینی خواهد کرد",
    ],
    "fr": [
        "La ligne de bus desservant l'hôpital sera supprimée à compter du premier septembre",
        "Les panneaux solaires seront installés en priorité sur les toits des écoles publiques",
        "Les habitants pourront investir dans les projets d'énergie locale à partir de cent euros",
        "La fréquence des bus sera réduite après vingt heures sur l'ensemble du réseau",
        "Un bilan des économies réalisées sera présenté au conseil métropolitain chaque année",
        "Les parcs éoliens ne pourront pas être construits à moins de cinq cents mètres des habitations",
        "Le tarif réduit des transports sera réservé aux personnes de plus de soixante-dix ans",
        "La métropole consultera les associations de quartier avant toute modification du réseau",
    ],
    "ar": [
        "سيتم هدم السوق القديم وإنشاء مجمع تجاري حديث مكانه خلال ثلاث سنوات",
        "يحصل التجار الحاليون على أولوية في استئجار المحلات الجديدة",
        "تلتزم البلدية بنشر دراسة الأثر البيئي قبل بدء الأعمال",
        "تخصص مساحة خضراء لا تقل عن ألفي متر مربع في المشروع الجديد",
        "يتم توسيع الشارع الرئيسي المؤدي إلى السوق لتخفيف الازدحام المروري",
        "تمنح تعويضات مالية للأسر المتضررة من أعمال الهدم",
    ],
}

# ---- form letters: {slots}, and the words a script may swap -------------------------------------

LETTERS: dict[str, list[str]] = {
    "en": [
        "As a homeowner on {street}, I am writing to urge you to restrict short-term rentals in "
        "our city. Entire blocks have been emptied of long-term tenants and turned into hotels "
        "without a license. Rents have risen by {pct} percent in three years while wages have "
        "stood still. Noise, rubbish and strangers at all hours have changed the character of "
        "our neighbourhood. The proposed cap of ninety nights a year is a reasonable first "
        "step. Please enforce it with real inspections and meaningful fines.",
        "I support the proposal to extend opening hours at the central library. For many "
        "students in our district, the library is the only quiet place to study after school. "
        "Working parents cannot visit before six in the evening, when most branches close "
        "today. Longer hours would also make the computers available to job seekers. I ask the "
        "committee to fund the extra staff in next year's budget.",
        "Speed cameras are a tax on working families, not a safety measure. The draft rule "
        "would install {num} new cameras on roads where there has not been a single serious "
        "accident. Revenue from fines should never become part of the municipal budget. "
        "Drivers already pay enough through fuel duties and parking charges. Invest in better "
        "road design and street lighting instead. Vote no on this rule.",
    ],
    "fa": [
        "اینجانب به عنوان یکی از شهروندان منطقه {num} با افزایش تعرفه آب مخالفم. این افزایش "
        "برای خانواده‌های کم‌درآمد فشار زیادی ایجاد می‌کند و هیچ برنامه‌ای برای جبران آن در "
        "نظر گرفته نشده است. پیشنهاد می‌کنم شهرداری پیش از هر تصمیمی جلسه‌ای عمومی با حضور "
        "ساکنان برگزار کند. همچنین گزارش هزینه‌های شرکت آب باید به طور کامل منتشر شود. لطفاً "
        "این طرح را تا روشن شدن همه جوانب متوقف کنید.",
        "ما ساکنان خیابان {street} از طرح ساخت پارکینگ طبقاتی در پارک محله نگران هستیم. این "
        "پارک تنها فضای سبز نزدیک خانه‌های ماست و کودکان هر روز در آن بازی می‌کنند. قطع "
        "درختان قدیمی جبران‌ناپذیر است و آلودگی هوا را بیشتر می‌کند. به جای پارکینگ، حمل و "
        "نقل عمومی را تقویت کنید. من {years} سال است که در این محله زندگی می‌کنم و از شما "
        "می‌خواهم این تصمیم را بازنگری کنید.",
    ],
    "fr": [
        "Je m'oppose fermement à la suppression de la ligne de bus {num} prévue dans ce "
        "règlement. Cette ligne est la seule qui dessert l'hôpital et le lycée du quartier. Les "
        "personnes âgées et les élèves n'ont aucune autre solution pour se déplacer. Le "
        "prétendu gain financier ne tient pas compte du coût social de cette décision. Je "
        "demande à la métropole de maintenir la ligne et d'augmenter sa fréquence le soir.",
        "En tant qu'habitant de {city}, je soutiens pleinement le développement des énergies "
        "renouvelables prévu à l'article quatre. Les panneaux solaires sur les bâtiments "
        "publics réduiront nos factures et nos émissions. Il est essentiel que les citoyens "
        "puissent investir eux-mêmes dans ces projets locaux. Je vous prie d'adopter ce texte "
        "sans l'affaiblir et de fixer un calendrier précis pour sa mise en œuvre.",
    ],
    "ar": [
        "نحن سكان حي {street} نرفض مشروع هدم السوق القديم. هذا السوق جزء من تاريخ مدينتنا "
        "ويعمل فيه مئات الأسر منذ عقود. لم يتم التشاور مع التجار قبل إعداد هذا المخطط. نطالب "
        "البلدية بترميم السوق بدلا من هدمه وبنشر دراسة الأثر الاجتماعي كاملة. نرجو منكم رفض "
        "هذا القرار حفاظا على تراث مدينتنا.",
    ],
}

SYNONYMS: dict[str, dict[str, list[str]]] = {
    "en": {
        "urge": ["ask", "implore", "beg"],
        "restrict": ["limit", "curb", "regulate"],
        "city": ["town", "municipality"],
        "Entire": ["Whole", "Complete"],
        "emptied": ["cleared", "stripped"],
        "tenants": ["residents", "renters"],
        "risen": ["gone up", "climbed", "increased"],
        "wages": ["salaries", "incomes", "pay"],
        "changed": ["altered", "transformed", "ruined"],
        "reasonable": ["sensible", "fair"],
        "enforce": ["police", "apply"],
        "meaningful": ["serious", "real", "heavy"],
        "support": ["back", "welcome", "endorse"],
        "extend": ["lengthen", "increase"],
        "quiet": ["calm", "peaceful", "silent"],
        "study": ["work", "revise", "read"],
        "cannot": ["can't", "are unable to"],
        "Longer": ["Extended", "Later"],
        "available": ["accessible", "open"],
        "fund": ["pay for", "finance", "budget for"],
        "tax": ["levy", "charge"],
        "install": ["put up", "place", "add"],
        "serious": ["major", "grave", "fatal"],
        "Drivers": ["Motorists", "Road users"],
        "enough": ["plenty", "sufficiently"],
        "Invest": ["Spend", "Put money"],
        "better": ["improved", "smarter", "safer"],
        "instead": ["rather", "in its place"],
        "strangers": ["visitors", "tourists"],
        "proposal": ["plan", "idea", "motion"],
        "students": ["pupils", "young people", "kids"],
        "staff": ["employees", "librarians"],
    },
    "fa": {
        "مخالفم": ["مخالف هستم", "موافق نیستم"],
        "فشار": ["سختی", "مشکل"],
        "زیادی": ["فراوانی", "بسیاری"],
        "پیشنهاد": ["توصیه", "درخواست"],
        "عمومی": ["همگانی", "علنی"],
        "برگزار": ["تشکیل"],
        "کامل": ["دقیق", "شفاف"],
        "لطفاً": ["خواهشمندم", "تقاضا دارم"],
        "متوقف": ["معلق", "لغو"],
        "نگران": ["ناراحت", "نگران و ناراضی"],
        "تنها": ["یگانه", "فقط"],
        "قدیمی": ["کهن", "کهنسال"],
        "بیشتر": ["شدیدتر", "زیادتر"],
        "تقویت": ["بهبود", "گسترش"],
        "تصمیم": ["مصوبه", "طرح"],
        "بازنگری": ["لغو", "اصلاح"],
        "کودکان": ["بچه‌ها", "فرزندان"],
    },
    "fr": {
        "fermement": ["absolument", "résolument", "vivement"],
        "seule": ["unique", "seule ligne"],
        "dessert": ["relie", "passe par"],
        "personnes âgées": ["seniors", "anciens"],
        "élèves": ["lycéens", "étudiants", "jeunes"],
        "solution": ["moyen", "option"],
        "prétendu": ["soi-disant", "supposé"],
        "coût": ["prix", "impact"],
        "demande": ["exige", "prie"],
        "maintenir": ["conserver", "garder"],
        "pleinement": ["totalement", "entièrement"],
        "essentiel": ["indispensable", "crucial"],
        "réduiront": ["diminueront", "baisseront"],
        "adopter": ["voter", "approuver"],
        "calendrier": ["échéancier", "planning"],
        "factures": ["dépenses", "charges"],
    },
    "ar": {
        "نرفض": ["نعارض", "لا نقبل"],
        "تاريخ": ["ذاكرة", "هوية"],
        "مئات": ["عشرات", "آلاف"],
        "نطالب": ["ندعو", "نطلب من"],
        "ترميم": ["إصلاح", "تجديد"],
        "رفض": ["إلغاء", "وقف"],
        "حفاظا": ["حماية", "صونا"],
        "عقود": ["سنوات طويلة", "أجيال"],
    },
}

NAMES = {
    "en": [
        "Margaret Okafor",
        "Dev Raman",
        "Hollis Grant",
        "Peg O'Neill",
        "Tomasz Wrobel",
        "J. Alvarez",
        "Kim Sato",
        "Rosa Delgado",
        "Ethan Bright",
        "Amara Nwosu",
    ],
    "fa": ["مریم صالحی", "حمید رستمی", "نگار یزدانی", "بهروز کاظمی", "شیرین مقدم"],
    "fr": ["Hélène Garnier", "Mathieu Roche", "Aïcha Benali", "Gérard Lemoine", "Zoé Faure"],
    "ar": ["محمود الحسيني", "فاطمة الزهراء", "خالد العمري", "سلمى داود", "يوسف النجار"],
}
STREETS = {
    "en": [
        "Maple Crescent",
        "Harbor Road",
        "14 Linden Ave",
        "Old Mill Lane",
        "Birch Street",
        "Kingsway",
        "Elm Court",
        "Ridge Drive",
    ],
    "fa": ["ولیعصر", "شریعتی", "آزادی", "نیاوران", "بهار", "فردوسی"],
    "fr": ["rue des Lilas", "avenue Jean-Jaurès", "quai Saint-Michel", "place du Marché"],
    "ar": ["الميدان", "باب الحديد", "الزيتون", "النخيل", "القلعة"],
}
CITIES = {"en": ["Springfield"], "fa": ["تبریز"], "fr": ["Villeurbanne", "Rennes", "Angers",
          "Besançon", "Colmar", "Brest"], "ar": ["حلب"]}  # fmt: skip

GREET = {
    "en": [
        "Hi there,",
        "Good morning,",
        "Dear Planning Committee,",
        "Dear Councillors,",
        "To the Mayor and Council:",
        "Greetings.",
        "Hey,",
        "RE: draft rule",
    ],
    "fa": [
        "با سلام و احترام،",
        "سلام،",
        "ریاست محترم شورای شهر،",
        "احتراماً به استحضار می‌رساند",
        "درود بر شما",
    ],
    "fr": ["Madame, Monsieur,", "Bonjour,", "Mesdames et Messieurs les élus,", "Objet : avis"],
    "ar": ["السلام عليكم،", "السادة أعضاء المجلس المحترمين،", "تحية طيبة وبعد،"],
}
SIGN = {
    "en": [
        "Sincerely, {name}",
        "Yours faithfully,\n{name}\n{street}",
        "Cheers, {name}",
        "— {name}, {street}",
        "Thank you for your time. {name}",
        "Sent from my iPhone",
        "Regards\n{name}",
    ],
    "fa": [
        "با تشکر، {name}",
        "با سپاس فراوان",
        "ارادتمند، {name}",
        "{name} - ساکن خیابان {street}",
    ],
    "fr": [
        "Cordialement, {name}",
        "Bien à vous,\n{name}",
        "Veuillez agréer mes salutations distinguées. {name}",
        "{name}, {street}",
    ],
    "ar": ["مع الشكر، {name}", "وتفضلوا بقبول فائق الاحترام\n{name}", "{name} - حي {street}"],
}
EMOJI = ["👍", "🙏", "😡", "🌳", "🚌", "‼️", "💔", "🔥"]

# ---- people's own comments: a wide grammar over the draft's vocabulary --------------------------

GRAMMAR: dict[str, dict[str, list[str]]] = {
    "en": {
        "t": [
            "{op} {subj} {modal} {verb} {obj} {tail}.",
            "Why does {subj} want to {verb} {obj}?",
            "I have lived on {street} for {n} years and {event}.",
            "{subj} {modal} {verb} {obj}, but {subj2} {modal2} {verb2} {obj2}.",
            "What happens to {obj} {tail}?",
            "My {rel} {event2}, so {obj} matters to us.",
            "{op} the part about {obj} is {adj}.",
        ],
        "op": [
            "",
            "Honestly,",
            "In my view,",
            "Frankly,",
            "As a parent,",
            "I think",
            "As someone who lives nearby,",
            "To be fair,",
            "Realistically,",
            "Overall,",
        ],
        "subj": [
            "the council",
            "the city",
            "the draft",
            "this plan",
            "the committee",
            "the mayor's office",
            "local businesses",
            "my neighbours",
            "the transport department",
            "the library board",
            "the police",
            "the rental platforms",
            "landlords",
        ],
        "subj2": ["nobody", "the public", "residents", "small hosts", "the platforms", "students"],
        "modal": [
            "should",
            "must",
            "could",
            "will never",
            "ought to",
            "might",
            "cannot",
            "needs to",
        ],
        "modal2": ["will", "should", "can't", "won't", "may"],
        "verb": [
            "reconsider",
            "publish",
            "fund",
            "explain",
            "delay",
            "improve",
            "protect",
            "measure",
            "reduce",
            "review",
            "enforce",
            "clarify",
            "rethink",
            "cost out",
        ],
        "verb2": ["afford", "follow", "trust", "understand", "accept", "notice"],
        "obj": [
            "the impact on renters",
            "the noise at night",
            "the cost of inspections",
            "the parking problem",
            "the cycling lanes",
            "the opening hours",
            "the evidence",
            "the number of licences",
            "the timeline",
            "the consultation process",
            "the traffic data",
            "the maintenance budget",
            "the camera locations",
            "the fines",
            "the weekend staffing",
            "the ninety night cap",
            "the registration system",
            "the road safety fund",
        ],
        "obj2": ["any of it", "the new rules", "the fees", "those numbers", "the outcome"],
        "tail": [
            "",
            "before next year",
            "for everyone's sake",
            "as soon as possible",
            "without raising taxes",
            "in plain language",
            "with proper data",
            "like other cities did",
            "and tell us who decided this",
            "because nobody asked us",
            "in the outer districts",
            "near the schools",
        ],
        "event": [
            "the buses have never been on time",
            "three shops have closed",
            "I have never seen a speed camera",
            "our rent doubled",
            "the library kept me sane",
            "half the flats are now holiday lets",
            "the street got much louder",
            "there was one accident, caused by ice",
        ],
        "rel": ["daughter", "son", "mother", "landlord", "neighbour", "husband", "flatmate"],
        "event2": [
            "studies at the library every evening",
            "drives a delivery van",
            "rents out a room in summer",
            "works night shifts",
            "was hit by a car",
            "lost her flat to a holiday let",
        ],
        "adj": [
            "vague",
            "reasonable",
            "too strict",
            "far too weak",
            "confusing",
            "overdue",
            "unenforceable",
            "a good start",
        ],
        "street": ["Maple Crescent", "Harbor Road", "Birch Street", "the high street", "Pine Way"],
    },
    "fa": {
        "t": [
            "{op} {subj} باید {obj} را {verb} {tail}.",
            "چرا {subj} می‌خواهد {obj} را {verb}؟",
            "من {n} سال است در محله {street} زندگی می‌کنم و {event}.",
            "{op} بخش مربوط به {obj} {adj} است.",
            "{subj} {obj} را {verb2} ولی {subj2} هنوز {event2}.",
            "{rel} من {event3} و برای همین {obj} برایمان مهم است.",
        ],
        "op": ["", "به نظر من", "راستش", "واقعاً", "به عنوان یک مادر", "صادقانه بگویم", "در کل"],
        "subj": [
            "شهرداری",
            "شورای شهر",
            "این طرح",
            "شرکت آب",
            "مسئولان",
            "پیش‌نویس",
            "دولت",
            "کمیسیون عمران",
            "مدیران منطقه",
        ],
        "subj2": ["مردم", "ساکنان", "کسبه", "بازنشسته‌ها", "دانشجوها"],
        "verb": [
            "شفاف کند",
            "بازبینی کند",
            "منتشر کند",
            "توضیح دهد",
            "اصلاح کند",
            "کاهش دهد",
            "بررسی کند",
            "تأمین کند",
            "عقب بیندازد",
        ],
        "verb2": ["نادیده گرفته", "فراموش کرده", "اعلام کرده", "تغییر داده"],
        "obj": [
            "هزینه‌ها",
            "قیمت آب",
            "وضعیت لوله‌ها",
            "فضای سبز",
            "جای پارک",
            "ساعات کتابخانه",
            "گزارش مالی",
            "تعداد درختان",
            "ترافیک خیابان",
            "حق مشترکان",
            "یارانه آب",
            "برنامه زمانی",
            "نتیجه نظرسنجی",
            "بودجه نوسازی",
        ],
        "tail": [
            "",
            "هر چه زودتر",
            "پیش از اجرا",
            "به زبان ساده",
            "با مشورت مردم",
            "برای همه",
            "بدون فشار به مردم",
        ],
        "event": [
            "هر تابستان آب قطع می‌شود",
            "هیچ‌وقت جای پارک پیدا نکرده‌ام",
            "قبض آبم دو برابر شده",
            "پارک تنها جای بازی بچه‌هاست",
            "کتابخانه زود بسته می‌شود",
        ],
        "event2": ["چیزی نمی‌دانند", "منتظر جواب هستند", "قبض‌های سنگین می‌دهند"],
        "event3": [
            "بازنشسته است",
            "دانشجوی شب است",
            "مغازه دارد",
            "بیمار است",
            "در پارک ورزش می‌کند",
        ],
        "rel": ["پدر", "مادر", "همسر", "پسر", "دختر", "همسایه"],
        "adj": ["مبهم", "منطقی", "ناعادلانه", "خیلی کلی", "قابل قبول", "عجولانه"],
        "street": ["ولیعصر", "شریعتی", "آزادی", "بهار", "گلستان"],
    },
    "fr": {
        "t": [
            "{op} {subj} devrait {verb} {obj} {tail}.",
            "Pourquoi {subj} veut-elle {verb} {obj} ?",
            "J'habite {street} depuis {n} ans et {event}.",
            "{op} la partie sur {obj} est {adj}.",
            "Mon {rel} {event2}, donc {obj} nous concerne directement.",
        ],
        "op": [
            "",
            "Franchement,",
            "À mon avis,",
            "Honnêtement,",
            "En tant que parent,",
            "Bref,",
            "Pour être juste,",
        ],
        "subj": [
            "la métropole",
            "la mairie",
            "le conseil",
            "ce projet",
            "le réseau",
            "la région",
            "l'agglomération",
            "le syndicat des transports",
        ],
        "verb": [
            "revoir",
            "publier",
            "financer",
            "expliquer",
            "reporter",
            "améliorer",
            "chiffrer",
            "clarifier",
            "réduire",
            "protéger",
        ],
        "obj": [
            "les horaires du soir",
            "le coût réel",
            "la desserte de l'hôpital",
            "les tarifs",
            "les toits des écoles",
            "les éoliennes",
            "le bilan annuel",
            "la fréquence des bus",
            "les investissements citoyens",
            "la concertation",
            "les pistes cyclables",
            "le stationnement",
        ],
        "tail": [
            "",
            "avant la rentrée",
            "au plus vite",
            "sans augmenter les impôts",
            "avec des chiffres précis",
            "comme à Nantes",
            "pour tout le monde",
        ],
        "event": [
            "le bus n'a jamais été à l'heure",
            "deux commerces ont fermé",
            "ma facture d'électricité a doublé",
            "je prends la ligne chaque matin",
        ],
        "rel": ["père", "fils", "voisin", "mari", "frère"],
        "event2": [
            "travaille de nuit à l'hôpital",
            "va au lycée en bus",
            "a installé des panneaux",
            "ne conduit plus",
        ],
        "adj": ["floue", "raisonnable", "trop timide", "bienvenue", "incompréhensible", "tardive"],
        "street": ["rue des Lilas", "le quartier Sud", "la place du Marché", "la cité Berlioz"],
    },
    "ar": {
        "t": [
            "{op} على {subj} أن {verb} {obj} {tail}.",
            "لماذا تريد {subj} أن {verb} {obj}؟",
            "أسكن في حي {street} منذ {n} سنة و{event}.",
            "{op} الجزء الخاص ب{obj} {adj}.",
        ],
        "op": ["", "في رأيي", "بصراحة", "كأب", "كأم", "عموما"],
        "subj": ["البلدية", "المجلس", "هذه الخطة", "المحافظة", "الإدارة", "اللجنة الفنية"],
        "verb": ["تراجع", "تنشر", "توضح", "تؤجل", "تحسن", "تدرس", "تخفض"],
        "obj": [
            "التعويضات",
            "مواقف السيارات",
            "المساحات الخضراء",
            "حركة المرور",
            "الإيجارات",
            "دراسة الأثر",
            "الجدول الزمني",
            "حقوق التجار",
            "الشارع الرئيسي",
            "الميزانية",
        ],
        "tail": ["", "قبل البدء", "بسرعة", "بشفافية", "مع السكان", "دون ضرر"],
        "event": [
            "لم يسألنا أحد",
            "أغلقت ثلاثة محلات",
            "الزحام يزداد كل يوم",
            "أولادي يلعبون قرب السوق",
        ],
        "adj": ["غامض", "معقول", "ظالم", "ناقص", "مقبول"],
        "street": ["الميدان", "الزيتون", "النخيل", "القلعة"],
    },
}

SHORT = {
    "en": [
        "I agree.",
        "Who will pay for this?",
        "Totally agree!",
        "No.",
        "Yes, please.",
        "This is a terrible idea.",
        "About time!",
        "Fully support this.",
        "Why now?",
        "Same here.",
        "+1",
        "I agree with the draft.",
        "Thank you for asking us.",
        "Who is going to enforce this?",
        "Great idea, do it.",
    ],
    "fa": [
        "موافقم",
        "مخالفم.",
        "عالیه",
        "چه کسی هزینه‌اش را می‌دهد؟",
        "ممنون از شما",
        "کاملاً موافقم.",
        "این طرح خوب است.",
        "بالاخره!",
        "چرا الان؟",
    ],
    "fr": [
        "Je suis d'accord.",
        "Qui va payer ?",
        "Très bonne idée.",
        "Non merci.",
        "Tout à fait d'accord !",
        "Enfin !",
        "Pourquoi maintenant ?",
        "Bravo.",
    ],
    "ar": ["أوافق", "أنا ضد هذا.", "فكرة ممتازة", "من سيدفع التكلفة؟", "شكرا لكم", "لماذا الآن؟"],
}
REACT = {
    "en": [
        "Absolutely not.",
        "Good.",
        "Why?",
        "Finally.",
        "This is madness.",
        "Agreed!",
        "Who decided this?",
        "Long overdue.",
        "Nope.",
        "Makes sense to me.",
    ],
    "fa": ["هرگز.", "خوب است.", "چرا؟", "بالاخره.", "این غیرقابل قبول است.", "موافقم!"],
    "fr": ["Pas question.", "Bien.", "Pourquoi ?", "Enfin.", "C'est absurde.", "D'accord !"],
    "ar": ["أبدا.", "جيد.", "لماذا؟", "أخيرا.", "هذا غير مقبول.", "موافق!"],
}
QUOTE_FORMS = {
    "en": [
        '"{q}" {r}',
        "The draft says: {q}. {r}",
        "> {q}\n\n{r}",
        "Quote: “{q}” – {r}",
        "{q}?? {r}",
        "Re section 3: {q}. {r}",
    ],
    "fa": ["«{q}» {r}", "در پیش‌نویس آمده: {q}. {r}", "> {q}\n{r}", "{q}؟! {r}"],
    "fr": ["« {q} » {r}", "Le projet dit : {q}. {r}", "> {q}\n{r}", "{q} ?! {r}"],
    "ar": ["«{q}» {r}", "جاء في المشروع: {q}. {r}", "> {q}\n{r}"],
}
REPLY_FORMS = {
    "en": [
        "> {q}\n\n{r}",
        '{who} wrote: "{q}"\n{r}',
        "@{who} {q} — {r}",
        "Replying to {who}: {q}\n{r}",
    ],
    "fa": ["> {q}\n{r}", "{who} نوشته: «{q}» {r}", "@{who} {q} - {r}"],
    "fr": ["> {q}\n{r}", "{who} a écrit : « {q} » {r}", "@{who} {q} — {r}"],
    "ar": ["> {q}\n{r}", "كتب {who}: «{q}» {r}"],
}

_SLOT = re.compile(r"\{(\w+)\}")


def own_sentence(lang: str, rng: random.Random) -> str:
    g = GRAMMAR[lang]

    def fill(m: re.Match[str]) -> str:
        k = m.group(1)
        if k == "n":
            return str(rng.randint(2, 40))
        return _SLOT.sub(fill, rng.choice(g[k]))

    s = _SLOT.sub(fill, rng.choice(g["t"]))
    return re.sub(r"\s+", " ", s).strip()


def own_comment(lang: str, rng: random.Random, k: int | None = None) -> str:
    k = k or rng.choice([1, 2, 2, 3, 3, 4, 5])
    return " ".join(own_sentence(lang, rng) for _ in range(k))


# ---- what people and scripts do to a text ------------------------------------------------------

_SENT_END = re.compile(r"(?<=[.!?؟])\s+")
_UNACCENT = str.maketrans("éèêëàâäîïôöùûüçÉÈÊÀÇÎœ", "eeeeaaaiioouuucEEEACIo")
_FA_DIG = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_AR_DIG = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_NEAR = "qwertyuiopasdfghjklzxcvbnm"


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENT_END.split(text.strip()) if s]


def _slots(text: str, lang: str, rng: random.Random) -> str:
    values = {
        "street": lambda: rng.choice(STREETS[lang]), "name": lambda: rng.choice(NAMES[lang]),
        "city": lambda: rng.choice(CITIES[lang]), "num": lambda: str(rng.randint(3, 120)),
        "pct": lambda: str(rng.randint(15, 80)), "years": lambda: str(rng.randint(2, 50)),
    }  # fmt: skip
    return _SLOT.sub(lambda m: values[m.group(1)](), text)


def spin_words(text: str, lang: str, rng: random.Random, rate: float) -> str:
    for word, alts in SYNONYMS[lang].items():
        if word in text and rng.random() < rate:
            text = text.replace(word, rng.choice(alts), 1)
    return text


def add_typos(text: str, rng: random.Random, rate: float) -> str:
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) > 2 and rng.random() < rate:
            j = rng.randrange(len(w) - 1)
            op = rng.randrange(4)
            if op == 0:
                w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
            elif op == 1:
                w = w[:j] + w[j + 1 :]
            elif op == 2:
                w = w[:j] + w[j] + w[j:]
            else:
                w = w[:j] + rng.choice(_NEAR) + w[j + 1 :]
            words[i] = w
    return " ".join(words)


def typed(text: str, lang: str, rng: random.Random) -> str:
    """Keyboards, habits and the places a text was pasted from."""
    if lang == "fa":
        if rng.random() < 0.4:
            text = text.replace("ی", "ي").replace("ک", "ك")
        if rng.random() < 0.4:
            text = text.replace("\u200c", rng.choice(["", " "]))
        if rng.random() < 0.4:
            text = text.translate(_FA_DIG)
    if lang == "ar" and rng.random() < 0.4:
        text = text.translate(_AR_DIG)
    if lang == "ar" and rng.random() < 0.3:
        text = text.replace("أ", "ا").replace("إ", "ا").replace("ة ", "ه ")
    if lang == "fr" and rng.random() < 0.4:
        text = text.translate(_UNACCENT)
    r = rng.random()
    if r < 0.1:
        text = "<p>" + text.replace(". ", ".</p><p>", 2) + "</p>"
    elif r < 0.18:
        text = text.replace(". ", ".<br>", 1).replace(" ", "&nbsp;", 1)
    elif r < 0.25:
        words = text.split(" ")
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
        text = " ".join(words)
    if rng.random() < 0.25:
        text = re.sub(r" ", lambda m: rng.choice([" "] * 12 + ["  ", "\n", " \n\n "]), text)
    if rng.random() < 0.2:
        text = text + " " + rng.choice(EMOJI) * rng.randint(1, 3)
    if rng.random() < 0.05:
        text = text.upper()
    return text


COPY_STYLES = ("verbatim", "dressed", "slots", "spun", "reordered", "partial", "typos",
               "truncated", "long_personal", "pasted", "everything")  # fmt: skip


def heldout_copy(letter: str, lang: str, style: str, rng: random.Random) -> str:
    """One copy of a letter, varied in the given style (``everything``: several at once)."""
    if style == "everything":
        chosen = set(rng.sample(COPY_STYLES[1:-1], rng.randint(2, 4)))
    else:
        chosen = {style}
    text = _slots(letter, lang, rng)
    if "spun" in chosen:
        text = spin_words(text, lang, rng, rng.uniform(0.3, 0.7))
    ss = split_sentences(text)
    if "reordered" in chosen:
        rng.shuffle(ss)
    if "partial" in chosen and len(ss) >= 4:
        k = max(2, round(len(ss) * rng.uniform(0.4, 0.6)))
        keep = sorted(rng.sample(range(len(ss)), k))
        ss = [ss[i] for i in keep]
    text = " ".join(ss)
    if "typos" in chosen:
        text = add_typos(text, rng, rng.uniform(0.01, 0.05))
    if "truncated" in chosen:
        text = text[: int(len(text) * rng.uniform(0.5, 0.9))]
    if "long_personal" in chosen:
        mine = own_comment(lang, rng, rng.randint(len(ss) + 1, len(ss) + 4))
        text = f"{mine}\n\n{text}" if rng.random() < 0.5 else f"{text}\n\n{mine}"
    if "dressed" in chosen or rng.random() < 0.3:
        if rng.random() < 0.7:
            text = rng.choice(GREET[lang]) + rng.choice([" ", "\n"]) + text
        if rng.random() < 0.3:
            text = text + " " + own_sentence(lang, rng)
        if rng.random() < 0.7:
            text = text + rng.choice([" ", "\n\n"]) + _slots(rng.choice(SIGN[lang]), lang, rng)
    if "pasted" in chosen or rng.random() < 0.3:
        text = typed(text, lang, rng)
    return text


def organic(lang: str, rng: random.Random, earlier: list[str]) -> tuple[str, str]:
    r = rng.random()
    if r < 0.15:
        return rng.choice(SHORT[lang]), "short"
    if r < 0.30:
        d = DRAFT[lang]
        i = rng.randrange(len(d))
        q = d[i] + (". " + d[(i + 1) % len(d)] if rng.random() < 0.3 else "")
        react = rng.choice(REACT[lang]) if rng.random() < 0.7 else own_sentence(lang, rng)
        return rng.choice(QUOTE_FORMS[lang]).format(q=q, r=react), "quote_draft"
    if r < 0.40 and earlier:
        src = rng.choice(earlier)
        if rng.random() < 0.5:
            src = " ".join(split_sentences(src)[: rng.randint(1, 2)])
        react = rng.choice(REACT[lang]) if rng.random() < 0.6 else own_sentence(lang, rng)
        who = rng.choice(NAMES[lang]).split(" ")[0]
        return rng.choice(REPLY_FORMS[lang]).format(q=src, r=react, who=who), "reply"
    text = own_comment(lang, rng)
    if rng.random() < 0.15:
        text = rng.choice(GREET[lang]) + " " + text
    if rng.random() < 0.3:
        text = typed(text, lang, rng)
    return text, "own"


def heldout_comments(n: int, seed: int, campaign_share: float = 0.3) -> PlantedComments:
    """``n`` comments in en/fa/fr/ar: copies of the eight letters (a few letters sent by two
    campaigns in different styles; sizes from 3 to thousands) and people's own comments."""
    rng = random.Random(seed)
    letters = [(lang, i) for lang in LANGS for i in range(len(LETTERS[lang]))]
    n_campaign = int(n * campaign_share)
    plan: list[tuple[str | None, str, str, str]] = []
    weights = [rng.lognormvariate(0, 1.3) for _ in letters]
    for (lang, li), w in zip(letters, weights, strict=True):
        size = max(3, int(n_campaign * w / sum(weights)))
        style = rng.choice(COPY_STYLES)
        name = f"{lang}{li}-{style}"
        plan.extend((name, lang, LETTERS[lang][li], style) for _ in range(size))
    langs = list(LANGS)
    plan.extend((None, rng.choices(langs, [4, 3, 2, 1])[0], "", "") for _ in range(n - len(plan)))
    rng.shuffle(plan)
    rows: list[dict[str, Any]] = []
    campaign: dict[str, str | None] = {}
    kind: dict[str, str] = {}
    earlier: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for i, (who, lang, letter, style) in enumerate(plan):
        cid = f"h{i}"
        if who is None:
            text, k = organic(lang, rng, earlier[lang][-300:])
            if k == "own":
                earlier[lang].append(text)
        else:
            text, k = heldout_copy(letter, lang, style, rng), style
        rows.append({"id": cid, "text": text, "lang": lang, "section": rng.randint(1, 8),
                     "stance": rng.choice(["for", "against", None])})  # fmt: skip
        campaign[cid] = who
        kind[cid] = k
    return PlantedComments(rows, campaign, kind)


def main() -> None:
    from participation.integrity.neardup import group_texts

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    seeds = [int(s) for s in sys.argv[2:]] or [11]
    for seed in seeds:
        planted = heldout_comments(n, seed)
        t0 = time.perf_counter()
        groups = group_texts(r["text"] for r in planted.rows).groups()
        seconds = time.perf_counter() - t0
        score = score_comments(planted, [[planted.rows[i]["id"] for i in g] for g in groups])
        print(f"held-out n={n} seed={seed} ({seconds:.1f} s): {score.line()}")


if __name__ == "__main__":
    main()
