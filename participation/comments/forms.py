"""Comment forms: typed input (``participation.forms``), bound in the views with ``bind``.

The text, the stance and the language are taken as typed; their rules (length, which stances a
host allows, the edit window) depend on the settings and the host, so the service checks them
and its refusal goes next to its field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from participation.forms import BIGINT_MAX, FormModel, Integer, Text

if TYPE_CHECKING:  # mypy reads the Python types, pydantic the validating ones below
    TargetType = str
    Id = int
    OptionalId = int | None
    Typed = str
    Word = str
else:
    TargetType = Text(40)
    Id = Integer(0, BIGINT_MAX)  # the host checks its own range
    OptionalId = Integer(0, BIGINT_MAX, required=False)
    Typed = Text(multiline=True, required=False)
    Word = Text(20, required=False)


class CommentInput(FormModel):
    """A new comment on a target, or a reply (``parent_id``)."""

    target_type: TargetType
    target_id: Id
    parent_id: OptionalId = None
    text: Typed = ""
    stance: Word = ""
    language: Word = ""


class EditInput(FormModel):
    text: Typed = ""


class VoteChoice(FormModel):
    """A vote on a comment from the page's one vote form: the button pressed names the vote
    (``up``, ``down``, or ``clear`` to take it back) and its value is the comment's id."""

    up: OptionalId = None
    down: OptionalId = None
    clear: OptionalId = None
    next: Typed = ""  # the page to go back to (a path on this site)
