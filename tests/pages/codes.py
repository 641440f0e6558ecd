"""The codes of the tree that a reader must never see raw: audit action codes (found in the
source: every ``record(actor, "<action>", ...)`` call) and the values of the domains' enums."""

from __future__ import annotations

import ast
import enum
import re
from functools import cache
from pathlib import Path

from participation.domains import DOMAINS, submodule

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("participation", "consultations", "petitions")


def _literal_codes(node: ast.expr, assigned: dict[str, list[ast.expr]]) -> list[str]:
    """The action codes an argument can be: a string, a conditional of strings, a variable
    assigned those in the same function, or an f-string (its fields as ``*``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literal_codes(node.body, assigned) + _literal_codes(node.orelse, assigned)
    if isinstance(node, ast.Name):
        return [c for value in assigned.get(node.id, []) for c in _literal_codes(value, assigned)]
    if isinstance(node, ast.JoinedStr):
        return [
            "".join(
                v.value if isinstance(v, ast.Constant) else "*"  # type: ignore[misc]
                for v in node.values
            )
        ]
    return []


@cache
def audit_actions() -> frozenset[str]:
    """Every action passed to the audit log's ``record`` in the source tree; ``*`` stands for
    a field of an f-string (``petition.unblock_*``)."""
    found: set[str] = set()
    for package in SOURCES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for fn in ast.walk(tree):
                if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                assigned: dict[str, list[ast.expr]] = {}
                for node in ast.walk(fn):
                    if isinstance(node, ast.Assign):
                        for target in node.targets:
                            if isinstance(target, ast.Name):
                                assigned.setdefault(target.id, []).append(node.value)
                for node in ast.walk(fn):
                    if not isinstance(node, ast.Call) or len(node.args) < 2:
                        continue
                    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                    if name == "record":
                        found.update(_literal_codes(node.args[1], assigned))
    return frozenset(found)


def action_pattern(action: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(action).replace(r"\*", "[a-z_]+") + "$")


@cache
def enum_values() -> frozenset[str]:
    """Values of every string enum of the domains' models (states, kinds, roles, reasons)."""
    values: set[str] = set()
    for d in DOMAINS:
        models = submodule(d, "models")
        for obj in vars(models).values() if models else ():
            if isinstance(obj, type) and issubclass(obj, enum.Enum) and issubclass(obj, str):
                values.update(str(m.value) for m in obj)
    return frozenset(values)


CODE_SHAPE = re.compile(r"^[a-z]+(?:[._][a-z]+)+$")  # petition.reject, not_responsible
