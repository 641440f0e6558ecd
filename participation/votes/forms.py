"""The vote form: typed input (``participation.forms``), bound in the view with ``bind``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from participation.forms import BIGINT_MAX, FormModel, Integer, Text

if TYPE_CHECKING:  # mypy reads the Python types, pydantic the validating ones below
    TargetType = str
    Id = int
    Value = int
    Typed = str
else:
    TargetType = Text(40)
    Id = Integer(0, BIGINT_MAX)  # the host checks its own range
    Value = Integer(-1, 1)  # the host says which of these it allows
    Typed = Text(multiline=True, required=False)


class VoteInput(FormModel):
    target_type: TargetType
    target_id: Id
    value: Value
    next: Typed = ""  # where to go back to (a path on this site, else the target's page)
