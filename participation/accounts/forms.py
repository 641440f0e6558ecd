"""Account forms."""

from __future__ import annotations

from participation.i18n import LOCALES
from participation.i18n import gettext as _
from participation.web.legacy_forms import Form

PASSWORD_MIN = 10
PASSWORD_MAX = 200


class RegisterForm(Form):
    def clean(self) -> None:
        self.email("email")
        self.password("password")
        self.text("display_name", max_length=100)
        self.choice("locale", LOCALES)
        self.text("region", required=False, max_length=100)

    def password(self, name: str) -> str:
        value = self.input.get(name)
        if not value:
            self.error(name, _("This field is required."))
        elif len(value) < PASSWORD_MIN:
            self.error(name, _("Please choose a password of at least %(n)s characters.",
                               n=PASSWORD_MIN))  # fmt: skip
        elif len(value) > PASSWORD_MAX:
            self.error(name, _("Please keep this to %(n)s characters or fewer (now %(len)s).",
                               n=PASSWORD_MAX, len=len(value)))  # fmt: skip
        self.cleaned[name] = value
        return value


class LoginForm(Form):
    def clean(self) -> None:
        self.email("email")
        value = self.input.get("password")
        if not value:
            self.error("password", _("This field is required."))
        self.cleaned["password"] = value[:PASSWORD_MAX]


class EmailForm(Form):
    """Asking for a password reset link or a new confirmation link."""

    def clean(self) -> None:
        self.email("email")


class ResetForm(RegisterForm):
    def clean(self) -> None:
        self.password("password")
        if self.input.get("password") != self.input.get("password_again"):
            self.error("password_again", _("The two passwords are not the same."))


class ProfileForm(Form):
    def clean(self) -> None:
        self.text("display_name", max_length=100)
        self.choice("locale", LOCALES)
        self.text("region", required=False, max_length=100)
