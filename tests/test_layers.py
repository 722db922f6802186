"""The layer rule: no module of ``kit`` is in an import cycle, and none imports ``kit`` itself.

The import graph is read from the source with :mod:`ast`: every ``import`` and
``from ... import`` naming a module of ``kit``, at module level or inside a
function (an import inside a function still ties the two modules together; it
only hides the cycle until the function runs). ``from kit.x import y`` is an
import of ``kit.x.y`` when ``y`` is a module, else of ``kit.x``. A package's
``__init__`` running before its submodules is not counted: it is how packages
load, not an import written in the code.

The layers themselves are checked by import-linter (``[tool.importlinter]`` in
pyproject.toml, ``make lint``).
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "kit"


def _modules(package: Path = PACKAGE) -> dict[str, tuple[Path, bool]]:
    """``{dotted name: (path, is a package)}`` for every module of the package."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        out[".".join(parts)] = (path, is_package)
    return out


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    if not level:
        return name or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def _known(name: str, modules: dict) -> str | None:
    """The module ``name`` is, or the package holding it (``kit.x.attr`` -> ``kit.x``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(package: Path = PACKAGE) -> dict[str, dict[str, list[str]]]:
    """``{module: {imported module of the package: ["path:line", ...]}}``.

    Examples
    --------
    >>> graph = import_graph()
    >>> "kit.kpis" in graph["kit.api"], "kit.kpis" in graph["kit.registry"]
    (True, False)
    """
    modules = _modules(package)
    top = package.name
    graph: dict[str, dict[str, list[str]]] = {m: {} for m in modules}
    for module, (path, is_package) in modules.items():
        where = str(path.relative_to(package.parent))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=where)):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(module, is_package, node.level, node.module)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]
            for target in targets:
                if target != top and not target.startswith(top + "."):
                    continue
                found = _known(target, modules)
                if found is not None and found != module:
                    graph[module].setdefault(found, []).append(f"{where}:{node.lineno}")
    return graph


def cycles(graph: dict[str, dict]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted.

    Examples
    --------
    >>> cycles({"a": {"b": []}, "b": {"a": []}, "c": {"a": []}})
    [['a', 'b']]
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_cycles_are_found_through_imports_inside_functions(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.b import f\n")
    (pkg / "b.py").write_text("def f():\n    from pkg import a\n    return a\n")
    (pkg / "c.py").write_text("import pkg.a\n")
    graph = import_graph(pkg)
    assert graph["pkg.b"] == {"pkg.a": ["pkg/b.py:2"]}
    assert cycles(graph) == [["pkg.a", "pkg.b"]]


def test_no_module_of_kit_is_in_an_import_cycle():
    graph = import_graph()
    found = cycles(graph)
    lines = []
    for component in found:
        lines.append(" <-> ".join(component))
        for a in component:
            for b, where in sorted(graph[a].items()):
                if b in component:
                    lines.append(f"    {a} imports {b} at {', '.join(where)}")
    assert not found, (
        f"{len(found)} import cycle(s) among the modules of kit (imports inside functions "
        "count); every module may only import modules of lower layers:\n" + "\n".join(lines)
        + "\nMove what the modules share to a module below both, then import it at the top "
        "of each.")


def test_no_module_imports_the_kit_package_itself():
    # ``import kit`` or ``from kit import __version__`` inside kit loads the whole
    # package from below; ``from kit import registry`` imports the module kit.registry.
    found = {m: targets["kit"] for m, targets in import_graph().items() if "kit" in targets}
    assert not found, (
        "module(s) of kit import the package kit itself: "
        + "; ".join(f"{m} at {', '.join(w)}" for m, w in sorted(found.items()))
        + ". Import the module that holds the name instead (kit.registry, kit._version...).")
