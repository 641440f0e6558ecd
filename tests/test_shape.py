"""The shape of the tree that import-linter cannot see (its contracts are in pyproject.toml and
run by `make lint`): no module imports itself through others, and views never query models."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("participation", "consultations", "petitions")
MANAGER_METHODS = {
    "all", "filter", "exclude", "get", "get_or_none", "get_or_create", "update_or_create",
    "create", "bulk_create", "bulk_update", "select_for_update", "annotate", "first", "exists",
    "count", "raw", "in_bulk", "update", "delete", "values", "values_list", "order_by",
}  # fmt: skip


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_itself_through_others() -> None:
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(name)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.x")
    graph.add_import(importer="a.z", imported="a.x")
    assert _cycles(graph) == [["a.x", "a.y"]]


def _view_files() -> list[Path]:
    files = []
    for package in PACKAGES:
        for name in ("views.py", "api.py"):
            files.extend((ROOT / package).rglob(name))
    return sorted(files)


def _model_queries(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    models: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("models"):
            models.update(alias.asname or alias.name for alias in node.names)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in models
            and node.func.attr in MANAGER_METHODS
        ):
            found.append(
                f"{path.relative_to(root)}:{node.lineno} {node.func.value.id}.{node.func.attr}"
            )
    return found


def test_views_never_query_models() -> None:
    found = [hit for path in _view_files() for hit in _model_queries(path)]
    assert found == [], "views go through queries and services:\n" + "\n".join(found)


def test_the_view_check_sees_a_query(tmp_path: Path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text("from x.models import Body\n\nasync def v():\n    return await Body.all()\n")
    assert _model_queries(bad, tmp_path) == ["views.py:4 Body.all"]
