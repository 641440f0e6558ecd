"""Account forms: typed input (``participation.forms``), bound in the views with ``bind``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, model_validator

from participation.forms import Choice, Email, FieldError, FormModel, Text, Tick, field_error
from participation.i18n import LOCALES
from participation.i18n import gettext as _

PASSWORD_MIN = 10
PASSWORD_MAX = 200


def _new_password(value: str) -> str:
    """Kept exactly as typed (spaces count); at least PASSWORD_MIN characters."""
    if not value:
        raise field_error(_("This field is required."))
    if len(value) < PASSWORD_MIN:
        raise field_error(
            _("Please choose a password of at least %(n)s characters.", n=PASSWORD_MIN)
        )
    if len(value) > PASSWORD_MAX:
        raise field_error(
            _(
                "Please keep this to %(n)s characters or fewer (now %(len)s).",
                n=PASSWORD_MAX,
                len=len(value),
            )
        )
    return value


def _given_password(value: str) -> str:
    """A password to check: required; beyond PASSWORD_MAX it cannot match, so it is cut."""
    if not value:
        raise field_error(_("This field is required."))
    return value[:PASSWORD_MAX]


if TYPE_CHECKING:  # mypy reads the Python types, pydantic the validating ones below
    NewPassword = str
    CommentsChoice = str
    Confirmed = bool
    GivenPassword = str
    DisplayName = str
    Region = str
    Locale = str
else:
    NewPassword = Annotated[str, AfterValidator(_new_password)]
    GivenPassword = Annotated[str, AfterValidator(_given_password)]
    DisplayName = Text(100)
    Region = Text(100, required=False)
    Locale = Choice(LOCALES)
    CommentsChoice = Choice(("keep", "remove"))
    Confirmed = Tick(required=True)


class RegisterInput(FormModel):
    email: Email
    password: NewPassword = ""
    display_name: DisplayName
    locale: Locale
    region: Region = ""


class LoginInput(FormModel):
    email: Email
    password: GivenPassword = ""


class EmailInput(FormModel):
    """Asking for a password reset link or a new confirmation link."""

    email: Email


class ResetInput(FormModel):
    password: NewPassword = ""
    password_again: str = ""

    @model_validator(mode="after")
    def same_twice(self) -> ResetInput:
        if self.password != self.password_again:
            raise FieldError("password_again", _("The two passwords are not the same."))
        return self


class ProfileInput(FormModel):
    display_name: DisplayName
    locale: Locale
    region: Region = ""

    @classmethod
    def initial(cls, user: Any) -> dict[str, str]:
        return {"display_name": user.display_name, "locale": user.locale, "region": user.region}


class EraseInput(FormModel):
    """Erasing one's account: the password again, what becomes of the comments, and a tick."""

    password: GivenPassword = ""
    comments: CommentsChoice = "keep"
    confirm: Confirmed = False

    @property
    def keep_comments(self) -> bool:
        return self.comments == "keep"
