"""A person's own data: export it, erase it, and the retention of what others keep.

Every domain contributes through its ``privacy.py`` (the convention in
``participation/domains.py``); this module runs them over ``DOMAINS``, the accounts package
last (the others still find the person's address until then).

* ``request_export`` records a ``DataExport`` and queues ``build_data_export``; the job writes
  one JSON file into the storage (``participation.storage``) and marks the row ready for
  ``EXPORT_VALID``; only its owner can fetch it (``export_file``), and a daily job deletes it
  when it expires.
* ``erase_account`` (password asked again) removes or anonymises, in one transaction, what
  every domain holds about the person; what others' counts and reports rest on (votes,
  signatures, answers, reports of abuse) stays, pointing at an account with nothing personal
  left. The audit event names the account by its id only.
* ``apply_retention`` runs each domain's ``apply_retention`` (signers of old petitions).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

from participation import jobs
from participation.accounts.models import DataExport, ExportStatus, User
from participation.accounts.passwords import verify_password
from participation.audit.services import record
from participation.db import transaction
from participation.domains import DOMAINS, submodule
from participation.errors import Invalid, NotFound, TooMany
from participation.i18n import gettext as _
from participation.settings import Settings
from participation.storage import Storage, StorageError

log = logging.getLogger("participation.accounts.personal_data")

FORMAT = "participation-export/1"
EXPORT_VALID = timedelta(days=7)
EXPORTS_PER_DAY = 5
STUCK_AFTER = timedelta(hours=1)  # a request still queued after this has failed
ACCOUNTS = "participation.accounts"


def _now() -> datetime:
    return datetime.now(UTC)


def privacy_modules() -> list[tuple[str, ModuleType]]:
    """(domain name, its privacy module) for every domain that has one, accounts last."""
    found = [(d.name, m, d.package) for d in DOMAINS if (m := submodule(d, "privacy"))]
    found.sort(key=lambda t: t[2] == ACCOUNTS)  # stable: the others keep DOMAINS' order
    return [(name, m) for name, m, _ in found]


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return str(value)


async def collect(user_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything the platform holds about the person, by domain (empty parts left out)."""
    data: dict[str, Any] = {"format": FORMAT, "generated_at": now or _now()}
    for name, module in privacy_modules():
        part = await module.export_person(user_id)
        if part:
            data[name] = part
    return data


def export_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, default=_json_default).encode()


async def request_export(user: User, *, now: datetime | None = None) -> DataExport:
    """Queue the building of the person's export; one waiting at a time (one waiting for
    longer than ``STUCK_AFTER`` is marked failed and replaced), a few a day."""
    now = now or _now()
    async with transaction():
        waiting = await DataExport.filter(user_id=user.id, status=ExportStatus.QUEUED).first()
        if waiting is not None and waiting.requested_at > now - STUCK_AFTER:
            return waiting
        if waiting is not None:  # its job kept failing: say so, and try again
            await DataExport.filter(id=waiting.id).update(status=ExportStatus.FAILED)
        recent = await DataExport.filter(
            user_id=user.id, requested_at__gte=now - timedelta(days=1)
        ).count()
        if recent >= EXPORTS_PER_DAY:
            raise TooMany(_("You have asked for your data often today. Please try again tomorrow."))
        export = await DataExport.create(user_id=user.id, requested_at=now)
        await record(user.id, "account.export", "user", user.id)
        jobs.enqueue("build_data_export", export_id=export.id)
    return export


async def build_export(export_id: int, *, storage: Storage, now: datetime | None = None) -> str:
    """The job's work: write the file and mark the export ready (idempotent)."""
    export = await DataExport.get_or_none(id=export_id)
    if export is None or export.status != ExportStatus.QUEUED:
        return "skipped"
    now = now or _now()
    blob = export_bytes(await collect(export.user_id, now=now))
    key = storage.save(f"data-export-{export.id}.json", blob)
    async with transaction():
        updated = await DataExport.filter(id=export.id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.READY, storage_key=key, size=len(blob), ready_at=now,
            expires_at=now + EXPORT_VALID,
        )  # fmt: skip
    if not updated:  # built by another run meanwhile, or the account erased
        storage.delete(key)
        return "skipped"
    return "ready"


async def export_file(
    user: User, export_id: int, *, storage: Storage, now: datetime | None = None
) -> tuple[str, bytes]:
    """(file name, content) of the person's own ready, unexpired export; else NotFound."""
    export = await DataExport.get_or_none(id=export_id, user_id=user.id)
    now = now or _now()
    if (
        export is None
        or export.status != ExportStatus.READY
        or export.expires_at is None
        or export.expires_at <= now
    ):
        raise NotFound(_("This download does not exist or has expired."))
    try:
        content = storage.open(export.storage_key)
    except StorageError:
        raise NotFound(_("This download does not exist or has expired.")) from None
    return f"my-data-{export.ready_at:%Y-%m-%d}.json", content


async def delete_expired_exports(*, storage: Storage, now: datetime | None = None) -> int:
    """Daily: expired export files and their rows are deleted."""
    now = now or _now()
    expired = await DataExport.filter(expires_at__lte=now)
    for export in expired:
        if export.storage_key:
            storage.delete(export.storage_key)
        await DataExport.filter(id=export.id).delete()
    return len(expired)


async def erase_account(
    user: User, *, password: str, keep_comments: bool, storage: Storage
) -> None:
    """Erase the person's account (the password asked again). Everything personal goes in one
    transaction; the stored files the domains name (their ``erase_person`` may return storage
    keys) after it."""
    if user.erased_at is not None:
        raise NotFound(_("This account does not exist any more."))
    if not verify_password(user.password_hash, password):
        raise Invalid(_("This password is not right."), "password")
    keys: list[str] = []
    async with transaction():
        row = await User.filter(id=user.id, erased_at__isnull=True).select_for_update().first()
        if row is None:
            raise NotFound(_("This account does not exist any more."))
        for _name, module in privacy_modules():
            files = await module.erase_person(user.id, keep_comments=keep_comments)
            keys.extend(files or ())
        await record(
            user.id, "account.erase", "user", user.id,
            {"comments": "kept" if keep_comments else "removed"},
        )  # fmt: skip
    for key in keys:
        try:
            storage.delete(key)
        except StorageError:
            log.warning("file %s of an erased account not deleted", key)


async def apply_retention(*, settings: Settings, now: datetime | None = None) -> int:
    """Daily: each domain anonymises what it keeps beyond its retention period; a domain that
    fails is logged and the others go on."""
    now = now or _now()
    total = 0
    for name, module in privacy_modules():
        fn = getattr(module, "apply_retention", None)
        if fn is None:
            continue
        try:
            total += await fn(now=now, settings=settings)
        except Exception:
            log.exception("retention of %s failed; the next run tries again", name)
    return total
