"""Sign up, confirm, sign in and out (here or everywhere), reset a password, edit the profile;
your data: download it, erase the account."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.accounts import personal_data, queries, services, sessions
from participation.accounts.forms import (
    EmailInput,
    EraseInput,
    LoginInput,
    ProfileInput,
    RegisterInput,
    ResetInput,
)
from participation.accounts.limits import SignInLimits, network_of
from participation.errors import DomainError, TooMany
from participation.forms import bind
from participation.i18n import LANGUAGE_NAMES, LOCALES, get_locale, use_locale
from participation.i18n import gettext as _
from participation.settings import Settings
from participation.storage import storage_for
from participation.web.auth import login_session, logout_session, principal, require_user
from participation.web.forms import read_form
from participation.web.middleware import set_locale_cookie
from participation.web.templating import flash, redirect, render


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _absolute(request: Request, name: str, **params: str) -> str:
    path = request.app.url_path_for(name, **params)
    return str(path.make_absolute_url(_settings(request).base_url))


def mail_links(request: Request) -> services.Links:
    return services.Links(
        confirm=_absolute(request, "accounts:confirm", token="{token}"),
        reset=_absolute(request, "accounts:reset", token="{token}"),
        login=_absolute(request, "accounts:login"),
        reset_request=_absolute(request, "accounts:reset_request"),
    )


def _ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def sign_in_limits(request: Request) -> SignInLimits:
    settings = _settings(request)
    return SignInLimits(
        request.app.state.limiter,
        per_pair=settings.login_attempts_per_email_per_minute,
        per_network=settings.login_attempts_per_ip_per_minute,
    )


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
    ctx: dict[str, Any] = {"locales": locale_options()}
    if request.method == "GET":
        ctx["form"] = bind(RegisterInput, {"locale": get_locale()})
        return render(request, "accounts/register.html", ctx)
    form = ctx["form"] = bind(RegisterInput, await read_form(request))
    if not form.validate():
        return render(request, "accounts/register.html", ctx, status_code=400)
    limiter = request.app.state.limiter
    if not await limiter.hit("20/hour", "register-ip", _ip(request)):
        return render(request, "accounts/register.html", {**ctx, "limited": True}, status_code=429)
    # Mails to one address are capped; beyond that the answer stays the same, silently.
    if await limiter.hit("5/hour", "register-email", form.data.email):
        await services.register(
            secret_key=_settings(request).secret_key, links=mail_links(request), data=form.data
        )
    return redirect(request.url_for("accounts:register_sent"))


async def register_sent(request: Request) -> Response:
    return render(request, "accounts/register_sent.html")


async def confirm(request: Request) -> Response:
    user = await services.confirm_email(
        secret_key=_settings(request).secret_key, token=request.path_params["token"]
    )
    if user is None:
        return render(request, "accounts/link_invalid.html", {"resend": True}, status_code=400)
    flash(
        request, _("Thank you, your e-mail address is confirmed. You can sign in now."), "success"
    )
    return redirect(request.url_for("accounts:login"))


async def resend(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "accounts/resend.html", {"form": bind(EmailInput)})
    form = bind(EmailInput, await read_form(request))
    if not form.validate():
        return render(request, "accounts/resend.html", {"form": form}, status_code=400)
    if await request.app.state.limiter.hit("5/hour", "resend-email", form.data.email):
        await services.request_confirmation_again(links=mail_links(request), email=form.data.email)
    return render(request, "accounts/resend.html", {"form": bind(EmailInput), "sent": True})


async def login(request: Request) -> Response:
    nxt = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        if principal(request).authenticated:
            return redirect(nxt or request.url_for("home"))
        return render(request, "accounts/login.html", {"form": bind(LoginInput), "next": nxt})
    data = await read_form(request)
    nxt = safe_next(data.get("next")) or nxt
    form = bind(LoginInput, data)
    ctx: dict[str, Any] = {"form": form, "next": nxt}
    if not form.validate():
        return render(request, "accounts/login.html", ctx, status_code=400)
    try:
        user = await services.sign_in(
            limits=sign_in_limits(request),
            email=form.data.email,
            password=form.data.password,
            network=network_of(_ip(request)),
        )
    except TooMany:
        return render(request, "accounts/login.html", {**ctx, "limited": True}, status_code=429)
    except services.Unconfirmed:
        return render(request, "accounts/login.html", {**ctx, "unconfirmed": True}, status_code=400)
    except DomainError as exc:
        form.error(exc.field or "password", exc.message)
        return render(request, "accounts/login.html", ctx, status_code=400)
    await login_session(request, user)
    return redirect(nxt or request.url_for("home"))


async def logout(request: Request) -> Response:
    await logout_session(request)
    flash(request, _("You are signed out."), "success")
    return redirect(request.url_for("home"))


async def logout_everywhere(request: Request) -> Response:
    """End every session of the signed-in person, on every device, this one included."""
    p = require_user(request)
    assert p.user is not None
    await services.sign_out_everywhere(p.user)
    await logout_session(request)
    flash(request, _("You are signed out on every device."), "success")
    return redirect(request.url_for("home"))


async def reset_request(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "accounts/reset_request.html", {"form": bind(EmailInput)})
    form = bind(EmailInput, await read_form(request))
    if not form.validate():
        return render(request, "accounts/reset_request.html", {"form": form}, status_code=400)
    limiter = request.app.state.limiter
    email = form.data.email
    if await limiter.hit("20/hour", "reset-ip", _ip(request)) and await limiter.hit(
        "5/hour", "reset-email", email
    ):
        await services.request_password_reset(links=mail_links(request), email=email)
    # The same answer whether or not the address has an account.
    return render(request, "accounts/reset_request.html", {"form": bind(EmailInput), "sent": True})


async def reset(request: Request) -> Response:
    token = request.path_params["token"]
    secret = _settings(request).secret_key
    if request.method == "GET":
        if await services.user_for_reset(secret_key=secret, token=token) is None:
            return render(request, "accounts/link_invalid.html", {"reset": True}, status_code=400)
        return render(request, "accounts/reset.html", {"form": bind(ResetInput), "token": token})
    form = bind(ResetInput, await read_form(request))
    if not form.validate():
        return render(
            request, "accounts/reset.html", {"form": form, "token": token}, status_code=400
        )
    user = await services.reset_password(
        secret_key=secret, token=token, password=form.data.password
    )
    if user is None:
        return render(request, "accounts/link_invalid.html", {"reset": True}, status_code=400)
    await logout_session(request)
    flash(request, _("Your new password is set. Please sign in with it."), "success")
    return redirect(request.url_for("accounts:login"))


async def profile(request: Request) -> Response:
    p = require_user(request)
    assert p.user is not None
    user = p.user
    ctx: dict[str, Any] = {
        "locales": locale_options(),
        "session_count": await sessions.active_count(user.id),
    }
    if request.method == "GET":
        ctx["form"] = bind(ProfileInput, ProfileInput.initial(user))
        return render(request, "accounts/profile.html", ctx)
    form = ctx["form"] = bind(ProfileInput, await read_form(request))
    if not form.validate():
        return render(request, "accounts/profile.html", ctx, status_code=400)
    await services.update_profile(user, form.data)
    request.session["lang"] = user.locale
    with use_locale(user.locale):  # the page it leads to is in the new language
        flash(request, _("Your profile is saved."), "success")
    response = redirect(request.url_for("accounts:profile"))
    set_locale_cookie(response, user.locale, _settings(request))
    return response


async def data(request: Request) -> Response:
    """Your data: ask for a copy of everything (built by a job, then offered for download
    while it is valid) and the way to erase the account."""
    p = require_user(request)
    assert p.user is not None
    exports = await queries.data_exports(p.user.id)
    return render(request, "accounts/data.html", {"exports": exports, "now": datetime.now(UTC)})


async def export_request(request: Request) -> Response:
    p = require_user(request)
    assert p.user is not None
    await personal_data.request_export(p.user)
    flash(
        request,
        _("We are preparing a copy of your data. It will be offered here when it is ready."),
        "success",
    )
    return redirect(request.url_for("accounts:data"))


async def export_download(request: Request) -> Response:
    p = require_user(request)
    assert p.user is not None
    name, content = await personal_data.export_file(
        p.user, request.path_params["export_id"], storage=storage_for(_settings(request))
    )
    return Response(content, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
    })  # fmt: skip


async def erase(request: Request) -> Response:
    """Erase the account: the password again, what becomes of the comments, a tick."""
    p = require_user(request)
    assert p.user is not None
    if request.method == "GET":
        return render(request, "accounts/erase.html", {"form": bind(EraseInput)})
    form = bind(EraseInput, await read_form(request))
    ctx: dict[str, Any] = {"form": form}
    if not form.validate():
        return render(request, "accounts/erase.html", ctx, status_code=400)
    if not await request.app.state.limiter.hit("5/hour", "erase-account", str(p.user.id)):
        form.error("password", _("Too many attempts. Please wait an hour and try again."))
        return render(request, "accounts/erase.html", ctx, status_code=429)
    try:
        await personal_data.erase_account(
            p.user, password=form.data.password, keep_comments=form.data.keep_comments,
            storage=storage_for(_settings(request)),
        )  # fmt: skip
    except DomainError as exc:
        form.error(exc.field or "password", exc.message)
        return render(request, "accounts/erase.html", ctx, status_code=400)
    await logout_session(request)
    flash(request, _("Your account is erased. Thank you for having taken part."), "success")
    return redirect(request.url_for("home"))


routes = [
    Route("/register", register, methods=["GET", "POST"], name="register"),
    Route("/register/sent", register_sent, name="register_sent"),
    Route("/confirm/resend", resend, methods=["GET", "POST"], name="resend"),
    Route("/confirm/{token}", confirm, name="confirm"),
    Route("/login", login, methods=["GET", "POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
    Route("/logout/everywhere", logout_everywhere, methods=["POST"], name="logout_everywhere"),
    Route("/password/reset", reset_request, methods=["GET", "POST"], name="reset_request"),
    Route("/password/reset/{token}", reset, methods=["GET", "POST"], name="reset"),
    Route("/profile", profile, methods=["GET", "POST"], name="profile"),
    Route("/data", data, name="data"),
    Route("/data/export", export_request, methods=["POST"], name="export_request"),
    Route("/data/export/{export_id:int}", export_download, name="export_download"),
    Route("/erase", erase, methods=["GET", "POST"], name="erase"),
]
