"""The per-deployment list of regions a signer chooses from (code, label). Edit for another
country; codes are stored, labels are translated."""

from __future__ import annotations

from participation.i18n import lazy_gettext as _l

REGIONS = (
    ("tehran", _l("Tehran")),
    ("isfahan", _l("Isfahan")),
    ("fars", _l("Fars")),
    ("khorasan-razavi", _l("Razavi Khorasan")),
    ("east-azerbaijan", _l("East Azerbaijan")),
    ("west-azerbaijan", _l("West Azerbaijan")),
    ("khuzestan", _l("Khuzestan")),
    ("gilan", _l("Gilan")),
    ("mazandaran", _l("Mazandaran")),
    ("kerman", _l("Kerman")),
    ("kermanshah", _l("Kermanshah")),
    ("kurdistan", _l("Kurdistan")),
    ("sistan-baluchestan", _l("Sistan and Baluchestan")),
    ("hormozgan", _l("Hormozgan")),
    ("other", _l("Another province")),
    ("abroad", _l("Living abroad")),
)

REGION_CODES = tuple(code for code, _label in REGIONS)


def region_label(code: str) -> str:
    return str(dict(REGIONS).get(code, code))
