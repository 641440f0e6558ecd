"""The one list of domain packages. The app factory, the worker, the migrations config and
``seed-demo`` read it; nothing else knows which domains exist.

A domain package may provide, by convention:
  models.py    Tortoise models
  views.py     ``routes`` (mounted at the domain's prefix, named by the domain)
  api.py       ``routes`` (mounted under /api/v1)
  tasks.py     ``functions`` (outbox jobs) and ``periodic`` (scheduled jobs)
  portal.py    ``sections``: async (request) -> (template, context) | None for the home page;
               ``body_sections``: async (request, body) -> (template, context) | None for a
               government body's page (organisations:detail); the template gets ``ctx``
  seed.py      ``async def seed_demo(settings, log)`` for ``participation seed-demo``
  hosts.py     ``comment_hosts`` / ``vote_hosts``: targets the generic comments and votes serve;
               ``accountability_hosts``: things owed an answer (participation.accountability)
  privacy.py   what the domain holds about a person (``participation.accounts.personal_data``
               runs them over every domain, accounts last):
               ``async def export_person(user_id) -> dict`` (JSON-ready, that person's data
               only; empty when there is none) and
               ``async def erase_person(user_id, *, keep_comments: bool) -> None`` (remove or
               anonymise what is personal, keep what others' counts and reports rest on; runs
               inside the erasure's transaction; it may return the storage keys of
               files to delete once committed); optionally
               ``async def apply_retention(*, now, settings) -> int`` (daily: anonymise what is
               kept beyond its retention period, each item in its own transaction)
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Domain:
    name: str
    package: str
    prefix: str


DOMAINS: tuple[Domain, ...] = (
    Domain("core", "participation", ""),
    Domain("audit", "participation.audit", "/audit"),
    Domain("accounts", "participation.accounts", "/account"),
    Domain("organisations", "participation.organisations", "/bodies"),
    Domain("admin", "participation.admin", "/admin"),
    Domain("mail", "participation.mail", "/mail"),
    Domain("moderation", "participation.moderation", "/moderation"),
    Domain("comments", "participation.comments", "/comments"),
    Domain("votes", "participation.votes", "/votes"),
    Domain("reports", "participation.reports", "/reports"),
    Domain("integrity", "participation.integrity", "/integrity"),
    Domain("consultations", "consultations", "/consultations"),
    Domain("petitions", "petitions", "/petitions"),
    # after the domains it answers for: its demo data answers their consultations and petitions
    Domain("accountability", "participation.accountability", "/accountability"),
)


def submodule(domain: Domain, name: str) -> ModuleType | None:
    """``<package>.<name>`` if that module exists, else None (a missing file, not an error)."""
    full = f"{domain.package}.{name}"
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name in (full, domain.package):
            return None
        raise


def model_modules() -> list[str]:
    out = []
    for d in DOMAINS:
        if submodule(d, "models") is not None:
            out.append(f"{d.package}.models")
    return out


@functools.cache
def comment_hosts() -> dict[str, Any]:
    """target_type -> CommentHost, from every domain's ``hosts.py`` (``comment_hosts = [...]``).
    See participation/comments/hosts.py for the protocol."""
    return _hosts("comment_hosts")


@functools.cache
def vote_hosts() -> dict[str, Any]:
    """target_type -> VoteHost, from every domain's ``hosts.py`` (``vote_hosts = [...]``)."""
    return _hosts("vote_hosts")


@functools.cache
def accountability_hosts() -> dict[str, Any]:
    """target_type -> AccountabilityHost, from every domain's ``hosts.py``
    (``accountability_hosts = [...]``; protocol in participation/accountability/targets.py)."""
    return _hosts("accountability_hosts")


def _hosts(attribute: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for d in DOMAINS:
        mod = submodule(d, "hosts")
        for host in getattr(mod, attribute, ()) if mod is not None else ():
            if host.target_type in out:
                raise RuntimeError(f"two {attribute} for target type {host.target_type!r}")
            out[host.target_type] = host
    return out
