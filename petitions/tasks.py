"""Jobs of the petitions domain: thin, each calls a service or sends a batch of mails."""

from __future__ import annotations

import logging
from typing import Any

from participation import jobs
from participation.db import transaction
from participation.i18n import LOCALES
from participation.mail.tasks import send_email
from participation.organisations.body_settings import settings_of
from petitions import counting, lifecycle, queries, signing, summary
from petitions.models import Petition, Signature, SignatureStatus

log = logging.getLogger("petitions.tasks")


async def send_signature_confirmations(ctx: dict[str, Any], keys: list[list[Any]]) -> int:
    """Mail the confirmation link of each pending signature in ``keys`` ([petition id,
    canonical e-mail]); a repeated signing re-sends it. Confirmed ones get nothing. Each mail
    is named after this job's outbox row and the signature, so a re-run of the row (a killed
    worker) sends only what it had not sent; a repeated signing is a new row and re-sends."""
    settings = ctx["settings"]
    job_id = jobs.current_job_id()
    wanted = {(int(pid), str(email)) for pid, email in keys}
    if not wanted:
        return 0
    rows = await Signature.filter(
        petition_id__in={p for p, _ in wanted}, canonical_email__in={e for _, e in wanted},
        status=SignatureStatus.PENDING,
    )  # fmt: skip
    titles = dict(
        await Petition.filter(id__in={p for p, _ in wanted}).values_list("id", "title")  # type: ignore[arg-type]
    )
    sent = 0
    for sig in rows:
        if (sig.petition_id, sig.canonical_email) not in wanted:
            continue
        token = signing.confirmation_token(settings.secret_key, sig.id)
        await send_email(
            ctx, template="petition_confirm", to_email=sig.email, locale=sig.locale,
            delivery_key=f"job:{job_id}:petition_confirm:sig:{sig.id}" if job_id else None,
            context={
                "name": sig.name, "title": titles.get(sig.petition_id, ""),
                "sponsor": sig.sponsor, "days": signing.PENDING_DAYS,
                "link": f"{settings.base_url}/petitions/confirm/{token}",
            },
        )  # fmt: skip
        sent += 1
    return sent


async def notify_petition_signers(
    ctx: dict[str, Any], petition_id: int, event: str, after_id: int = 0
) -> int:
    """Mail opted-in, counted signers that a threshold was crossed (or a debate scheduled),
    ``NOTIFY_BATCH`` at a time; the next batch is its own job. Each mail is recorded once sent
    (``send_email``'s delivery key: this petition's event and the signature), so a run killed
    halfway and run again sends only the rest; a debate scheduled anew is a new event."""
    settings = ctx["settings"]
    p = await Petition.get_or_none(id=petition_id)
    if p is None:
        return 0
    fanout = f"petition-notify:{p.id}:{event}"
    if event == "debate_scheduled" and p.debate_at is not None:
        fanout += f"@{p.debate_at.isoformat()}"
    batch = (
        await Signature.filter(
            petition_id=petition_id,
            id__gt=after_id,
            opt_in=True,
            status=SignatureStatus.CONFIRMED,
            suspect=False,
            invalidation_id=None,
        )  # fmt: skip
        .order_by("id")
        .limit(counting.NOTIFY_BATCH)
        .values("id", "email", "name", "locale")
    )
    link = f"{settings.base_url}/petitions/{p.id}"
    for s in batch:
        await send_email(
            ctx, template=f"petition_{event}", to_email=s["email"], locale=s["locale"],
            delivery_key=f"{fanout}:sig:{s['id']}",
            context={
                "name": s["name"], "title": p.title, "link": link, "count": p.signature_count,
                "debate_at": p.debate_at.isoformat() if p.debate_at else None,
                "debate_link": p.debate_link,
            },
        )  # fmt: skip
    if len(batch) == counting.NOTIFY_BATCH:
        last = batch[-1]["id"]
        async with transaction():
            jobs.enqueue("notify_petition_signers", key=f"petition-notify:{p.id}:{event}:{last}",
                         petition_id=p.id, event=event, after_id=last)  # fmt: skip
    return len(batch)


async def mail_petition_creator(ctx: dict[str, Any], petition_id: int, event: str) -> str:
    """Tell a petition's creator, in their language, that it was published, rejected (and
    why), or crossed the response or debate threshold. One mail per petition and event, ever
    (the delivery key), however often the job runs."""
    p = await queries.petition_by_id(petition_id)
    if p is None or event not in counting.CREATOR_EVENTS:
        return "nothing to send"
    settings = ctx["settings"]
    body = await queries.body_of(p)
    rules = settings_of(body)
    obligation = await queries.obligation(p.id) if event == "response" else None
    return await send_email(
        ctx, template=f"petition_creator_{event}", to_user_id=p.creator_id,
        delivery_key=f"petition-creator:{p.id}:{event}",
        context={
            "title": p.title, "link": f"{settings.base_url}/petitions/{p.id}",
            "body_names": {loc: body.tr("name", loc).text for loc in LOCALES},
            "reason": p.reject_reason.value if p.reject_reason else "",
            "reason_text": p.reject_text, "count": p.signature_count,
            "closes_at": p.closes_at.isoformat() if p.closes_at else None,
            "deadline": obligation.deadline.isoformat() if obligation else None,
            "response_threshold": rules.petition_response_threshold,
            "debate_threshold": rules.petition_debate_threshold,
        },
    )  # fmt: skip


async def count_petition_signatures(ctx: dict[str, Any]) -> int:
    """Every few seconds: add confirmed signatures to the counts (one worker at a time)."""
    result = await counting.count_signatures()
    return result.added


async def recount_petitions(ctx: dict[str, Any]) -> dict[int, int]:
    """Nightly: recount every petition from its rows, log and correct any drift."""
    return await counting.recount_all()


async def close_petitions(ctx: dict[str, Any]) -> list[int]:
    return await lifecycle.close_due_petitions()


async def expire_pending_signatures(ctx: dict[str, Any]) -> int:
    return await signing.expire_pending()


async def hold_signature_waves(ctx: dict[str, Any]) -> dict[int, int]:
    """Every minute: signatures of scripted waves held for a moderator's review."""
    return await counting.hold_waves()


async def detect_trending_petitions(ctx: dict[str, Any]) -> list[int]:
    return await counting.detect_trending()


async def build_petition_summary(ctx: dict[str, Any], snapshot_id: int) -> str:
    """Build one requested daily summary of a petition (petitions/summary.py)."""
    return await summary.build_summary(snapshot_id)


async def refresh_petition_summaries(ctx: dict[str, Any]) -> int:
    """Daily: queue the summary of every open petition not yet summarised today; each
    petition on its own (one that fails is logged and the others go on)."""
    queued = 0
    for pid in await summary.due_for_summary():
        try:
            await summary.request_summary(pid)
            queued += 1
        except Exception:
            log.exception("could not queue the summary of petition %s", pid)
    return queued


functions: list[jobs.JobFunc] = [
    send_signature_confirmations, notify_petition_signers, mail_petition_creator,
    build_petition_summary,
]  # fmt: skip
periodic = [
    jobs.Periodic(count_petition_signatures, seconds=counting.COUNT_INTERVAL_SECONDS),
    jobs.Periodic(hold_signature_waves, seconds=counting.WAVE_INTERVAL_SECONDS),
    jobs.Periodic(close_petitions, seconds=300),
    jobs.Periodic(expire_pending_signatures, seconds=3600),
    jobs.Periodic(detect_trending_petitions, seconds=600),
    jobs.Periodic(recount_petitions, daily_at_hour=3),
    jobs.Periodic(refresh_petition_summaries, daily_at_hour=1),
]
