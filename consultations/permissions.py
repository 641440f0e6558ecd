"""Who may do what with a consultation: plain functions of (principal, consultation, owners).

``owners`` are the ids of every owning body (the creating body and co-owners). Officials of
any owner act for the consultation; editors draft, publishers publish.
"""

from __future__ import annotations

from collections.abc import Collection

from consultations.models import Consultation, Status
from participation.accounts.principal import Principal

EDITABLE = (Status.DRAFT, Status.SCHEDULED)


def is_owner_official(p: Principal, owners: Collection[int]) -> bool:
    return p.is_official_of_any(owners)


def is_owner_publisher(p: Principal, owners: Collection[int]) -> bool:
    return p.is_publisher_of_any(owners)


def can_view(p: Principal, c: Consultation, owners: Collection[int]) -> bool:
    """Drafts are seen only by the owners' officials (as a preview); the rest by everyone."""
    return c.status != Status.DRAFT or is_owner_official(p, owners)


def can_create(p: Principal, body_id: int) -> bool:
    return p.is_official_of(body_id)


def can_edit(p: Principal, c: Consultation, owners: Collection[int]) -> bool:
    """Texts, sections, questions and attachments change in place until the opening; after
    that a section changes only through a new version (``can_publish_version``)."""
    return c.status in EDITABLE and is_owner_official(p, owners)


def can_publish(p: Principal, c: Consultation, owners: Collection[int]) -> bool:
    """Schedule or open a draft."""
    return c.status == Status.DRAFT and is_owner_publisher(p, owners)


def can_publish_version(p: Principal, c: Consultation, owners: Collection[int]) -> bool:
    return c.status == Status.OPEN and is_owner_publisher(p, owners)


def can_close_early(p: Principal, c: Consultation, owners: Collection[int]) -> bool:
    return c.status == Status.OPEN and is_owner_publisher(p, owners)


def can_extend(p: Principal, c: Consultation, owners: Collection[int]) -> bool:
    return c.status in (Status.SCHEDULED, Status.OPEN) and is_owner_publisher(p, owners)


def can_change_dates(p: Principal, c: Consultation, owners: Collection[int]) -> bool:
    return can_close_early(p, c, owners) or can_extend(p, c, owners)


def accepts_participation(c: Consultation) -> bool:
    return c.status == Status.OPEN


def is_participant(p: Principal) -> bool:
    return p.user is not None and p.user.email_confirmed_at is not None


def can_comment(p: Principal, c: Consultation) -> bool:
    """Comments and section votes: a signed-in person with a confirmed e-mail, while open."""
    return accepts_participation(c) and is_participant(p)


def can_answer(p: Principal, c: Consultation) -> bool:
    return accepts_participation(c) and is_participant(p)


def can_enter_paper(p: Principal, c: Consultation, owners: Collection[int]) -> bool:
    """Officials of an owning body enter what arrived by post, e-mail, meeting or phone."""
    return c.status == Status.OPEN and is_owner_official(p, owners)


def can_follow(p: Principal, c: Consultation) -> bool:
    return p.authenticated and c.status != Status.DRAFT


def can_see_results(p: Principal, c: Consultation, owners: Collection[int]) -> bool:
    """Everyone once closed; the owners' officials while it runs."""
    return c.status == Status.CLOSED or (c.status == Status.OPEN and is_owner_official(p, owners))


def can_publish_outcome(p: Principal, c: Consultation, owners: Collection[int]) -> bool:
    """The report and the response: publishers of an owning body, once the consultation is
    closed."""
    return c.status == Status.CLOSED and is_owner_publisher(p, owners)
