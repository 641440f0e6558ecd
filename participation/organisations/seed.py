"""Demo bodies in four languages (a ministry with an agency, and a city) and their members."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from participation.accounts import queries as account_queries
from participation.organisations import queries, services
from participation.organisations.models import Role
from participation.settings import Settings

MINISTRY: dict[str, Any] = {
    "slug": "ministry-of-roads",
    "original_locale": "fa",
    "i18n": {
        "fa": {
            "name": "وزارت راه و شهرسازی",
            "description": "وزارت راه و شهرسازی سیاست‌های حمل‌ونقل، مسکن و توسعهٔ شهری کشور را "
            "تدوین می‌کند و پیش‌نویس آن‌ها را برای نظرخواهی عمومی منتشر می‌کند.",
        },
        "en": {
            "name": "Ministry of Roads and Urban Development",
            "description": "The ministry drafts the country's policies on transport, housing "
            "and urban development, and publishes its drafts for public consultation.",
        },
        "ar": {
            "name": "وزارة الطرق والتنمية العمرانية",
            "description": "تضع الوزارة سياسات البلاد في النقل والإسكان والتنمية العمرانية، "
            "وتنشر مسوداتها للتشاور العام.",
        },
        "fr": {
            "name": "Ministère des Routes et du Développement urbain",
            "description": "Le ministère élabore les politiques du pays en matière de "
            "transport, de logement et de développement urbain, et soumet ses projets à la "
            "consultation publique.",
        },
    },
}

AGENCY: dict[str, Any] = {
    "slug": "road-maintenance-organization",
    "original_locale": "fa",
    "i18n": {
        "fa": {
            "name": "سازمان راهداری و حمل‌ونقل جاده‌ای",
            "description": "نگهداری راه‌های کشور و نظارت بر حمل‌ونقل جاده‌ای.",
        },
        "en": {
            "name": "Road Maintenance and Transportation Organization",
            "description": "Maintains the country's roads and oversees road transport.",
        },
        "ar": {
            "name": "منظمة صيانة الطرق والنقل البري",
            "description": "تتولى صيانة طرق البلاد والإشراف على النقل البري.",
        },
        "fr": {
            "name": "Organisation de l'entretien des routes et du transport routier",
            "description": "Entretient le réseau routier du pays et supervise le transport "
            "routier.",
        },
    },
}

CITY: dict[str, Any] = {
    "slug": "tehran-municipality",
    "original_locale": "fa",
    "i18n": {
        "fa": {
            "name": "شهرداری تهران",
            "description": "شهرداری تهران طرح‌های شهری، فضای سبز و حمل‌ونقل عمومی پایتخت را "
            "اداره می‌کند.",
        },
        "en": {
            "name": "Tehran Municipality",
            "description": "The municipality runs the capital's urban projects, parks and "
            "public transport.",
        },
        "ar": {
            "name": "بلدية طهران",
            "description": "تدير البلدية مشاريع العاصمة العمرانية وحدائقها ونقلها العام.",
        },
        "fr": {
            "name": "Municipalité de Téhéran",
            "description": "La municipalité gère les projets urbains, les parcs et les "
            "transports publics de la capitale.",
        },
    },
}

# (e-mail, role, body slug or None for a global role)
DEMO_MEMBERS: tuple[tuple[str, Role, str | None], ...] = (
    ("publisher@example.org", Role.PUBLISHER, MINISTRY["slug"]),
    ("editor@example.org", Role.EDITOR, MINISTRY["slug"]),
    ("city@example.org", Role.PUBLISHER, CITY["slug"]),
    ("moderator@example.org", Role.MODERATOR, None),
)


async def seed_demo(settings: Settings, log: Callable[[str], object]) -> None:
    created = 0
    parent_ids: dict[str, int] = {}
    for spec, parent in ((MINISTRY, None), (AGENCY, MINISTRY["slug"]), (CITY, None)):
        body = await queries.body_by_slug(spec["slug"])
        if body is None:
            body = await services.create_body(
                None,
                slug=spec["slug"],
                i18n=spec["i18n"],
                original_locale=spec["original_locale"],
                parent_id=parent_ids.get(parent) if parent else None,
            )
            created += 1
        parent_ids[spec["slug"]] = body.id
    appointed = 0
    for email, role, slug in DEMO_MEMBERS:
        user = await account_queries.user_by_email(email)
        body = await queries.body_by_slug(slug) if slug else None
        if user is None or (slug and body is None):
            continue
        if await queries.has_membership(user.id, body.id if body else None, role):
            continue
        await services.appoint(None, user, role, body, notify=False)
        appointed += 1
    log(f"Organisations: {created} body(ies) created, {appointed} appointment(s) made.")
