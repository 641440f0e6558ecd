"""Domain errors: what a service raises when it refuses a request.

Services never raise HTTP exceptions and never import the web layer. They raise one of these
kinds (or a domain's own subclass of one), carrying a sentence already translated for the
person and, when the refusal is about one form field, that field's name. The web layer turns
them into responses in one place (``participation.web.errors``): a page or JSON error with a
status chosen by the kind, or the form shown again with the message next to its field.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal a person can understand. ``message`` is translated; ``field`` names the form
    field it is about, if any."""

    def __init__(self, message: str = "", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DomainError):
    """What was sent cannot be accepted as it is (a form error)."""


class NotSignedIn(DomainError):
    """Only a signed-in person may do this."""


class Forbidden(DomainError):
    """This person may not do this to this object."""


class NotFound(DomainError):
    """The object does not exist, or this person may not know that it does."""


class Conflict(DomainError):
    """The object is not in a state that allows this (already published, closed...)."""


class TooMany(DomainError):
    """Tried too often; try again later."""
