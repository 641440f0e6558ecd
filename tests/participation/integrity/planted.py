"""Planted data sets for the integrity detectors, and their scorers.

Comments (en, fa, fr): organic comments written from a grammar of opinions about a draft (they
share its vocabulary), short common phrases many people write, comments quoting the draft
(with and without quotation marks, with long and with two-word reactions) and quoting each
other; campaigns of form letters copied in many styles: exact, decorated with greetings,
sign-offs and personal sentences, templates with slots, spun synonyms, partial copies (a
subset of the sentences, sometimes reordered), typos, truncation, Persian typed on an Arabic
keyboard or without half-spaces, French without accents, on other sections and stances.

Signatures: several days of organic traffic (diurnal rhythm, shared carrier CGNAT ranges,
campus and office NATs, households of two signing a minute apart, mail providers' big domains)
and scripted waves of several styles.

``score_comments`` / ``score_signatures`` give recall and organic false positives.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# ---- spintax ----------------------------------------------------------------------------------

_SPIN = re.compile(r"\{([^{}]*)\}")


def spin(template: str, rng: random.Random | None) -> str:
    """``{a|b|c}`` -> one option: the first when ``rng`` is None (the letter as written)."""
    return _SPIN.sub(lambda m: m.group(1).split("|")[0 if rng is None else rng.randrange(
        len(m.group(1).split("|")))], template)  # fmt: skip


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?؟])\s+", text.strip()) if s]


# ---- languages --------------------------------------------------------------------------------

LETTERS = {
    "en": [
        "{I am writing to|I write to|I would like to} {express|voice|register} my {strong|firm|deep} "
        "opposition to the {proposed|planned|suggested} {closure|shutdown} of the {night bus|late bus|"
        "evening bus} {routes|lines|services}. {Thousands of|Many|Countless} {workers|employees|people} "
        "{depend on|rely on|count on} these {buses|services|routes} to {get home|return home|reach "
        "their homes} after {late shifts|night shifts|evening work}. {Cutting|Ending|Removing} them "
        "would {hurt|harm|damage} the {poorest|most vulnerable|lowest paid} {residents|citizens|"
        "people} of our {city|town|community}. The {savings|money saved|budget savings} are {tiny|"
        "small|minimal} compared with the {cost|harm|damage} to {families|households|working "
        "families}. {I urge|I ask|I call on} the {council|city council|authorities} to {keep|"
        "maintain|preserve} every {night bus|late bus} {route|line} and to {find|look for|seek} the "
        "{money|funds|savings} {elsewhere|somewhere else|in other budgets}.",
        "{Please|Kindly} {protect|save|preserve} the {old|ancient|historic} {trees|oak trees} along "
        "{Riverside Avenue|the river avenue}. {These|Those} {trees|oaks} {give|provide|offer} "
        "{shade|cool shade} in {summer|hot summers} and {clean|purify|filter} the {air|city air} "
        "we {breathe|all breathe}. The {plan|proposal|draft} to {widen|enlarge|expand} the {road|"
        "street|avenue} {would|will} {destroy|remove|cut down} more than {two hundred|200} of them. "
        "{Wider roads|Bigger roads|More lanes} {only|simply|just} {bring|attract|invite} more "
        "{traffic|cars|congestion} {into the centre|to our streets|to the neighbourhood}. {Invest|"
        "Put money|Spend} in {cycling|bike lanes|cycle paths} and {public transport|buses and trams"
        "|transit} {instead|rather}.",
        "My name is [NAME] and I have lived in [CITY] for [N] years. {I oppose|I am against|I "
        "object to} the new {parking|car park} {fees|charges} in the {city centre|town centre|"
        "downtown area}. {Small shops|Local shops|Local businesses} {will lose|are going to lose|"
        "would lose} {customers|clients|shoppers} to the {shopping malls|out of town malls|big "
        "malls} on the ring road. [REASON] {Please|I ask you to} {drop|withdraw|scrap} this "
        "{proposal|plan|measure} before the {budget vote|final vote} next {month|spring}.",
    ],
    "fr": [
        "{Je tiens à|Je souhaite|Je voudrais} {exprimer|manifester|faire part de} mon {opposition|"
        "désaccord} {ferme|total|profond} au {projet|plan} de {fermeture|suppression} de la "
        "{maternité|maternité publique} de {l'hôpital|notre hôpital} {régional|de la région}. Les "
        "{femmes enceintes|futures mères|familles} {devront|seront obligées de|auront à} "
        "{parcourir|faire} plus de {soixante|60} kilomètres pour {accoucher|donner naissance}. "
        "{Cette décision|Ce choix|Cette mesure} {met en danger|menace|fragilise} la {santé|"
        "sécurité|vie} des {mères|mamans} et des {nouveau-nés|bébés|nourrissons}. {Je demande|"
        "J'exige|Je réclame} que {l'agence|les autorités|le ministère} {renonce|revienne} {à ce "
        "projet|sur cette décision} et {garantisse|assure|maintienne} un {accès|service} de "
        "{proximité|qualité} {à tous|pour tous|pour chacun}.",
        "{Nous|Les habitants du quartier} {refusons|rejetons|contestons} la {construction|"
        "création|réalisation} d'un {entrepôt logistique|centre logistique|grand entrepôt} {près "
        "de|à côté de|à proximité de} l'école {élémentaire|primaire} Jules Ferry. Le {passage|"
        "va-et-vient|défilé} {permanent|continu|incessant} des {camions|poids lourds} {créera|"
        "provoquera|entraînera} {du bruit|des nuisances sonores} et de la {pollution|pollution de "
        "l'air} {toute la journée|jour et nuit}. Les {enfants|élèves|écoliers} {méritent|ont droit "
        "à} un {environnement|cadre} {sain|sûr|calme} pour {apprendre|étudier|grandir}. {Merci de|"
        "Nous vous prions de|Veuillez} {choisir|trouver|prévoir} un autre {terrain|site|"
        "emplacement} {loin des habitations|hors de la ville|dans la zone industrielle}.",
        "Je m'appelle [NAME], j'habite à [CITY] depuis [N] ans. {Je m'oppose|Je suis opposé} à la "
        "{hausse|augmentation} des {tarifs|prix} de la {cantine scolaire|restauration scolaire} "
        "{prévue|annoncée} pour la {rentrée|prochaine rentrée}. {Beaucoup de|De nombreuses} "
        "{familles|familles modestes} {ne pourront plus|n'auront plus les moyens de} {payer|"
        "financer} un {repas chaud|déjeuner équilibré} à leurs {enfants|petits}. [REASON] "
        "{Merci de|Je vous demande de} {renoncer à|retirer} cette {hausse|augmentation}.",
    ],
    "fa": [
        "{اینجانب|من|بنده} {به شدت|قاطعانه|جدا} با {طرح|برنامه|پیشنهاد} {تعطیلی|بستن} "
        "{کتابخانه|کتابخانه عمومی} {محله|منطقه} {مخالفم|مخالف هستم}. این {کتابخانه|مکان} {تنها|"
        "یگانه} {جای|مکان|فضای} {امن|آرام|رایگان} برای {مطالعه|درس خواندن} {دانش‌آموزان|کودکان|"
        "نوجوانان} {است|می‌باشد}. {بسیاری از|خیلی از|اکثر} {خانواده‌ها|والدین} {توان|پول|امکان} "
        "{خرید|تهیه} {کتاب|کتاب‌های درسی} را {ندارند|نخواهند داشت}. {صرفه‌جویی|کاهش هزینه} "
        "{چند|چندین} {میلیون|میلیارد} {تومانی|ریالی} {ارزش|اهمیت} {آینده|سرنوشت} {فرزندان|"
        "بچه‌های} ما را {ندارد|نخواهد داشت}. از {شورای شهر|شهرداری|مسئولان} {می‌خواهم|درخواست "
        "می‌کنم|تقاضا دارم} این {تصمیم|طرح} را {لغو|متوقف} کنند و {بودجه|هزینه} {کتابخانه|آن} "
        "را {حفظ|تامین} کنند.",
        "{ما|ساکنان محله|اهالی} {خواستار|خواهان} {توقف|لغو} {ساخت|احداث} {برج|ساختمان بلند} در "
        "{پارک|بوستان} لاله هستیم. این {پارک|بوستان} {ریه|نفس} {منطقه|شهر} {است|به شمار می‌رود} و "
        "{هزاران|صدها} {نفر|خانواده} {هر روز|روزانه} از آن {استفاده|بهره} می‌کنند. {ساخت|احداث} "
        "{برج|ساختمان} {ترافیک|شلوغی} و {آلودگی|آلودگی هوا} را {افزایش|بیشتر} می‌دهد و {آفتاب|"
        "نور خورشید} {خانه‌های|منازل} {اطراف|مجاور} را {می‌گیرد|کم می‌کند}. {لطفا|خواهشمندیم} "
        "{فضای سبز|درختان} {شهر|محله} را {حفظ|نگه‌داری} کنید.",
        "اسم من [NAME] است و [N] سال است که در [CITY] زندگی می‌کنم. {من|بنده} با {افزایش|"
        "بالا رفتن} {کرایه|بهای بلیت} {مترو|قطار شهری} {مخالفم|موافق نیستم}. {کارگران|"
        "کارمندان|دانشجویان} {هر روز|روزانه} با {مترو|قطار شهری} {رفت و آمد|تردد} می‌کنند و "
        "{درآمد|حقوق} {کمی|ناچیزی} دارند. [REASON] {لطفا|خواهش می‌کنم} این {تصمیم|افزایش} را "
        "{پس بگیرید|لغو کنید}.",
    ],
}

GREETINGS = {
    "en": [
        "Dear Council,",
        "Dear Sir or Madam,",
        "Hello,",
        "To whom it may concern,",
        "Dear councillors,",
        "Good morning,",
    ],
    "fr": ["Madame, Monsieur,", "Bonjour,", "Mesdames et Messieurs,", "Chers élus,"],
    "fa": ["با سلام،", "سلام و احترام،", "با عرض سلام و خسته نباشید،", "به نام خدا،"],
}
SIGNOFFS = {
    "en": [
        "Sincerely, [NAME]",
        "Thank you, [NAME]",
        "Regards, [NAME] from [CITY]",
        "Best wishes, [NAME]",
        "Thanks for reading.",
    ],
    "fr": [
        "Cordialement, [NAME]",
        "Merci, [NAME]",
        "Bien à vous, [NAME] de [CITY]",
        "Respectueusement, [NAME]",
    ],
    "fa": ["با تشکر، [NAME]", "با احترام، [NAME] از [CITY]", "سپاسگزارم.", "ارادتمند، [NAME]"],
}
NAMES = {
    "en": [
        "Sarah Miller",
        "John Smith",
        "Priya Patel",
        "Tom O'Neill",
        "Maria Garcia",
        "Ahmed Khan",
        "Emma Wilson",
        "David Chen",
        "Lucy Brown",
        "Omar Haddad",
    ],
    "fr": [
        "Claire Martin",
        "Jean Dupont",
        "Amélie Bernard",
        "Karim Benali",
        "Sophie Petit",
        "Luc Moreau",
        "Nadia Haddad",
        "Hélène Roux",
    ],
    "fa": [
        "مریم احمدی",
        "علی رضایی",
        "زهرا کریمی",
        "حسین محمدی",
        "سارا حسینی",
        "رضا موسوی",
        "نرگس یوسفی",
        "امیر قاسمی",
    ],
}
CITIES = {
    "en": ["Northfield", "Eastbrook", "Millbank", "the old town", "Riverside", "Hillcrest"],
    "fr": ["Villeurbanne", "Montreuil", "Saint-Denis", "Vénissieux", "Bron", "Créteil"],
    "fa": ["تهران", "کرج", "شیراز", "اصفهان", "تبریز", "مشهد"],
}
PERSONAL = {
    "en": [
        "My daughter takes this bus every night after her shift at the hospital.",
        "I am a nurse and I finish work at midnight three times a week.",
        "My grandmother cannot walk far and needs these services.",
        "I have signed petitions about this before and nobody listened.",
        "Our street already floods every winter because nothing is maintained.",
        "I run a bakery on the high street and I see fewer customers every year.",
        "I work two jobs and I cannot afford a car.",
    ],
    "fr": [
        "Ma fille prend ce chemin tous les matins pour aller en classe.",
        "Je suis infirmière et je connais bien les difficultés des familles.",
        "Mon voisin a dû déménager à cause du bruit.",
        "Nous avons déjà écrit à la mairie plusieurs fois sans réponse.",
        "J'élève seule trois enfants et chaque euro compte.",
    ],
    "fa": [
        "دختر من هر روز بعد از مدرسه به این کتابخانه می‌رود.",
        "من معلم هستم و مشکلات خانواده‌ها را از نزدیک می‌بینم.",
        "همسایه ما به خاطر این مشکل مجبور شد از محله برود.",
        "ما چند بار به شهرداری نامه نوشتیم ولی جوابی نگرفتیم.",
        "پدرم بازنشسته است و حقوق کمی دارد.",
    ],
}

SHORT = {
    "en": [
        "I agree.",
        "I agree with this proposal.",
        "Who will pay for this?",
        "Great idea!",
        "Totally against this.",
        "Please reconsider.",
        "This is a good plan.",
        "No way.",
        "What about the environment?",
        "Thank you for asking us.",
        "Strongly support!",
        "I do not agree with this at all.",
        "Who is going to pay for all of this?",
        "Finally, good news.",
        "This makes no sense to me.",
    ],
    "fr": [
        "Je suis d'accord.",
        "Qui va payer pour cela ?",
        "Très bonne idée !",
        "Totalement contre.",
        "Merci pour cette consultation.",
        "Pas d'accord du tout.",
        "Et l'environnement dans tout ça ?",
        "Enfin une bonne nouvelle.",
        "Je soutiens ce projet.",
        "Cela n'a aucun sens.",
    ],
    "fa": [
        "موافقم.",
        "چه کسی هزینه این را می‌پردازد؟",
        "ایده خوبی است!",
        "کاملا مخالفم.",
        "لطفا تجدید نظر کنید.",
        "طرح خوبی است.",
        "ممنون که نظر ما را پرسیدید.",
        "پس محیط زیست چه می‌شود؟",
        "من هم موافقم.",
        "این اصلا منطقی نیست.",
    ],
}

# The organic grammar: sentence templates whose {slots} are filled from pools of words about
# the same draft, so that organic comments share vocabulary without being copies.
GRAMMAR: dict[str, dict[str, Any]] = {
    "en": {
        "templates": [
            "I think the {noun} {verdict} because {reason}.",
            "As a {role} in {place}, I feel that {claim}.",
            "Why does the draft not say anything about {topic}?",
            "The part about {noun} {verdict2}.",
            "We need {need} before {event}.",
            "My {relative} {experience} {when}.",
            "It would be better to {action} and to {action}.",
            "If the council wants support, it should {action}.",
            "{claim_cap}, and {reason}.",
            "How will the {noun} affect {place}?",
        ],
        "noun": [
            "budget",
            "bus plan",
            "new tram line",
            "parking policy",
            "housing target",
            "consultation",
            "timeline",
            "tree survey",
            "cycling strategy",
            "school plan",
            "waste collection",
            "street lighting",
            "library reform",
            "noise limit",
            "speed limit",
            "market square project",
            "flood defence",
            "energy plan",
        ],
        "verdict": [
            "is too vague",
            "goes in the right direction",
            "is far too expensive",
            "ignores the suburbs",
            "is a step forward",
            "will not work",
            "needs more detail",
            "is unfair to tenants",
            "comes too late",
            "is well thought out",
            "favours drivers",
            "forgets older people",
        ],
        "verdict2": [
            "should be rewritten",
            "is the best part of the text",
            "is hard to understand",
            "contradicts the previous section",
            "deserves a public meeting",
            "needs real numbers",
        ],
        "reason": [
            "nobody asked the residents",
            "prices keep rising",
            "the roads are already full",
            "young families are leaving",
            "there is no money for maintenance",
            "the buses are always late",
            "the old plan failed",
            "shops are closing",
            "the air is getting worse",
            "rents have doubled",
            "it was promised years ago",
            "the schools are overcrowded",
            "nobody checks the contractors",
            "the winters are getting wetter",
            "the park is too small",
        ],
        "role": [
            "parent",
            "teacher",
            "shop owner",
            "student",
            "pensioner",
            "cyclist",
            "nurse",
            "taxi driver",
            "tenant",
            "home owner",
            "volunteer",
            "bus driver",
        ],
        "place": [
            "the north district",
            "Eastbrook",
            "the old town",
            "our street",
            "Millbank",
            "the river quarter",
            "Hillcrest",
            "the station area",
            "the suburbs",
        ],
        "claim": [
            "the draft is too focused on the centre",
            "we are not being heard",
            "the plan could work with small changes",
            "the costs are hidden",
            "the consultation period is too short",
            "more trees would help everyone",
            "the council should publish the studies",
            "safety must come first",
            "children should be consulted too",
            "the budget is unrealistic",
        ],
        "claim_cap": [
            "The draft is too focused on the centre",
            "We are not being heard",
            "The costs are hidden",
            "Safety must come first",
        ],
        "topic": [
            "disabled access",
            "night safety",
            "the elderly",
            "noise",
            "parking for carers",
            "rain water",
            "public toilets",
            "maintenance costs",
            "bike theft",
            "the market traders",
            "delivery vans",
            "school routes",
        ],
        "need": [
            "a proper study",
            "more benches",
            "safe crossings",
            "a clear budget",
            "real bus lanes",
            "more trees",
            "affordable homes",
            "better lighting",
            "a public meeting",
            "a pilot project",
        ],
        "event": [
            "the works start",
            "the vote",
            "next winter",
            "anything is built",
            "the summer",
            "the budget is approved",
        ],
        "relative": [
            "mother",
            "son",
            "neighbour",
            "husband",
            "sister",
            "grandfather",
            "friend",
            "wife",
        ],
        "experience": [
            "waited an hour for a bus",
            "was hit by a car",
            "lost her job",
            "moved away",
            "could not find a parking space",
            "fell on the ice",
            "started cycling",
            "had to close his shop",
        ],
        "when": [
            "last winter",
            "two years ago",
            "in March",
            "after the last reform",
            "during the works",
            "last week",
        ],
        "action": [
            "listen to residents",
            "publish the costs",
            "plant more trees",
            "repair the pavements",
            "lower the fares",
            "start with a pilot",
            "talk to the shop owners",
            "build more homes",
            "protect the park",
            "improve the buses",
            "delay the vote",
            "fund the libraries",
        ],
    },
    "fr": {
        "templates": [
            "Je pense que le {noun} {verdict} parce que {reason}.",
            "En tant que {role} à {place}, je trouve que {claim}.",
            "Pourquoi le texte ne dit rien sur {topic} ?",
            "La partie sur le {noun} {verdict2}.",
            "Il faut {need} avant {event}.",
            "Mon {relative} {experience} {when}.",
            "Il vaudrait mieux {action} et {action}.",
            "Si la mairie veut notre soutien, elle doit {action}.",
            "Comment le {noun} va-t-il toucher {place} ?",
        ],
        "noun": [
            "budget",
            "plan de circulation",
            "projet de tramway",
            "stationnement",
            "calendrier",
            "plan vélo",
            "projet d'école",
            "ramassage des déchets",
            "éclairage public",
            "marché couvert",
            "plan climat",
            "règlement",
        ],
        "verdict": [
            "est trop flou",
            "va dans le bon sens",
            "coûte beaucoup trop cher",
            "oublie les quartiers",
            "est un progrès",
            "ne marchera pas",
            "manque de détails",
            "est injuste pour les locataires",
            "arrive trop tard",
        ],
        "verdict2": [
            "doit être réécrite",
            "est la meilleure du texte",
            "est difficile à comprendre",
            "mérite une réunion publique",
            "manque de chiffres",
        ],
        "reason": [
            "personne n'a demandé l'avis des habitants",
            "les prix augmentent",
            "les routes sont saturées",
            "les jeunes familles partent",
            "les bus sont toujours en retard",
            "les commerces ferment",
            "l'air est de plus en plus pollué",
            "les loyers ont doublé",
            "c'était promis depuis des années",
            "les écoles sont pleines",
        ],
        "role": [
            "parent",
            "enseignant",
            "commerçant",
            "étudiant",
            "retraité",
            "cycliste",
            "infirmier",
            "locataire",
            "bénévole",
        ],
        "place": [
            "Montreuil",
            "la Croix-Rousse",
            "notre rue",
            "Bron",
            "le centre-ville",
            "la banlieue",
            "le quartier de la gare",
        ],
        "claim": [
            "le projet est trop centré sur le centre",
            "on ne nous écoute pas",
            "le plan pourrait marcher avec quelques changements",
            "les coûts sont cachés",
            "la consultation est trop courte",
            "plus d'arbres aideraient tout le monde",
            "la sécurité doit passer en premier",
            "le budget est irréaliste",
        ],
        "topic": [
            "l'accessibilité",
            "la sécurité la nuit",
            "les personnes âgées",
            "le bruit",
            "les toilettes publiques",
            "l'entretien",
            "les vols de vélos",
            "les livraisons",
            "les trajets scolaires",
        ],
        "need": [
            "une vraie étude",
            "plus de bancs",
            "des passages piétons sûrs",
            "un budget clair",
            "des voies de bus",
            "plus d'arbres",
            "des logements abordables",
            "une réunion publique",
        ],
        "event": [
            "le début des travaux",
            "le vote",
            "l'hiver prochain",
            "l'été",
            "l'adoption du budget",
        ],
        "relative": ["père", "fils", "voisin", "mari", "frère", "grand-père", "ami"],
        "experience": [
            "a attendu le bus une heure",
            "a été renversé par une voiture",
            "a perdu son emploi",
            "a déménagé",
            "est tombé sur le verglas",
            "a dû fermer sa boutique",
        ],
        "when": [
            "l'hiver dernier",
            "il y a deux ans",
            "en mars",
            "pendant les travaux",
            "la semaine dernière",
        ],
        "action": [
            "écouter les habitants",
            "publier les coûts",
            "planter des arbres",
            "réparer les trottoirs",
            "baisser les tarifs",
            "commencer par un essai",
            "parler aux commerçants",
            "construire des logements",
            "protéger le parc",
            "améliorer les bus",
            "reporter le vote",
        ],
    },
    "fa": {
        "templates": [
            "به نظر من {noun} {verdict} چون {reason}.",
            "من به عنوان یک {role} در {place} فکر می‌کنم {claim}.",
            "چرا در این متن چیزی درباره {topic} گفته نشده است؟",
            "بخش مربوط به {noun} {verdict2}.",
            "قبل از {event} به {need} نیاز داریم.",
            "{relative} من {when} {experience}.",
            "بهتر است {action} و {action}.",
            "اگر شهرداری حمایت ما را می‌خواهد باید {action}.",
        ],
        "noun": [
            "بودجه",
            "طرح اتوبوس",
            "خط جدید مترو",
            "طرح پارکینگ",
            "برنامه مسکن",
            "زمان‌بندی",
            "طرح دوچرخه",
            "برنامه مدارس",
            "جمع‌آوری زباله",
            "روشنایی معابر",
            "طرح بازار",
            "برنامه انرژی",
        ],
        "verdict": [
            "خیلی مبهم است",
            "در مسیر درستی است",
            "بسیار گران است",
            "حاشیه شهر را فراموش کرده است",
            "یک قدم رو به جلو است",
            "جواب نمی‌دهد",
            "جزئیات کافی ندارد",
            "به ضرر مستاجران است",
            "خیلی دیر است",
        ],
        "verdict2": [
            "باید بازنویسی شود",
            "بهترین بخش متن است",
            "فهمیدنش سخت است",
            "به جلسه عمومی نیاز دارد",
            "عدد و رقم ندارد",
        ],
        "reason": [
            "کسی نظر ساکنان را نپرسیده است",
            "قیمت‌ها مدام بالا می‌رود",
            "خیابان‌ها همین حالا شلوغ است",
            "خانواده‌های جوان می‌روند",
            "اتوبوس‌ها همیشه دیر می‌آیند",
            "مغازه‌ها تعطیل می‌شوند",
            "هوا روز به روز آلوده‌تر می‌شود",
            "اجاره‌ها دو برابر شده است",
            "سال‌ها پیش قولش را داده بودند",
            "مدرسه‌ها پر هستند",
        ],
        "role": [
            "پدر",
            "مادر",
            "معلم",
            "مغازه‌دار",
            "دانشجو",
            "بازنشسته",
            "پرستار",
            "راننده تاکسی",
            "مستاجر",
        ],
        "place": ["منطقه ۵", "محله ما", "مرکز شهر", "حاشیه شهر", "نزدیک ایستگاه", "کوی دانشگاه"],
        "claim": [
            "این طرح فقط به مرکز شهر توجه دارد",
            "صدای ما شنیده نمی‌شود",
            "با چند تغییر کوچک طرح جواب می‌دهد",
            "هزینه‌ها پنهان شده‌اند",
            "مهلت نظرخواهی کوتاه است",
            "درخت بیشتر به همه کمک می‌کند",
            "ایمنی باید در اولویت باشد",
            "بودجه واقع‌بینانه نیست",
        ],
        "topic": [
            "دسترسی معلولان",
            "امنیت شبانه",
            "سالمندان",
            "سر و صدا",
            "سرویس بهداشتی",
            "هزینه نگهداری",
            "سرقت دوچرخه",
            "مسیر مدرسه",
        ],
        "need": [
            "یک مطالعه درست",
            "نیمکت بیشتر",
            "خط عابر پیاده ایمن",
            "بودجه شفاف",
            "خط ویژه اتوبوس",
            "درخت بیشتر",
            "مسکن ارزان",
            "جلسه عمومی",
        ],
        "event": ["شروع کار", "رای‌گیری", "زمستان آینده", "تابستان", "تصویب بودجه"],
        "relative": ["پدر", "پسر", "همسایه", "همسر", "برادر", "پدربزرگ", "دوست"],
        "experience": [
            "یک ساعت منتظر اتوبوس ماند",
            "تصادف کرد",
            "کارش را از دست داد",
            "از این محله رفت",
            "روی یخ زمین خورد",
            "مغازه‌اش را بست",
        ],
        "when": ["زمستان پارسال", "دو سال پیش", "فروردین", "در زمان ساخت و ساز", "هفته گذشته"],
        "action": [
            "به حرف ساکنان گوش دهند",
            "هزینه‌ها را منتشر کنند",
            "درخت بکارند",
            "پیاده‌روها را تعمیر کنند",
            "کرایه را کم کنند",
            "با یک طرح آزمایشی شروع کنند",
            "با مغازه‌داران صحبت کنند",
            "مسکن بسازند",
            "از پارک محافظت کنند",
        ],
    },
}

QUOTE_DRAFT = {
    "en": [
        'The draft says: "{q}" {own}',
        "Regarding {q} {own}",
        '"{q}" - {own}',
        "On the sentence {q} {own}",
        "> {q}\n{own}",
    ],
    "fr": ["Le texte dit : « {q} » {own}", "Concernant {q} {own}", "« {q} » {own}", "> {q}\n{own}"],
    "fa": ["در متن آمده است: «{q}» {own}", "درباره {q} {own}", "«{q}» {own}", "> {q}\n{own}"],
}
QUOTE_OTHER = {
    "en": [
        'I agree with the comment that said "{q}" {own}',
        "> {q}\n{own}",
        'Someone wrote "{q}" but {own}',
    ],
    "fr": ["Je suis d'accord avec « {q} » {own}", "> {q}\n{own}"],
    "fa": ["با این نظر که «{q}» موافقم. {own}", "> {q}\n{own}"],
}


def _fill(lang: str, template: str, rng: random.Random) -> str:
    g = GRAMMAR[lang]
    return re.sub(r"\{(\w+)\}", lambda m: rng.choice(g[m.group(1)]), template)


def organic_sentence(lang: str, rng: random.Random) -> str:
    return _fill(lang, rng.choice(GRAMMAR[lang]["templates"]), rng)


def draft(lang: str, seed: int, n: int = 24) -> list[str]:
    rng = random.Random(seed * 7 + 1)
    return [organic_sentence(lang, rng) for _ in range(n)]


# ---- variations a person or a script makes ---------------------------------------------------

_FA_ARABIC_KEYBOARD = str.maketrans({"ی": "ي", "ک": "ك"})
_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_ACCENTS = str.maketrans("éèêëàâäîïôöùûüçÉÈÊÀÇœ", "eeeeaaaiioouuucEEEACo")


def keyboard(text: str, lang: str, rng: random.Random) -> str:
    """How the same words come out of other keyboards and habits."""
    if lang == "fa":
        r = rng.random()
        if r < 0.3:
            text = text.translate(_FA_ARABIC_KEYBOARD)
        if rng.random() < 0.3:
            text = text.replace("\u200c", " ")
        elif rng.random() < 0.3:
            text = text.replace("\u200c", "")
        if rng.random() < 0.3:
            text = text.translate(_FA_DIGITS if rng.random() < 0.5 else _AR_DIGITS)
        if rng.random() < 0.1:
            text = text.replace("ه ", "ة ")
    elif lang == "fr" and rng.random() < 0.3:
        text = text.translate(_ACCENTS)
    r = rng.random()
    if r < 0.1:
        text = text.upper() if rng.random() < 0.3 else text.lower()
    if rng.random() < 0.2:
        text = re.sub(r"[.,;:!?]", lambda m: rng.choice(["", m.group(0), m.group(0) * 2]), text)
    if rng.random() < 0.2:
        text = re.sub(r" ", lambda m: rng.choice([" ", " ", "  ", "\n"]), text)
    return text


def typos(text: str, rng: random.Random, rate: float) -> str:
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) > 3 and rng.random() < rate:
            j = rng.randrange(len(w) - 1)
            kind = rng.randrange(3)
            if kind == 0:
                w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
            elif kind == 1:
                w = w[:j] + w[j + 1 :]
            else:
                w = w[:j] + w[j] + w[j:]
            words[i] = w
    return " ".join(words)


def _slots(text: str, lang: str, rng: random.Random) -> str:
    text = text.replace("[NAME]", rng.choice(NAMES[lang]))
    text = text.replace("[CITY]", rng.choice(CITIES[lang]))
    text = text.replace("[N]", str(rng.randint(2, 45)))
    return text.replace("[REASON]", rng.choice(PERSONAL[lang]))


CAMPAIGN_STYLES = ("exact", "decorated", "template", "spun", "partial", "typos", "truncated",
                   "keyboard", "mixed")  # fmt: skip


def campaign_copy(letter: str, lang: str, style: str, rng: random.Random) -> str:
    """One copy of a form letter (spintax, slots) in one style."""
    if style == "mixed":
        style = rng.choice(CAMPAIGN_STYLES[:-1])
    spun = style in ("spun",) or (style == "decorated" and rng.random() < 0.3)
    if style == "template" and "[" not in letter:
        # the letter's slots: a few of its choices differ per copy, plus a personal line
        braces = _SPIN.findall(letter)
        vary = set(rng.sample(range(len(braces)), min(3, len(braces))))
        it = iter(range(len(braces)))
        letter = _SPIN.sub(lambda m: "{" + m.group(1) + "}" if next(it) in vary
                           else m.group(1).split("|")[0], letter)  # fmt: skip
        letter = letter + " [REASON]"
        spun = True
    text = spin(letter, rng if spun else None)
    if "[" in text:  # a template letter: its slots are always filled per copy
        text = _slots(text, lang, rng)
    if style == "partial":
        ss = sentences(text)
        k = rng.randint(max(2, (len(ss) + 1) // 2), max(2, len(ss) - 1))
        chosen = sorted(rng.sample(range(len(ss)), k))
        if rng.random() < 0.3:
            rng.shuffle(chosen)
        text = " ".join(ss[i] for i in chosen)
        if rng.random() < 0.5:
            text = text + " " + rng.choice(PERSONAL[lang])
    elif style == "truncated":
        cut = int(len(text) * rng.uniform(0.5, 0.85))
        text = text[:cut]
    elif style == "typos":
        text = typos(text, rng, rng.uniform(0.05, 0.15))
    if style == "decorated" or rng.random() < 0.25:
        parts = sentences(text)
        if rng.random() < 0.8:
            parts.insert(0, rng.choice(GREETINGS[lang]))
        if rng.random() < 0.6:
            parts.insert(rng.randint(1, len(parts)), rng.choice(PERSONAL[lang]))
        if rng.random() < 0.8:
            parts.append(_slots(rng.choice(SIGNOFFS[lang]), lang, rng))
        text = " ".join(parts)
    if style == "keyboard" or rng.random() < 0.3:
        text = keyboard(text, lang, rng)
    return text


def organic_comment(lang: str, rng: random.Random, draft_sentences: list[str],
                    earlier: list[str]) -> tuple[str, str]:  # fmt: skip
    """(text, kind) of one citizen's own comment."""
    r = rng.random()
    if r < 0.12:
        text, kind = rng.choice(SHORT[lang]), "short"
    elif r < 0.27:
        own = (
            rng.choice(SHORT[lang])
            if rng.random() < 0.5
            else " ".join(organic_sentence(lang, rng) for _ in range(rng.randint(1, 3)))
        )
        q = rng.choice(draft_sentences).rstrip(".")
        text, kind = rng.choice(QUOTE_DRAFT[lang]).format(q=q, own=own), "quote_draft"
    elif r < 0.35 and earlier:
        src = sentences(rng.choice(earlier))
        q = " ".join(src[: rng.randint(1, 2)]).rstrip(".")
        own = (
            rng.choice(SHORT[lang])
            if rng.random() < 0.4
            else " ".join(organic_sentence(lang, rng) for _ in range(rng.randint(1, 3)))
        )
        text, kind = rng.choice(QUOTE_OTHER[lang]).format(q=q, own=own), "quote_other"
    else:
        n = rng.choice([1, 2, 2, 3, 3, 4, 5, 6])
        text = " ".join(organic_sentence(lang, rng) for _ in range(n))
        if rng.random() < 0.15:
            text = rng.choice(GREETINGS[lang]) + " " + text
        kind = "own"
    if rng.random() < 0.3:
        text = keyboard(text, lang, rng)
    return text, kind


@dataclass
class PlantedComments:
    rows: list[dict[str, Any]]
    campaign: dict[str, str | None]  # id -> campaign name or None
    kind: dict[str, str] = field(default_factory=dict)  # id -> organic kind / campaign style


def planted_comments(n: int, seed: int, campaign_share: float = 0.35,
                     campaigns: int = 9, styles: tuple[str, ...] | None = None,
                     ) -> PlantedComments:  # fmt: skip
    """``n`` comments, about ``campaign_share`` of them copies of ``campaigns`` form letters
    (sizes from a handful to thousands), in en/fa/fr, on 12 sections with stances."""
    rng = random.Random(seed)
    langs = ["en", "fa", "fr"]
    drafts = {lang: draft(lang, seed) for lang in langs}
    letters = [(lang, i) for lang in langs for i in range(len(LETTERS[lang]))]
    rng.shuffle(letters)
    chosen = [letters[i % len(letters)] for i in range(campaigns)]
    weights = [rng.paretovariate(1.2) for _ in chosen]
    n_campaign = int(n * campaign_share)
    sizes = [max(3, int(n_campaign * w / sum(weights))) for w in weights]
    style_pool = styles or CAMPAIGN_STYLES
    plan: list[tuple[str | None, str, str]] = []  # (campaign, lang, letter/style)
    for ci, ((lang, li), size) in enumerate(zip(chosen, sizes, strict=True)):
        style = style_pool[(seed + ci) % len(style_pool)]
        name = f"c{ci}-{lang}{li}-{style}"
        # a campaign letter of this set: the spintax letter, rewritten a little per set so two
        # campaigns of one letter are two letters
        letter = LETTERS[lang][li]
        if (lang, li) in [c for c in chosen[:ci]]:
            letter = organic_sentence(lang, rng) + " " + letter
        plan.extend((name, lang, letter + "\x00" + style) for _ in range(size))
    plan.extend((None, rng.choice(langs), "") for _ in range(max(0, n - len(plan))))
    rng.shuffle(plan)
    rows: list[dict[str, Any]] = []
    campaign: dict[str, str | None] = {}
    kind: dict[str, str] = {}
    earlier: dict[str, list[str]] = {lang: [] for lang in langs}
    for i, (who, lang, spec) in enumerate(plan):
        cid = f"m{i}"
        if who is None:
            text, k = organic_comment(lang, rng, drafts[lang], earlier[lang][-500:])
            if k == "own":
                earlier[lang].append(text)
        else:
            letter, style = spec.split("\x00")
            text, k = campaign_copy(letter, lang, style, rng), style
        rows.append({"id": cid, "text": text, "lang": lang, "section": rng.randint(1, 12),
                     "stance": rng.choice(["for", "against", "neutral", None])})  # fmt: skip
        campaign[cid] = who
        kind[cid] = k
    return PlantedComments(rows, campaign, kind)


@dataclass
class CommentScore:
    recall: float  # campaign comments in a group whose largest part is their campaign
    cohesion: float  # campaign comments in their campaign's largest group
    organic_fp: float  # organic comments in a group of 3 or more
    organic_fp_any: float  # organic comments in any group
    missed: Counter[str]  # by style
    wrongly_grouped: Counter[str]  # by organic kind

    def line(self) -> str:
        return (f"recall {self.recall:.3f} cohesion {self.cohesion:.3f} organic in groups of 3+ "
                f"{self.organic_fp:.4f} (any group {self.organic_fp_any:.4f}) "
                f"missed {dict(self.missed)} wrong {dict(self.wrongly_grouped)}")  # fmt: skip


def score_comments(planted: PlantedComments, groups: list[list[str]]) -> CommentScore:
    label = planted.campaign
    recalled: set[str] = set()
    best: dict[str, int] = {}
    fp: set[str] = set()
    fp_any: set[str] = set()
    for g in groups:
        counts = Counter(label[i] for i in g)
        top = max((c for c in counts if c is not None), key=lambda c: counts[c], default=None)
        if top is not None and counts[top] >= counts.get(None, 0):
            recalled.update(i for i in g if label[i] == top)
        for c, k in counts.items():
            if c is not None:
                best[c] = max(best.get(c, 0), k)
        for i in g:
            if label[i] is None:
                fp_any.add(i)
                if len(g) >= 3:
                    fp.add(i)
    n_campaign = sum(1 for c in label.values() if c is not None)
    n_organic = len(label) - n_campaign
    missed = Counter(
        planted.kind[i] for i, c in label.items() if c is not None and i not in recalled
    )
    wrong = Counter(planted.kind[i] for i in fp)
    return CommentScore(
        recall=len(recalled) / max(1, n_campaign),
        cohesion=sum(best.values()) / max(1, n_campaign),
        organic_fp=len(fp) / max(1, n_organic),
        organic_fp_any=len(fp_any) / max(1, n_organic),
        missed=missed, wrongly_grouped=wrong,
    )  # fmt: skip


# ---- signatures ---------------------------------------------------------------------------------

FIRST = ["maria", "john", "sarah", "ali", "fatemeh", "claire", "jean", "priya", "tom", "emma",
         "david", "lucy", "omar", "reza", "sara", "karim", "sophie", "luc", "nadia", "amir",
         "zahra", "hassan", "julie", "pierre", "anna", "michael", "laura", "paul", "leila",
         "mehdi", "ines", "hugo", "chloe", "lucas", "yasmin", "samuel", "nora", "adam", "lina",
         "victor"]  # fmt: skip
LAST = ["garcia", "smith", "patel", "khan", "ahmadi", "martin", "dupont", "rezaei", "brown",
        "wilson", "chen", "haddad", "moreau", "petit", "karimi", "hosseini", "bernard", "roux",
        "jones", "taylor", "nguyen", "mohammadi", "lefebvre", "fontaine", "weber", "schmidt",
        "rossi", "kowalski", "novak", "silva", "costa", "yilmaz", "ali", "hussain", "cohen",
        "levy", "durand", "girard", "mercier", "blanc"]  # fmt: skip
BIG = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "orange.fr",
       "free.fr", "gmx.de"]  # fmt: skip
SMALL = [f"{w}.{tld}" for w in ("mairie-lyon", "acme-corp", "univ-paris", "tehran-uni",
         "northfield-college", "citybank", "greenpeace-local", "posteo", "riseup", "fastmail",
         "lawfirm-bc", "hopital-nord", "school-district9", "bakery-coop", "cityhall")
         for tld in ("fr", "org", "com")]  # fmt: skip
UAS = [f"Mozilla/5.0 ({os}) AppleWebKit/537.36 (KHTML, like Gecko) {b}" for os in (
    "Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7", "X11; Linux x86_64",
    "iPhone; CPU iPhone OS 17_1 like Mac OS X", "Linux; Android 14; Pixel 8",
    "Linux; Android 13; SM-A536B") for b in ("Chrome/120.0.0.0 Safari/537.36",
    "Chrome/119.0.0.0 Safari/537.36", "Firefox/121.0", "Version/17.1 Mobile/15E148 Safari/604.1",
    "Edg/120.0.2210.91", "SamsungBrowser/23.0")]  # fmt: skip
REGIONS = [f"R{i:02d}" for i in range(1, 21)]


def _human(rng: random.Random, last: str | None = None) -> tuple[str, str]:
    first = rng.choice(FIRST)
    last = last or rng.choice(LAST)
    name = f"{first.title()} {last.title()}"
    style = rng.random()
    if style < 0.3:
        local = f"{first}.{last}"
    elif style < 0.45:
        local = f"{first[0]}{last}"
    elif style < 0.6:
        local = f"{first}{last}{rng.randint(1, 99)}"
    elif style < 0.7:
        local = f"{first}_{last}{rng.choice(['', str(rng.randint(1960, 2008))])}"
    elif style < 0.8:
        local = f"{last}.{first}"
    elif style < 0.9:
        local = f"{rng.choice(['sunny', 'blue', 'happy', 'little', 'green', 'dark'])}"
        local += f"{rng.choice(['cat', 'fox', 'bird', 'rose', 'star', 'wolf'])}{rng.randint(1, 99)}"
    else:
        local = f"{first}{rng.randint(1, 9)}"
    domain = rng.choice(BIG) if rng.random() < 0.65 else rng.choice(SMALL)
    return name, f"{local}@{domain}"


def _ua(rng: random.Random) -> str:
    return UAS[min(len(UAS) - 1, int(rng.paretovariate(1.0)) - 1)]


def _residential(rng: random.Random) -> str:
    a = rng.choice([81, 82, 86, 90, 92, 109, 176, 178, 185, 188, 5, 31, 37, 46, 62, 77, 78])
    return f"{a}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _ipv6(rng: random.Random) -> str:
    return f"2a01:{rng.randrange(0xFFFF):x}:{rng.randrange(0xFFFF):x}:{rng.randrange(0xFFFF):x}::{rng.randrange(1, 0xFFFF):x}"


@dataclass
class PlantedSignatures:
    rows: list[dict[str, Any]]
    wave: list[str | None]  # per row: the wave's name, or None for a person
    kind: list[str]  # per row: organic kind or wave style


WAVE_STYLES = ("one_address", "rotation", "generated", "domain", "trickle", "region",
               "ua_script", "wide_proxies")  # fmt: skip


def planted_signatures(days: int, per_day: int, seed: int, styles: tuple[str, ...] = WAVE_STYLES,
                       wave_size: int = 150, iso: bool = False) -> PlantedSignatures:  # fmt: skip
    """``days`` of organic signatures (about ``per_day`` a day, a daily rhythm and one viral
    afternoon) with carrier CGNAT addresses, campus and office NATs and households, plus one
    wave of each style."""
    rng = random.Random(seed)
    rows: list[tuple[float, dict[str, Any], str | None, str]] = []
    cgnat = [f"100.{rng.randrange(64, 128)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
             for _ in range(6)] + [f"176.{rng.randrange(256)}.7.{i}" for i in range(1, 9)]  # fmt: skip
    campus = [f"193.{rng.randrange(256)}.{rng.randrange(256)}.10" for _ in range(3)]
    office = [f"212.{rng.randrange(256)}.{rng.randrange(256)}.2" for _ in range(4)]
    office_ua = {ip: rng.choice(UAS) for ip in office}
    region_w = [rng.paretovariate(1.5) for _ in REGIONS]
    viral_day = rng.randrange(days)

    def rate(t: float) -> float:
        hour = (t % 86400) / 3600
        r = per_day / 86400 * (0.15 + 1.7 * max(0.0, math.sin(math.pi * (hour - 6) / 17)))
        if int(t // 86400) == viral_day and 13 <= hour < 16:
            r *= 6
        return r

    t = 0.0
    peak = per_day / 86400 * 1.85 * 6
    end = days * 86400.0
    while True:  # thinning: a Poisson process with the daily rate
        t += rng.expovariate(peak)
        if t >= end:
            break
        if rng.random() > rate(t) / peak:
            continue
        name, email = _human(rng)
        r = rng.random()
        hour = (t % 86400) / 3600
        if r < 0.25:
            ip, kind = rng.choice(cgnat), "cgnat"
        elif r < 0.33 and 8 <= hour < 19:
            ip, kind = rng.choice(campus), "campus"
            first, last = name.lower().split()
            email = f"{first}.{last}@univ-{campus.index(ip)}.edu"
        elif r < 0.38 and 8 <= hour < 19:
            ip, kind = rng.choice(office), "office"
        elif r < 0.45:
            ip, kind = _ipv6(rng), "residential"
        else:
            ip, kind = _residential(rng), "residential"
        ua = office_ua[ip] if kind == "office" and rng.random() < 0.8 else _ua(rng)
        region = rng.choices(REGIONS, region_w)[0]
        row = {"name": name, "email": email, "region": region, "ip": ip, "user_agent": ua}
        rows.append((t, row, None, kind))
        if kind == "campus" and rng.random() < 0.05:  # a class signs together
            for _ in range(rng.randint(5, 25)):
                nm, _e = _human(rng)
                f_, l_ = nm.lower().split()
                rows.append(
                    (
                        t + rng.uniform(0, 900),
                        {
                            "name": nm,
                            "email": f"{f_}.{l_}@univ-{campus.index(ip)}.edu",
                            "region": region,
                            "ip": ip,
                            "user_agent": _ua(rng),
                        },
                        None,
                        "campus",
                    )
                )
        if rng.random() < 0.12:  # a household: a second person a minute or two later
            nm, em = _human(rng, last=name.split()[-1].lower())
            rows.append(
                (
                    t + rng.uniform(20, 180),
                    {
                        "name": nm,
                        "email": em,
                        "region": region,
                        "ip": ip,
                        "user_agent": _ua(rng) if rng.random() < 0.7 else ua,
                    },
                    None,
                    "household",
                )
            )
    for wi, style in enumerate(styles):
        rows.extend(_wave(style, f"w{wi}-{style}", rng, days, wave_size))
    rows.sort(key=lambda r: r[0])
    out_rows = []
    base = datetime(2026, 3, 1, tzinfo=UTC)
    for tt, row, _w, _k in rows:
        row = dict(row)
        row["t"] = (base + timedelta(seconds=tt)).isoformat() if iso else round(tt, 3)
        out_rows.append(row)
    return PlantedSignatures(out_rows, [r[2] for r in rows], [r[3] for r in rows])


def _random_local(rng: random.Random) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(7, 12)))


def _wave(style: str, name: str, rng: random.Random, days: int, size: int,
          ) -> list[tuple[float, dict[str, Any], str, str]]:  # fmt: skip
    start = rng.uniform(0.5, days - 1) * 86400
    out = []
    net = (
        f"{rng.choice([45, 91, 104, 138, 159, 167, 195])}.{rng.randrange(256)}.{rng.randrange(256)}"
    )
    one_ua = rng.choice(UAS)
    domain = f"{rng.choice(['mail', 'post', 'inbox', 'letter'])}-{rng.randrange(1000)}.net"
    region = rng.choice(REGIONS[-6:])
    t = start
    for i in range(size):
        nm, em = _human(rng)
        first, last = nm.lower().split()
        ua = _ua(rng)
        ip = _residential(rng)
        reg = rng.choice(REGIONS)
        if style == "one_address":
            t += rng.uniform(2, 12)
            ip = f"{net}.{rng.randrange(1, 255)}" if i == 0 else out[0][1]["ip"]
            em = f"{first}.{last}{rng.randint(1000, 9999)}@{rng.choice(BIG)}"
            ua = one_ua
        elif style == "rotation":
            t += rng.uniform(3, 20)
            ip = f"{net}.{(i % 250) + 1}"
        elif style == "generated":
            t += rng.expovariate(1 / 15)
            em = f"{_random_local(rng)}@{rng.choice(BIG)}"
            if rng.random() < 0.5:
                nm = _random_local(rng).title()
        elif style == "domain":
            t += rng.expovariate(1 / 30)
            em = em.split("@")[0] + "@" + domain
        elif style == "trickle":
            t += 90 + rng.uniform(-1, 1)
        elif style == "region":
            t += rng.expovariate(1 / 10)
            reg = region
        elif style == "ua_script":
            t += rng.expovariate(1 / 20)
            ua = (
                "python-requests/2.31.0"
                if rng.random() < 0.5
                else "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0.0.0"
            )
            em = f"{first}{last}{rng.randint(100, 9999)}@{rng.choice(BIG)}"
        elif style == "wide_proxies":
            t += rng.uniform(5, 25)
            ip = f"{net.rsplit('.', 1)[0]}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            ua = rng.choice(UAS[:3])
        out.append((t, {"name": nm, "email": em, "region": reg, "ip": ip, "user_agent": ua},
                    name, style))  # fmt: skip
    return out


@dataclass
class SignatureScore:
    recall: float
    organic_fp: float
    missed: Counter[str]
    wrong: Counter[str]

    def line(self) -> str:
        return (f"recall {self.recall:.3f} organic flagged {self.organic_fp:.4f} "
                f"missed {dict(self.missed)} wrong {dict(self.wrong)}")  # fmt: skip


def score_signatures(planted: PlantedSignatures, flagged: list[int]) -> SignatureScore:
    f = set(flagged)
    wave_rows = [i for i, w in enumerate(planted.wave) if w is not None]
    organic = [i for i, w in enumerate(planted.wave) if w is None]
    return SignatureScore(
        recall=sum(1 for i in wave_rows if i in f) / max(1, len(wave_rows)),
        organic_fp=sum(1 for i in organic if i in f) / max(1, len(organic)),
        missed=Counter(planted.kind[i] for i in wave_rows if i not in f),
        wrong=Counter(planted.kind[i] for i in organic if i in f),
    )
