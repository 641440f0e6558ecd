""" "I did not sign this": the link in a signature's confirmation mail.

The mail's confirmation link carries a token signed with the signature's id
(``signing.confirmation_token``); the same token, at ``/integrity/disown/link/signature/<token>``,
lets the owner of the mailbox say the signature was made in their name, for as long as signers'
data is kept (the confirmation itself expires after ``signing.PENDING_DAYS``). The signature is
marked suspect (left out of the count, kept for a moderator's review among the petition's
suspects), marked disowned, and the act audited; the petition is recounted under the counter
lock, as an invalidation is. ``participation.integrity.disown`` finds ``disown_hosts`` here.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

from participation.audit.services import record
from participation.db import advisory_xact_lock, transaction
from participation.integrity.disown import Disownable
from participation.integrity.queries import disowned
from participation.integrity.services import record_disowned
from petitions.counting import COUNTER_LOCK, recount_locked
from petitions.models import Petition, Signature
from petitions.signing import CONFIRM_SALT

LINK_DAYS = 183  # as long as signers' data is kept


def _signature_id(token: str, secret_key: str) -> int | None:
    try:
        sid = URLSafeTimedSerializer(secret_key, salt=CONFIRM_SALT).loads(
            token, max_age=LINK_DAYS * 24 * 3600
        )
    except BadSignature:
        return None
    return sid if isinstance(sid, int) else None


class SignatureDisownHost:
    target_type = "signature"

    async def find(self, token: str, secret_key: str) -> Disownable | None:
        sid = _signature_id(token, secret_key)
        sig = await Signature.get_or_none(id=sid) if sid is not None else None
        if sig is None:
            return None
        petition = await Petition.get_or_none(id=sig.petition_id)
        if petition is None:
            return None
        gone = await disowned(self.target_type, sig.id) is not None
        return Disownable(self.target_type, sig.id, petition.title, sig.name, gone)

    async def disown(self, token: str, secret_key: str) -> Disownable | None:
        found = await self.find(token, secret_key)
        if found is None or found.disowned:
            return found
        async with transaction() as txn:
            await advisory_xact_lock(txn, COUNTER_LOCK)
            if await record_disowned(self.target_type, found.target_id, "mail"):
                sig = await Signature.get(id=found.target_id)
                await Signature.filter(id=sig.id).update(suspect=True)
                await recount_locked([sig.petition_id])
                await record(None, "integrity.disown", "petition", sig.petition_id,
                             {"via": "mail", "signature": sig.id})  # fmt: skip
        return Disownable(found.target_type, found.target_id, found.title, found.name, True)


disown_hosts = [SignatureDisownHost()]
