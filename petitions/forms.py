"""Typed input of the petitions' HTML forms (``participation.forms``), bound in the views with
``bind(...)``; the services take the validated models."""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)

from participation.forms import (
    BIGINT_MAX,
    Choice,
    DateTime,
    Email,
    FieldError,
    FormModel,
    IdChoice,
    Integer,
    Text,
    Tick,
    field_error,
    parse_int,
)
from participation.i18n import LOCALES, lazy_gettext
from participation.i18n import gettext as _
from petitions.models import RejectReason
from petitions.regions import REGION_CODES

TITLE_MAX = 80
BACKGROUND_MAX = 1000
DETAILS_MAX = 5000

REJECT_LABELS = {
    RejectReason.DUPLICATE.value: lazy_gettext("It duplicates a petition that is already open"),
    RejectReason.NOT_RESPONSIBLE.value: lazy_gettext("It is not this body's responsibility"),
    RejectReason.OFFENSIVE.value: lazy_gettext("It is offensive or abusive"),
    RejectReason.PERSONAL_DATA.value: lazy_gettext("It contains personal data"),
    RejectReason.UNCLEAR.value: lazy_gettext("It is unclear what it asks for"),
    RejectReason.NOT_ACTION.value: lazy_gettext("It does not ask for an action"),
}


def _domain(value: str) -> str:
    value = value.lower().lstrip("@")
    if value and ("." not in value or " " in value):
        raise field_error(_("Please enter a domain like example.org."))
    return value


def _network(value: str) -> str:
    """An address range, written the one way (``203.0.113.7/24`` -> ``203.0.113.0/24``)."""
    if not value:
        return value
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError:
        raise field_error(_("Please enter an address range like 203.0.113.0/24.")) from None


def _signature_numbers(value: Any) -> tuple[int, ...]:
    """Signature numbers typed with spaces or commas between them."""
    if isinstance(value, list | tuple):
        return tuple(value)
    ids = []
    for part in str(value or "").replace(",", " ").split():
        n = parse_int(part, high=BIGINT_MAX)
        if n is None:
            raise field_error(_("Please list signature numbers separated by spaces."))
        ids.append(n)
    return tuple(ids)


def _ticked_numbers(values: Any) -> list[int]:
    """The ids of ticked boxes; anything that is not one is left out."""
    found = (parse_int(str(v), high=BIGINT_MAX) for v in values or ())
    return [n for n in found if n is not None]


def _web_address(value: str) -> str:
    if value and not value.startswith(("https://", "http://")):
        raise field_error(_("Please enter a web address starting with https://."))
    return value


if TYPE_CHECKING:  # mypy reads the Python types, pydantic the validating ones below
    BodyId = int
    Title = str
    Action = str
    Background = str
    Details = str
    Language = str
    Region = str
    Name = str
    RejectReasonCode = str
    RejectText = str
    Reason = str
    Domain = str
    Network = str
    Link = str
    BlockKind = str
    BlockValue = str
    BlockReason = str
    Required = bool
    WaveAct = str
    UpTo = int
    Ticked = bool
    SignatureNumbers = tuple[int, ...]
    TickedNumbers = list[int]
    When = datetime
    MaybeWhen = datetime | None
else:
    BodyId = IdChoice("body_ids")
    Title = Text(TITLE_MAX, min_length=10)
    Action = Text(500, min_length=10, multiline=True)
    Background = Text(BACKGROUND_MAX, required=False, multiline=True)
    Details = Text(DETAILS_MAX, required=False, multiline=True)
    Language = Choice(LOCALES)
    Region = Choice(REGION_CODES)
    Name = Text(100, min_length=2)
    Required = Tick(required=True)
    Ticked = Tick()
    RejectReasonCode = Choice(list(REJECT_LABELS))
    RejectText = Text(2000, min_length=10, multiline=True)
    Reason = Text(1000, min_length=5, multiline=True)
    Domain = Annotated[Text(254, required=False), AfterValidator(_domain)]
    Network = Annotated[Text(64, required=False), AfterValidator(_network)]
    SignatureNumbers = Annotated[tuple[int, ...], BeforeValidator(_signature_numbers)]
    TickedNumbers = Annotated[list[int], BeforeValidator(_ticked_numbers)]
    When = DateTime()
    MaybeWhen = DateTime(required=False)
    BlockKind = Choice(["domain", "network"])
    WaveAct = Choice(["accept", "remove"])
    UpTo = Integer(1, BIGINT_MAX)
    BlockValue = Annotated[Text(254), AfterValidator(str.lower)]
    BlockReason = Text(500, required=False)
    Link = Annotated[Text(500, required=False), AfterValidator(_web_address)]


class PetitionInput(FormModel):
    """A new petition; ``bind(..., body_ids=...)``: the bodies one may address."""

    body_id: BodyId
    title: Title
    action: Action
    background: Background = ""
    details: Details = ""
    language: Language
    region: Region


class SignInput(FormModel):
    name: Name
    email: Email
    region: Region
    eligible: Required = False
    opt_in: Ticked = False


class RejectInput(FormModel):
    reason: RejectReasonCode
    text: RejectText


class InvalidationInput(FormModel):
    """Which signatures to remove from a count, and why; at least one criterion."""

    reason: Reason
    domain: Domain = ""
    cidr: Network = ""
    since: MaybeWhen = None
    until: MaybeWhen = None
    ids: SignatureNumbers = ()
    suspects_only: Ticked = False

    @property
    def chosen(self) -> bool:
        return bool(self.domain or self.cidr or self.since or self.until or self.ids
                    or self.suspects_only)  # fmt: skip

    @model_validator(mode="after")
    def _one_criterion(self) -> InvalidationInput:
        if not self.chosen:
            raise FieldError("domain", _("Choose at least one criterion."))
        return self


class SuspectsInput(FormModel):
    """Suspect signatures a moderator ticked as genuine."""

    id: TickedNumbers = []


class WaveDecisionInput(FormModel):
    """A moderator's one act on a wave of held signatures: count them or remove them, for
    the signatures shown (numbered up to ``upto``)."""

    decision: WaveAct
    upto: UpTo


class BlockInput(FormModel):
    kind: BlockKind
    value: BlockValue
    reason: BlockReason = ""

    @field_validator("value")
    @classmethod
    def _fits_kind(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        if kind == "network":
            return _network(value)
        if kind == "domain" and ("." not in value or " " in value):
            raise field_error(_("Please enter a domain like example.org."))
        return value


class DebateInput(FormModel):
    debate_at: When
    debate_link: Link = ""
