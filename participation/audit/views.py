"""The public audit log: who did what, when, with the hash chain anyone can check."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from participation.accounts import queries as account_queries
from participation.audit import queries
from participation.audit.services import verify_chain
from participation.forms import BIGINT_MAX, parse_int
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext
from participation.web.errors import Refused
from participation.web.templating import render

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
    "petition.block_domain": lazy_gettext("E-mail domain blocked"),
    "petition.block_network": lazy_gettext("Network blocked"),
    "petition.unblock_domain": lazy_gettext("E-mail domain unblocked"),
    "petition.unblock_network": lazy_gettext("Network unblocked"),
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
}


def _int_param(request: Request, name: str) -> int | None:
    return parse_int(request.query_params.get(name), high=BIGINT_MAX)


async def log(request: Request) -> Response:
    before = _int_param(request, "before")
    after = _int_param(request, "after")
    events, has_older, has_newer = await queries.page(
        before=before, after=after if before is None else None, size=PAGE_SIZE
    )
    names = await account_queries.display_names(
        {e.actor_id for e in events if e.actor_id is not None}
    )
    return render(
        request,
        "audit/log.html",
        {
            "events": events,
            "names": names,
            "labels": ACTION_LABELS,
            "targets": TARGET_LABELS,
            "older": events[-1].id if has_older and events else None,
            "newer": events[0].id if has_newer and events else None,
        },
    )


async def verify(request: Request) -> Response:
    # Re-hashing the whole log is work: a few checks a minute per visitor is plenty.
    ip = request.client.host if request.client else "unknown"
    if not await request.app.state.limiter.hit("6/minute", "audit-verify", ip):
        raise Refused(429, _("You have tried this too often. Please wait a minute and try again."))
    intact, broken_at = await verify_chain()
    return render(
        request,
        "audit/verify.html",
        {"intact": intact, "broken_at": broken_at, "count": await queries.count()},
        status_code=200,
    )


routes = [
    Route("/", log, name="log"),
    Route("/verify", verify, name="verify"),
]
