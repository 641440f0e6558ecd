"""Sign up, confirm, sign in and out, reset a password, edit the profile."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.accounts import services
from participation.accounts.forms import EmailForm, LoginForm, ProfileForm, RegisterForm, ResetForm
from participation.i18n import LANGUAGE_NAMES, LOCALES, get_locale, use_locale
from participation.i18n import gettext as _
from participation.settings import Settings
from participation.web.auth import login_session, logout_session, principal, require_user
from participation.web.forms import read_form
from participation.web.templating import flash, redirect, render


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _absolute(request: Request, name: str, **params: str) -> str:
    path = request.app.url_path_for(name, **params)
    return str(path.make_absolute_url(_settings(request).base_url))


def mail_links(request: Request) -> services.Links:
    return services.Links(
        confirm=lambda token: _absolute(request, "accounts:confirm", token=token),
        reset=lambda token: _absolute(request, "accounts:reset", token=token),
        login=_absolute(request, "accounts:login"),
        reset_request=_absolute(request, "accounts:reset_request"),
    )


def _ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def safe_next(value: str | None) -> str | None:
    """Only local paths: no scheme, no host, no protocol-relative or backslash tricks."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if any(c in value for c in "\r\n\\"):
        return None
    return value


def locale_options() -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES[code]) for code in LOCALES]


async def register(request: Request) -> Response:
    if request.method == "GET":
        form = RegisterForm({"locale": get_locale()})
        return render(
            request, "accounts/register.html", {"form": form, "locales": locale_options()}
        )
    form = RegisterForm(await read_form(request))
    if not form.validate():
        return render(
            request,
            "accounts/register.html",
            {"form": form, "locales": locale_options()},
            status_code=400,
        )
    c = form.cleaned
    limiter = request.app.state.limiter
    if not await limiter.hit("20/hour", "register-ip", _ip(request)):
        ctx = {"form": form, "locales": locale_options(), "limited": True}
        return render(request, "accounts/register.html", ctx, status_code=429)
    # Mails to one address are capped; beyond that the answer stays the same, silently.
    if await limiter.hit("5/hour", "register-email", c["email"]):
        await services.register(
            secret_key=_settings(request).secret_key,
            links=mail_links(request),
            email=c["email"],
            password=c["password"],
            display_name=c["display_name"],
            locale=c["locale"],
            region=c["region"],
        )
    return redirect(request.url_for("accounts:register_sent"))


async def register_sent(request: Request) -> Response:
    return render(request, "accounts/register_sent.html")


async def confirm(request: Request) -> Response:
    user = await services.confirm_email(
        secret_key=_settings(request).secret_key, token=request.path_params["token"]
    )
    if user is None:
        return render(
            request,
            "accounts/link_invalid.html",
            {"resend": True},
            status_code=400,
        )
    flash(
        request, _("Thank you, your e-mail address is confirmed. You can sign in now."), "success"
    )
    return redirect(request.url_for("accounts:login"))


async def resend(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "accounts/resend.html", {"form": EmailForm()})
    form = EmailForm(await read_form(request))
    if not form.validate():
        return render(request, "accounts/resend.html", {"form": form}, status_code=400)
    if await request.app.state.limiter.hit("5/hour", "resend-email", form.cleaned["email"]):
        await services.resend_confirmation(
            secret_key=_settings(request).secret_key,
            links=mail_links(request),
            email=form.cleaned["email"],
        )
    return render(request, "accounts/resend.html", {"form": EmailForm(), "sent": True})


async def login(request: Request) -> Response:
    nxt = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        if principal(request).authenticated:
            return redirect(nxt or request.url_for("home"))
        return render(request, "accounts/login.html", {"form": LoginForm(), "next": nxt})
    data = await read_form(request)
    nxt = safe_next(data.get("next")) or nxt
    form = LoginForm(data)
    ctx: dict[str, Any] = {"form": form, "next": nxt}
    if not form.validate():
        return render(request, "accounts/login.html", ctx, status_code=400)
    settings = _settings(request)
    limiter = request.app.state.limiter
    ip = _ip(request)
    per_ip = f"{settings.login_attempts_per_ip_per_minute}/minute"
    per_email = f"{settings.login_attempts_per_email_per_minute}/minute"
    ip_ok = await limiter.hit(per_ip, "login-ip", ip)
    email_ok = await limiter.hit(per_email, "login-email", form.cleaned["email"])
    if not (ip_ok and email_ok):
        ctx["limited"] = True
        return render(request, "accounts/login.html", ctx, status_code=429)
    user = await services.authenticate(form.cleaned["email"], form.cleaned["password"])
    if user is None:
        form.error("password", _("This e-mail address and password do not match an account."))
        return render(request, "accounts/login.html", ctx, status_code=400)
    if not user.confirmed:
        ctx["unconfirmed"] = True
        return render(request, "accounts/login.html", ctx, status_code=400)
    login_session(request, user)
    return redirect(nxt or request.url_for("home"))


async def logout(request: Request) -> Response:
    logout_session(request)
    flash(request, _("You are signed out."), "success")
    return redirect(request.url_for("home"))


async def reset_request(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "accounts/reset_request.html", {"form": EmailForm()})
    form = EmailForm(await read_form(request))
    if not form.validate():
        return render(request, "accounts/reset_request.html", {"form": form}, status_code=400)
    settings = _settings(request)
    limiter = request.app.state.limiter
    email = form.cleaned["email"]
    if await limiter.hit("20/hour", "reset-ip", _ip(request)) and await limiter.hit(
        "5/hour", "reset-email", email
    ):
        await services.request_password_reset(
            secret_key=settings.secret_key, links=mail_links(request), email=email
        )
    # The same answer whether or not the address has an account.
    return render(request, "accounts/reset_request.html", {"form": EmailForm(), "sent": True})


async def reset(request: Request) -> Response:
    token = request.path_params["token"]
    secret = _settings(request).secret_key
    if request.method == "GET":
        if await services.user_for_reset(secret_key=secret, token=token) is None:
            return render(request, "accounts/link_invalid.html", {"reset": True}, status_code=400)
        return render(request, "accounts/reset.html", {"form": ResetForm(), "token": token})
    form = ResetForm(await read_form(request))
    if not form.validate():
        return render(
            request, "accounts/reset.html", {"form": form, "token": token}, status_code=400
        )
    user = await services.reset_password(
        secret_key=secret, token=token, password=form.cleaned["password"]
    )
    if user is None:
        return render(request, "accounts/link_invalid.html", {"reset": True}, status_code=400)
    logout_session(request)
    flash(request, _("Your new password is set. Please sign in with it."), "success")
    return redirect(request.url_for("accounts:login"))


async def profile(request: Request) -> Response:
    p = require_user(request)
    assert p.user is not None
    user = p.user
    if request.method == "GET":
        form = ProfileForm(
            {"display_name": user.display_name, "locale": user.locale, "region": user.region}
        )
        return render(request, "accounts/profile.html", {"form": form, "locales": locale_options()})
    form = ProfileForm(await read_form(request))
    if not form.validate():
        return render(
            request,
            "accounts/profile.html",
            {"form": form, "locales": locale_options()},
            status_code=400,
        )
    c = form.cleaned
    await services.update_profile(
        user, display_name=c["display_name"], locale=c["locale"], region=c["region"]
    )
    request.session["lang"] = user.locale
    with use_locale(user.locale):  # the page it leads to is in the new language
        flash(request, _("Your profile is saved."), "success")
    response = redirect(request.url_for("accounts:profile"))
    response.set_cookie("lang", user.locale, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


routes = [
    Route("/register", register, methods=["GET", "POST"], name="register"),
    Route("/register/sent", register_sent, name="register_sent"),
    Route("/confirm/resend", resend, methods=["GET", "POST"], name="resend"),
    Route("/confirm/{token}", confirm, name="confirm"),
    Route("/login", login, methods=["GET", "POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
    Route("/password/reset", reset_request, methods=["GET", "POST"], name="reset_request"),
    Route("/password/reset/{token}", reset, methods=["GET", "POST"], name="reset"),
    Route("/profile", profile, methods=["GET", "POST"], name="profile"),
]
