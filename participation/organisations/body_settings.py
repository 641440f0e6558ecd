"""The settings of a government body, typed: every key a domain reads from ``Body.settings``.

``Body.settings`` is a JSON column; nothing reads it raw. Readers call ``settings_of(body)``
and get a ``BodySettings`` whose fields always hold a usable value: a key that is missing, or
whose stored value is bad (a string, a negative number, NaN, a number too big for its
column...), takes its default, and the other keys keep their stored values. The admin form
(``participation.organisations.forms.BodyInput``) writes every field, within the same bounds.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from participation.db import INT_MAX

log = logging.getLogger(__name__)

# Bounds shared by the model and the form.
DAYS = (1, 3650)  # up to ten years
SIGNATURES = (1, INT_MAX)
FLAGS = (0, 1000)  # 0: flags never hide anything by themselves

Days = Annotated[int, Field(ge=DAYS[0], le=DAYS[1])]
Signatures = Annotated[int, Field(ge=SIGNATURES[0], le=SIGNATURES[1])]
Flags = Annotated[int, Field(ge=FLAGS[0], le=FLAGS[1])]


class BodySettings(BaseModel):
    """What a body decides for the spaces it runs (its petitions, and its consultations'
    defaults)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    petition_open_days: Days = 182  # about six months
    petition_response_threshold: Signatures = 10_000
    petition_debate_threshold: Signatures = 100_000
    petition_response_days: Days = 90
    petition_officials_moderate: bool = False
    # flags that hide an item pending review, in every space of the body that does not set
    # its own (a consultation may); 0 = off
    flag_threshold: Flags = 3
    # days the body has to publish its response to a consultation once it closed
    consultation_response_days: Days = 84  # twelve weeks

    def stored(self) -> dict[str, Any]:
        """The JSON object kept in ``Body.settings``."""
        return self.model_dump()


DEFAULTS = BodySettings()


def settings_of(body: Any) -> BodySettings:
    """The typed settings of a body (or of its stored ``settings`` mapping): every bad or
    missing value replaced by its default, never an error."""
    raw = body if isinstance(body, Mapping) else getattr(body, "settings", None)
    if not isinstance(raw, Mapping) or not raw:
        return DEFAULTS
    values = {k: v for k, v in raw.items() if k in BodySettings.model_fields}
    try:
        return BodySettings.model_validate(values)
    except ValidationError as exc:
        bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
        log.warning("body settings: stored values of %s are not usable; defaults used", sorted(bad))
        good = {k: v for k, v in values.items() if k not in bad}
        return BodySettings.model_validate(good)
