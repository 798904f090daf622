"""The package's layers: each imports only from itself and the layers below it, and nothing imports in a cycle.

data  <  grading  <  rules  <  export, schemas  <  site, contribute  <  cli
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "scripts" / "gallery"
LAYERS = {
    "data": 0,
    "grading": 1,
    "rules": 2,
    "export": 3,
    "schemas": 3,
    "site": 4,
    "contribute": 4,
    "cli": 5,
    "__main__": 6,
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every gallery module a file imports, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gallery"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("gallery"))
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {name for name in found if name in modules}


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 else -1


GRAPH = {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_is_in_a_layer() -> None:
    assert {m for m in GRAPH if m != "gallery" and m.split(".")[1] not in LAYERS} == set()


def test_nothing_imports_upward() -> None:
    upward = sorted((m, i) for m, imports in GRAPH.items() for i in imports if layer(i) > layer(m))
    assert upward == []


def test_no_import_cycle() -> None:
    """Depth-first search for a back edge (a package importing its own submodules does not count)."""
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str, stack: list[str]) -> None:
        if module in stack:
            cycles.append(stack[stack.index(module) :] + [module])
            return
        if module in done:
            return
        for target in GRAPH.get(module, ()):
            if target == module or target.startswith(module + "."):
                continue
            visit(target, [*stack, module])
        done.add(module)

    for module in GRAPH:
        visit(module, [])
    assert cycles == []


def test_the_check_would_see_an_upward_import() -> None:
    assert layer("gallery.site.build") > layer("gallery.data.models")
    assert "gallery.rules" in GRAPH["gallery.site.pages.reference"]
