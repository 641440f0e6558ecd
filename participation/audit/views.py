"""The public audit log: what officials, moderators and administrators did, when, on what
and why, filtered by body, kind and date; the hash chain and its signed checkpoints anyone can
check. No personal data: only the actions of ``queries.PUBLIC_ACTIONS`` are shown, by role
(never a person's name), with only the reasons that list allows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.audit import queries, services
from participation.audit.forms import AuditFilterInput
from participation.forms import BIGINT_MAX, bind, parse_int
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext
from participation.organisations import queries as body_queries
from participation.web.errors import Refused
from participation.web.templating import render

if TYPE_CHECKING:
    from participation.audit.models import AuditEvent

PAGE_SIZE = 50

# Readable names of every action recorded in the tree (tests/pages checks that none is
# missing: a code must never reach the page) and of the kinds of things they act on.
ACTION_LABELS = {
    "account.register": lazy_gettext("Account created"),
    "account.confirm": lazy_gettext("E-mail address confirmed"),
    "account.password_reset": lazy_gettext("Password reset"),
    "account.profile": lazy_gettext("Profile changed"),
    "account.role_grant": lazy_gettext("Administrator role granted"),
    "account.role_revoke": lazy_gettext("Administrator role revoked"),
    "account.suspend": lazy_gettext("Account suspended"),
    "account.reinstate": lazy_gettext("Account reinstated"),
    "account.export": lazy_gettext("Copy of personal data requested"),
    "account.erase": lazy_gettext("Account erased by its owner"),
    "role.appoint": lazy_gettext("Role appointed"),
    "role.revoke": lazy_gettext("Role revoked"),
    "body.create": lazy_gettext("Government body created"),
    "body.update": lazy_gettext("Government body changed"),
    "moderation.hide": lazy_gettext("Hidden by a moderator"),
    "moderation.restore": lazy_gettext("Restored by a moderator"),
    "moderation.dismiss": lazy_gettext("Reports dismissed by a moderator"),
    "moderation.approve": lazy_gettext("Approved by a moderator"),
    "moderation.auto_hide": lazy_gettext("Hidden by readers' reports, pending review"),
    "moderation.hide_campaign": lazy_gettext("Copies of a campaign hidden"),
    "integrity.disown": lazy_gettext("Disowned by the person it was made in the name of"),
    "moderation.appeal": lazy_gettext("Appeal against a moderator's decision"),
    "moderation.appeal_decided": lazy_gettext("Appeal decided by another moderator"),
    "moderation.suspend": lazy_gettext("Person suspended from taking part"),
    "moderation.lift_suspension": lazy_gettext("Suspension lifted early"),
    "comment.paper_entered": lazy_gettext("Comment received on paper entered"),
    "comment.deleted_by_moderator": lazy_gettext("Comment deleted by a moderator"),
    "consultation.create": lazy_gettext("Consultation created"),
    "consultation.update": lazy_gettext("Consultation changed"),
    "consultation.section.add": lazy_gettext("Section added"),
    "consultation.section.edit": lazy_gettext("Section changed"),
    "consultation.section.delete": lazy_gettext("Section removed"),
    "consultation.section.version": lazy_gettext("New version of a section published"),
    "consultation.question.add": lazy_gettext("Question added"),
    "consultation.question.delete": lazy_gettext("Question removed"),
    "consultation.attachment.add": lazy_gettext("Document attached"),
    "consultation.attachment.delete": lazy_gettext("Document removed"),
    "consultation.publish": lazy_gettext("Consultation published"),
    "consultation.open": lazy_gettext("Consultation opened"),
    "consultation.close": lazy_gettext("Consultation closed"),
    "consultation.close_early": lazy_gettext("Consultation closed early"),
    "report.request": lazy_gettext("Feedback report requested"),
    "report.export": lazy_gettext("Data with names downloaded"),
    "report.export_request": lazy_gettext("File with names asked for"),
    "consultation.extend": lazy_gettext("Consultation extended"),
    "consultation.paper_submission": lazy_gettext("Submission received on paper entered"),
    "consultation.report.publish": lazy_gettext("Report of a consultation published"),
    "consultation.response.publish": lazy_gettext("Response to a consultation published"),
    "petition.publish": lazy_gettext("Petition published"),
    "petition.reject": lazy_gettext("Petition rejected"),
    "petition.schedule_debate": lazy_gettext("Debate on a petition scheduled"),
    "petition.invalidate": lazy_gettext("Signatures invalidated"),
    "petition.invalidation_undo": lazy_gettext("Invalidation of signatures undone"),
    "petition.accept_suspects": lazy_gettext("Suspect signatures accepted"),
    "petition.accept_wave": lazy_gettext("A wave of held signatures counted"),
    "petition.remove_wave": lazy_gettext("A wave of held signatures removed from the count"),
    "petition.block_domain": lazy_gettext("E-mail domain blocked"),
    "petition.block_network": lazy_gettext("Network blocked"),
    "petition.unblock_domain": lazy_gettext("E-mail domain unblocked"),
    "petition.unblock_network": lazy_gettext("Network unblocked"),
    "accountability.response_publish": lazy_gettext("Response published"),
    "accountability.response_translate": lazy_gettext("Response translated"),
    "accountability.debate_record": lazy_gettext("Debate recorded"),
    "accountability.commitment_create": lazy_gettext("Commitment made"),
    "accountability.commitment_translate": lazy_gettext("Commitment translated"),
    "accountability.commitment_update": lazy_gettext("Commitment progress reported"),
    "accountability.milestone_add": lazy_gettext("Milestone added"),
    "accountability.milestone_done": lazy_gettext("Milestone reached"),
    "accountability.obligation_overdue": lazy_gettext("Response overdue"),
}
TARGET_LABELS = {
    "user": lazy_gettext("Account"),
    "body": lazy_gettext("Government body"),
    "comment": lazy_gettext("Comment"),
    "consultation": lazy_gettext("Consultation"),
    "section": lazy_gettext("Section"),
    "petition": lazy_gettext("Petition"),
    "blocked_domain": lazy_gettext("Blocked e-mail domain"),
    "blocked_network": lazy_gettext("Blocked network"),
    "commitment": lazy_gettext("Commitment"),
}


# Reasons recorded as codes, in words (the same sentences as the moderation and petition forms).
FLAG_REASONS = {
    "spam": lazy_gettext("Spam or advertising"),
    "offensive": lazy_gettext("Offensive or abusive"),
    "personal_data": lazy_gettext("Personal data"),
    "off_topic": lazy_gettext("Off topic"),
    "other": lazy_gettext("Other"),
}
REJECT_REASONS = {
    "duplicate": lazy_gettext("It duplicates a petition that is already open"),
    "not_responsible": lazy_gettext("It is not this body's responsibility"),
    "offensive": lazy_gettext("It is offensive or abusive"),
    "personal_data": lazy_gettext("It contains personal data"),
    "unclear": lazy_gettext("It is unclear what it asks for"),
    "not_action": lazy_gettext("It does not ask for an action"),
}
CODED = {queries.FLAG_REASON: FLAG_REASONS, queries.REJECT_REASON: REJECT_REASONS}


def actor_role(event: AuditEvent) -> str:
    """Who acted, by role: the public record names no person."""
    if event.actor_id is None:
        return _("The system")
    if event.action.startswith("moderation.") or event.action == "comment.deleted_by_moderator":
        return _("A moderator")
    if event.action.startswith(("body.", "role.", "account.")):
        return _("An administrator")
    return _("An official")


def reasons(event: AuditEvent) -> list[tuple[str, bool]]:
    """The reasons the public may read: (text, written by a person) pairs."""
    out: list[tuple[str, bool]] = []
    for key, kind in queries.PUBLIC_ACTIONS.get(event.action, {}).items():
        value = event.data.get(key) if isinstance(event.data, dict) else None
        if not isinstance(value, str) or not value.strip():
            continue
        if kind == queries.TEXT:
            out.append((value.strip(), True))
        elif value in CODED.get(kind, {}):
            out.append((str(CODED[kind][value]), False))
    return out


async def public_events(events: list[AuditEvent]) -> list[dict[str, Any]]:
    """What the page and the API show of each event."""
    concerned = await queries.bodies_of([e.id for e in events])
    ids = sorted({b for bs in concerned.values() for b in bs})
    bodies = {b.id: b for b in await body_queries.bodies_by_ids(ids)}
    return [
        {
            "id": e.id,
            "created_at": e.created_at,
            "action": e.action,
            "label": str(ACTION_LABELS.get(e.action, e.action)),
            "by": actor_role(e),
            "target_type": e.target_type,
            "target": str(TARGET_LABELS.get(e.target_type, e.target_type)),
            # a person's account is not named, not even by its number
            "target_id": None if e.target_type == "user" else e.target_id,
            "bodies": [bodies[b] for b in concerned.get(e.id, []) if b in bodies],
            "reasons": reasons(e),
            "hash": e.hash,
            "prev_hash": e.prev_hash,
        }  # fmt: skip
        for e in events
    ]


def _int_param(request: Request, name: str) -> int | None:
    return parse_int(request.query_params.get(name), high=BIGINT_MAX)


async def log(request: Request) -> Response:
    everyone = await body_queries.all_bodies()
    form = bind(AuditFilterInput, request.query_params, bodies={b.slug for b in everyone})
    status = 200
    where = queries.PublicFilter()
    if form.validate():
        f = form.data
        since, until = f.moments()
        body = next((b for b in everyone if b.slug == f.body), None)
        where = queries.PublicFilter(body.id if body else None, f.kind, since, until)
    else:
        status = 400
    before = _int_param(request, "before")
    after = _int_param(request, "after")
    events, has_older, has_newer = await queries.public_page(
        where, before=before, after=after if before is None else None, size=PAGE_SIZE
    )
    kept = {k: v for k, v in request.query_params.items()
            if k in ("body", "kind", "since", "until") and v}  # fmt: skip
    return render(
        request,
        "audit/log.html",
        {
            "form": form, "events": await public_events(events), "bodies": everyone,
            "kinds": sorted(((code, str(ACTION_LABELS.get(code, code)))
                             for code in queries.PUBLIC_ACTIONS), key=lambda kv: kv[1]),
            "filters": kept,
            "older": events[-1].id if has_older and events else None,
            "newer": events[0].id if has_newer and events else None,
            "checkpoints": await queries.checkpoints(limit=10),
        },
        status_code=status,
    )  # fmt: skip


async def verify(request: Request) -> Response:
    # Re-hashing the whole log is work: a few checks a minute per visitor is plenty.
    ip = request.client.host if request.client else "unknown"
    if not await request.app.state.limiter.hit("6/minute", "audit-verify", ip):
        raise Refused(429, _("You have tried this too often. Please wait a minute and try again."))
    verdict = await services.verify(request.app.state.settings.secret_key)
    return render(
        request,
        "audit/verify.html",
        {"verdict": verdict, "count": await queries.count()},
        status_code=200,
    )


routes = [
    Route("/", log, name="log"),
    Route("/verify", verify, name="verify"),
]
