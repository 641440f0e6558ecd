"""The per-deployment list of regions a signer chooses from (code, label). Edit for another
country; codes are stored, labels are translated."""

from __future__ import annotations

from participation.i18n import lazy_gettext

REGIONS = (
    ("tehran", lazy_gettext("Tehran")),
    ("isfahan", lazy_gettext("Isfahan")),
    ("fars", lazy_gettext("Fars")),
    ("khorasan-razavi", lazy_gettext("Razavi Khorasan")),
    ("east-azerbaijan", lazy_gettext("East Azerbaijan")),
    ("west-azerbaijan", lazy_gettext("West Azerbaijan")),
    ("khuzestan", lazy_gettext("Khuzestan")),
    ("gilan", lazy_gettext("Gilan")),
    ("mazandaran", lazy_gettext("Mazandaran")),
    ("kerman", lazy_gettext("Kerman")),
    ("kermanshah", lazy_gettext("Kermanshah")),
    ("kurdistan", lazy_gettext("Kurdistan")),
    ("sistan-baluchestan", lazy_gettext("Sistan and Baluchestan")),
    ("hormozgan", lazy_gettext("Hormozgan")),
    ("other", lazy_gettext("Another province")),
    ("abroad", lazy_gettext("Living abroad")),
)

REGION_CODES = tuple(code for code, _label in REGIONS)


def region_label(code: str) -> str:
    return str(dict(REGIONS).get(code, code))
