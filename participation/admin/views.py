"""Admin pages: every handler starts with ``require_admin``; every change is one service call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.accounts import queries as account_queries
from participation.accounts import services as account_services
from participation.accounts.principal import Principal
from participation.errors import DomainError
from participation.forms import BoundForm, bind
from participation.i18n import LANGUAGE_NAMES, LOCALES
from participation.i18n import gettext as _
from participation.organisations import queries, services
from participation.organisations.body_settings import DEFAULTS
from participation.organisations.forms import AppointInput, BodyInput
from participation.organisations.models import Role
from participation.organisations.permissions import can_manage_bodies
from participation.web.auth import require_user
from participation.web.errors import Refused
from participation.web.forms import read_form
from participation.web.templating import flash, redirect, render

if TYPE_CHECKING:
    from participation.organisations.models import Body

BODY_ROLES = [Role.EDITOR.value, Role.PUBLISHER.value, Role.MODERATOR.value]


def require_admin(request: Request) -> Principal:
    p = require_user(request)
    if not can_manage_bodies(p):
        raise Refused(403, _("Only administrators can open this page."))
    return p


def role_names() -> dict[str, str]:
    return {
        Role.EDITOR.value: _("Editor"),
        Role.PUBLISHER.value: _("Publisher"),
        Role.MODERATOR.value: _("Moderator"),
    }


async def _body_or_404(request: Request) -> Body:
    body = await queries.body_by_slug(request.path_params["slug"])
    if body is None:
        raise HTTPException(404)
    return body


async def index(request: Request) -> Response:
    require_admin(request)
    q = request.query_params.get("q", "")[:254]
    users = await account_queries.search_users(q) if q else []
    return render(
        request,
        "admin/index.html",
        {"bodies": await queries.body_tree(), "q": q, "users": users},
    )


def _body_ctx(form: BoundForm[BodyInput], parents: list[Body], body: Body | None) -> dict[str, Any]:
    return {
        "form": form,
        "body": body,
        "parent_options": [("", _("None (top level)"))]
        + [(str(b.id), str(b.tr("name"))) for b in parents],
        "locale_options": [(code, LANGUAGE_NAMES[code]) for code in LOCALES],
        "LOCALES": LOCALES,
        "defaults": DEFAULTS,
    }


async def body_new(request: Request) -> Response:
    p = require_admin(request)
    parents = await queries.all_bodies()
    context = {"parent_ids": [b.id for b in parents], "new": True}
    if request.method == "GET":
        form = bind(BodyInput, BodyInput.initial(), **context)
        return render(request, "admin/body_form.html", _body_ctx(form, parents, None))
    form = bind(BodyInput, await read_form(request), **context)
    if form.validate():
        data = form.data
        try:
            body = await services.create_body(
                p.id, slug=data.slug, i18n=data.i18n, original_locale=data.original_locale,
                parent_id=data.parent, settings=data.settings,
            )  # fmt: skip
        except DomainError as exc:
            form.error(exc.field or "slug", exc.message)
        else:
            flash(request, _("The body is created."), "success")
            return redirect(request.url_for("admin:members", slug=body.slug))
    return render(request, "admin/body_form.html", _body_ctx(form, parents, None), status_code=400)


async def body_edit(request: Request) -> Response:
    p = require_admin(request)
    body = await _body_or_404(request)
    parents = [b for b in await queries.all_bodies() if b.id != body.id]
    context = {"parent_ids": [b.id for b in parents], "new": False}
    if request.method == "GET":
        form = bind(BodyInput, BodyInput.initial(body), **context)
        return render(request, "admin/body_form.html", _body_ctx(form, parents, body))
    form = bind(BodyInput, await read_form(request), **context)
    if form.validate():
        data = form.data
        try:
            await services.update_body(
                p.id, body, i18n=data.i18n, original_locale=data.original_locale,
                parent_id=data.parent, settings=data.settings,
            )  # fmt: skip
        except DomainError as exc:
            form.error(exc.field or "parent", exc.message)
        else:
            flash(request, _("The body is saved."), "success")
            return redirect(request.url_for("admin:body_edit", slug=body.slug))
    return render(request, "admin/body_form.html", _body_ctx(form, parents, body), status_code=400)


async def _appoint_from_form(
    p: Principal, form: BoundForm[AppointInput], body: Body | None
) -> bool:
    if not form.validate():
        return False
    try:
        await services.appoint_by_email(p.id, form.data.email, Role(form.data.role), body)
    except DomainError as exc:
        form.error(exc.field or "role", exc.message)
        return False
    return True


async def members(request: Request) -> Response:
    p = require_admin(request)
    body = await _body_or_404(request)
    form = bind(AppointInput, {"role": Role.EDITOR.value}, roles=BODY_ROLES)
    status = 200
    if request.method == "POST":
        form = bind(AppointInput, await read_form(request), roles=BODY_ROLES)
        if await _appoint_from_form(p, form, body):
            flash(request, _("The appointment is saved."), "success")
            return redirect(request.url_for("admin:members", slug=body.slug))
        status = 400
    return render(
        request,
        "admin/members.html",
        {
            "body": body,
            "members": await queries.members(body.id),
            "form": form,
            "role_options": [(r, role_names()[r]) for r in BODY_ROLES],
            "role_names": role_names(),
        },
        status_code=status,
    )


async def member_revoke(request: Request) -> Response:
    p = require_admin(request)
    body = await _body_or_404(request)
    membership = await queries.membership_in(request.path_params["membership_id"], body.id)
    if membership is None:
        raise HTTPException(404)
    await services.revoke(p.id, membership)
    flash(request, _("The role is revoked."), "success")
    return redirect(request.url_for("admin:members", slug=body.slug))


async def moderators(request: Request) -> Response:
    p = require_admin(request)
    roles = [Role.MODERATOR.value]
    form = bind(AppointInput, {"role": Role.MODERATOR.value}, roles=roles)
    status = 200
    if request.method == "POST":
        data = await read_form(request)
        data.values["role"] = [Role.MODERATOR.value]
        form = bind(AppointInput, data, roles=roles)
        if await _appoint_from_form(p, form, None):
            flash(request, _("The appointment is saved."), "success")
            return redirect(request.url_for("admin:moderators"))
        status = 400
    return render(
        request,
        "admin/moderators.html",
        {"members": await queries.global_moderators(), "form": form},
        status_code=status,
    )


async def moderator_revoke(request: Request) -> Response:
    p = require_admin(request)
    membership = await queries.membership_in(request.path_params["membership_id"], None)
    if membership is None:
        raise HTTPException(404)
    await services.revoke(p.id, membership)
    flash(request, _("The role is revoked."), "success")
    return redirect(request.url_for("admin:moderators"))


async def user_admin_role(request: Request) -> Response:
    """Grant or revoke the administrator role; nobody removes their own."""
    p = require_admin(request)
    user = await account_queries.user_by_id(request.path_params["user_id"])
    if user is None:
        raise HTTPException(404)
    grant = (await read_form(request)).get("grant") == "1"
    if not grant and user.id == p.id:
        raise Refused(400, _("You cannot remove your own administrator role."))
    await account_services.set_admin(p.id, user, grant)
    flash(request, _("The administrator role is saved."), "success")
    return redirect(request.url_for("admin:index").include_query_params(q=user.email))


async def user_active(request: Request) -> Response:
    """Suspend an account (its sessions end at once) or reinstate it; nobody suspends
    themselves."""
    p = require_admin(request)
    user = await account_queries.user_by_id(request.path_params["user_id"])
    if user is None:
        raise HTTPException(404)
    active = (await read_form(request)).get("active") == "1"
    if not active and user.id == p.id:
        raise Refused(400, _("You cannot suspend your own account."))
    await account_services.set_active(p.id, user, active)
    flash(
        request,
        _("The account is reinstated.") if active else _("The account is suspended."),
        "success",
    )
    return redirect(request.url_for("admin:index").include_query_params(q=user.email))


routes = [
    Route("/", index, name="index"),
    Route("/bodies/new", body_new, methods=["GET", "POST"], name="body_new"),
    Route("/bodies/{slug}/edit", body_edit, methods=["GET", "POST"], name="body_edit"),
    Route("/bodies/{slug}/members", members, methods=["GET", "POST"], name="members"),
    Route(
        "/bodies/{slug}/members/{membership_id:int}/revoke",
        member_revoke,
        methods=["POST"],
        name="member_revoke",
    ),
    Route("/users/{user_id:int}/admin", user_admin_role, methods=["POST"], name="user_admin_role"),
    Route("/users/{user_id:int}/active", user_active, methods=["POST"], name="user_active"),
    Route("/moderators", moderators, methods=["GET", "POST"], name="moderators"),
    Route(
        "/moderators/{membership_id:int}/revoke",
        moderator_revoke,
        methods=["POST"],
        name="moderator_revoke",
    ),
]
