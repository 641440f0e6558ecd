"""Property-based tests of the address a signature is counted under: every spelling of one
mailbox (case, +tag, Gmail's dots) is one signer, and different mailboxes stay different."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from petitions.signing import canonical_email

LOCAL = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,15}", fullmatch=True)
DOMAIN = st.sampled_from(
    ["example.org", "mail.example.fr", "gmail.com", "googlemail.com", "ut.ac.ir"]
)


@given(st.text(max_size=40))
def test_canonical_is_idempotent_on_any_text(raw: str) -> None:
    once = canonical_email(raw)
    assert canonical_email(once) == once


@given(LOCAL, DOMAIN, st.from_regex(r"[a-z0-9]{0,8}", fullmatch=True), st.booleans())
def test_every_spelling_of_one_mailbox_is_one_signer(
    local: str, domain: str, tag: str, shout: bool
) -> None:
    plain = f"{local}@{domain}"
    variant = f"  {local}+{tag}@{domain} "
    if shout:
        variant = variant.upper()
    assert canonical_email(variant) == canonical_email(plain)
    assert canonical_email(plain) == canonical_email(plain).lower()


@given(LOCAL, LOCAL, DOMAIN)
def test_different_mailboxes_stay_different(a: str, b: str, domain: str) -> None:
    gmail = domain in ("gmail.com", "googlemail.com")
    same = (a.replace(".", "") == b.replace(".", "")) if gmail else a == b
    assert (canonical_email(f"{a}@{domain}") == canonical_email(f"{b}@{domain}")) == same


@given(LOCAL)
def test_gmail_dots_and_googlemail_are_one_mailbox(local: str) -> None:
    dotted = ".".join(local)
    assert canonical_email(f"{dotted}@googlemail.com") == canonical_email(f"{local}@gmail.com")
