"""Input validation for the petitions' HTML forms."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from participation.i18n import LOCALES
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l
from participation.web.legacy_forms import Form
from petitions.models import RejectReason
from petitions.regions import REGION_CODES

TITLE_MAX = 80
BACKGROUND_MAX = 1000
DETAILS_MAX = 5000

REJECT_LABELS = {
    RejectReason.DUPLICATE.value: _l("It duplicates a petition that is already open"),
    RejectReason.NOT_RESPONSIBLE.value: _l("It is not this body's responsibility"),
    RejectReason.OFFENSIVE.value: _l("It is offensive or abusive"),
    RejectReason.PERSONAL_DATA.value: _l("It contains personal data"),
    RejectReason.UNCLEAR.value: _l("It is unclear what it asks for"),
    RejectReason.NOT_ACTION.value: _l("It does not ask for an action"),
}


class PetitionForm(Form):
    def __init__(self, data: object = None, body_ids: Sequence[int] = ()) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.body_ids = [str(b) for b in body_ids]

    def clean(self) -> None:
        self.choice("body_id", self.body_ids)
        self.text("title", min_length=10, max_length=TITLE_MAX)
        self.text("action", min_length=10, max_length=500, multiline=True)
        self.text("background", required=False, max_length=BACKGROUND_MAX, multiline=True)
        self.text("details", required=False, max_length=DETAILS_MAX, multiline=True)
        self.choice("language", LOCALES)
        self.choice("region", REGION_CODES)


class SignForm(Form):
    def clean(self) -> None:
        self.text("name", min_length=2, max_length=100)
        self.email("email")
        self.choice("region", REGION_CODES)
        self.boolean("eligible", required=True)
        self.boolean("opt_in")


class RejectForm(Form):
    def clean(self) -> None:
        self.choice("reason", list(REJECT_LABELS))
        self.text("text", min_length=10, max_length=2000, multiline=True)


class InvalidationForm(Form):
    def clean(self) -> None:
        self.text("reason", min_length=5, max_length=1000, multiline=True)
        domain = self.text("domain", required=False, max_length=254).lower().lstrip("@")
        self.cleaned["domain"] = domain
        if domain and ("." not in domain or " " in domain):
            self.error("domain", _("Please enter a domain like example.org."))
        cidr = self.text("cidr", required=False, max_length=64)
        if cidr:
            try:
                self.cleaned["cidr"] = str(ipaddress.ip_network(cidr, strict=False))
            except ValueError:
                self.error("cidr", _("Please enter an address range like 203.0.113.0/24."))
        self.datetime("since", required=False)
        self.datetime("until", required=False)
        ids = []
        for part in self.input.get("ids").replace(",", " ").split():
            if part.isdigit() and len(part) < 19:
                ids.append(int(part))
            else:
                self.error("ids", _("Please list signature numbers separated by spaces."))
                break
        ids += [int(v) for v in self.input.getlist("id") if v.isdigit() and len(v) < 19]
        self.cleaned["ids"] = tuple(ids)
        self.cleaned["suspects_only"] = self.boolean("suspects_only")
        c = self.cleaned
        if not self.errors and not (c["domain"] or c.get("cidr") or c["since"] or c["until"]
                                    or c["ids"] or c["suspects_only"]):  # fmt: skip
            self.error("domain", _("Choose at least one criterion."))


class BlockForm(Form):
    def clean(self) -> None:
        kind = self.choice("kind", ["domain", "network"])
        value = self.text("value", max_length=254).lower()
        self.text("reason", required=False, max_length=500)
        if kind == "network" and value:
            try:
                self.cleaned["value"] = str(ipaddress.ip_network(value, strict=False))
            except ValueError:
                self.error("value", _("Please enter an address range like 203.0.113.0/24."))
        elif kind == "domain" and value and ("." not in value or " " in value):
            self.error("value", _("Please enter a domain like example.org."))


class DebateForm(Form):
    def clean(self) -> None:
        self.datetime("debate_at")
        link = self.text("debate_link", required=False, max_length=500)
        if link and not link.startswith(("https://", "http://")):
            self.error("debate_link", _("Please enter a web address starting with https://."))
