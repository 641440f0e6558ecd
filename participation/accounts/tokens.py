"""Signed, expiring tokens for links in mails (itsdangerous), one salt per purpose."""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

CONFIRM = "confirm-email"
RESET = "reset-password"
MAX_AGE = {CONFIRM: 3 * 24 * 3600, RESET: 2 * 3600}


def make_token(secret_key: str, purpose: str, data: dict[str, Any]) -> str:
    return URLSafeTimedSerializer(secret_key, salt=purpose).dumps(data)


def read_token(secret_key: str, purpose: str, token: str) -> dict[str, Any] | None:
    """The payload, or None when the token is forged, for another purpose, or expired."""
    try:
        data = URLSafeTimedSerializer(secret_key, salt=purpose).loads(
            token, max_age=MAX_AGE[purpose]
        )
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    return data if isinstance(data, dict) else None
