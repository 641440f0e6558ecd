"""Bases of the JSON API's models, free of HTTP: a domain's ``schemas.py`` subclasses them
without importing the web layer (``participation.web.api`` reads and writes them)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

T = TypeVar("T")

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """A day in a query is written YYYY-MM-DD, as the document says (pydantic alone would also
    take a number of seconds since 1970, "-1.5e-55", as a day)."""
    if isinstance(value, str) and not _DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]


class Schema(BaseModel):
    """Base of the API's response models: every field present, nothing extra."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


class Params(BaseModel):
    """Base of query and path parameter models: unknown parameters are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Query(Params):
    """Base of query parameter models: an empty parameter counts as absent (``?status=`` from
    a form's empty choice is no filter)."""

    @model_validator(mode="before")
    @classmethod
    def _drop_empty(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v != ""}
        return data


class Page(Schema, Generic[T]):
    """A cursor-paginated list: ``Page[Item]``."""

    items: list[T]
    next_cursor: str | None = None
