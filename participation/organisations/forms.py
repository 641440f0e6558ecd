"""The body form (name and description in every language side by side, parent, slug, the
body's settings as typed fields) and the appointment form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationInfo, field_validator, model_validator

from participation.forms import (
    Choice,
    Email,
    FieldError,
    FormModel,
    IdChoice,
    Integer,
    Text,
    Tick,
    field_error,
)
from participation.i18n import LOCALES
from participation.i18n import gettext as _
from participation.organisations.body_settings import (
    DAYS,
    DEFAULTS,
    FLAGS,
    SIGNATURES,
    BodySettings,
    settings_of,
)

if TYPE_CHECKING:  # mypy reads the Python types, pydantic the validating ones below
    Slug = str
    Name = str
    Description = str
    Locale = str
    Parent = int | None
    Days = int
    Signatures = int
    Ticked = bool
    FlagCount = int | None
    OptionalDays = int | None
else:
    Slug = Text(80, required=False)
    Name = Text(200, required=False)
    Description = Text(5000, required=False, multiline=True)
    Locale = Choice(LOCALES)
    Parent = IdChoice("parent_ids", required=False)
    Days = Integer(*DAYS)
    Signatures = Integer(*SIGNATURES)
    Ticked = Tick()
    FlagCount = Integer(*FLAGS, required=False)
    OptionalDays = Integer(*DAYS, required=False)


class BodyInput(FormModel):
    """``slug`` is asked for new bodies only (``bind(..., new=True)``); ``parent`` is one of
    ``bind(..., parent_ids=[...])``."""

    slug: Slug = ""
    original_locale: Locale
    parent: Parent = None
    name_en: Name = ""
    name_fa: Name = ""
    name_ar: Name = ""
    name_fr: Name = ""
    description_en: Description = ""
    description_fa: Description = ""
    description_ar: Description = ""
    description_fr: Description = ""
    # the body's settings (participation.organisations.body_settings), one field each
    petition_open_days: Days
    petition_response_days: Days
    petition_response_threshold: Signatures
    petition_debate_threshold: Signatures
    petition_officials_moderate: Ticked = False
    flag_threshold: FlagCount = None  # empty: the default
    consultation_response_days: OptionalDays = None  # empty: the default

    @field_validator("slug")
    @classmethod
    def slug_of_a_new_body(cls, value: str, info: ValidationInfo) -> str:
        """Asked for a new body only: an existing one keeps its address."""
        if not (info.context or {}).get("new"):
            return ""
        if not value:
            raise field_error(_("This field is required."))
        return value

    @model_validator(mode="after")
    def consistent(self) -> BodyInput:
        if not getattr(self, f"name_{self.original_locale}"):
            raise FieldError(
                f"name_{self.original_locale}", _("Please give the name in the original language.")
            )
        if self.petition_debate_threshold < self.petition_response_threshold:
            raise FieldError(
                "petition_debate_threshold",
                _("The debate threshold cannot be lower than the response threshold."),
            )
        return self

    @property
    def i18n(self) -> dict[str, dict[str, str]]:
        return {
            loc: {
                "name": getattr(self, f"name_{loc}"),
                "description": getattr(self, f"description_{loc}"),
            }
            for loc in LOCALES
        }

    @property
    def settings(self) -> BodySettings:
        values = {name: getattr(self, name) for name in BodySettings.model_fields}
        return BodySettings.model_validate({k: v for k, v in values.items() if v is not None})

    @staticmethod
    def initial(body: Any = None) -> dict[str, Any]:
        """What the form shows first: the body's values, or a new body's defaults."""
        settings = settings_of(body) if body is not None else DEFAULTS
        data: dict[str, Any] = {
            name: ("1" if value is True else "" if value is False else value)
            for name, value in settings.model_dump().items()
        }
        if body is None:
            return {**data, "original_locale": "en"}
        data.update(original_locale=body.original_locale, parent=body.parent_id or "")
        for loc in LOCALES:
            data[f"name_{loc}"] = (body.i18n.get(loc) or {}).get("name", "")
            data[f"description_{loc}"] = (body.i18n.get(loc) or {}).get("description", "")
        return data


assert {f"name_{loc}" for loc in LOCALES} <= set(BodyInput.model_fields), "a locale lacks fields"


class AppointInput(FormModel):
    """``role`` is one of ``bind(..., roles=[...])``."""

    email: Email
    role: str = ""

    @field_validator("role")
    @classmethod
    def role_offered(cls, value: str, info: ValidationInfo) -> str:
        if value not in (info.context or {}).get("roles", ()):
            raise field_error(_("Please choose one of the options."))
        return value
