"""Integrity forms: typed input (``participation.forms``), bound in the views with ``bind``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from participation.forms import FormModel, Tick

if TYPE_CHECKING:
    Sure = bool
else:
    Sure = Tick(required=True)


class DisownInput(FormModel):
    """ "I did not write / sign this", ticked to be sure."""

    sure: Sure = False
