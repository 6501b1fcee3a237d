"""Read every ``fazhi`` module's imports from its source, without importing it.

``import_graph`` parses each module (migrations aside) and returns the ``fazhi``
modules it imports — at module level and inside functions alike, since an import
in a function is still an edge between the two modules, only a later one. Imports
under ``if TYPE_CHECKING:`` never run and are left out. ``from pkg import name``
points at ``pkg.name`` when that is a module, else at ``pkg``.

The layer contract (tests/test_layers.py) and the cycle finder use it, and so
does bench/code_metrics.py, which passes ``root`` to read another checkout.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it is written and what it names."""

    source: str  # the importing module, e.g. "fazhi.disputes.views"
    target: str  # the imported module, e.g. "fazhi.enforcement.models"
    names: tuple[str, ...]  # the names taken from it ("" for ``import target``)
    line: int
    in_function: bool

    def __str__(self) -> str:
        where = " (in a function)" if self.in_function else ""
        return f"{self.source}:{self.line}{where} → {self.target}"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the ``fazhi`` package under ``root`` by dotted name,
    migrations aside."""
    return {module_name(p, root): p for p in sorted((root / "fazhi").rglob("*.py"))
            if "migrations" not in p.relative_to(root).parts}


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _absolute(source: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = source.split(".")
    # A package's own module is its __init__: level 1 means the package itself.
    base = base if _is_package(path) else base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, in_function: bool = False
          ) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _type_checking(child):
            for other in child.orelse:
                yield from _walk(other, in_function)
            continue
        inner = in_function or isinstance(
            child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        yield child, inner
        yield from _walk(child, inner)


def imports_of(source: str, path: Path, known: dict[str, Path]) -> list[Import]:
    """The ``fazhi`` modules that ``path`` (module ``source``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node, in_function in _walk(tree):
        if isinstance(node, ast.Import):
            out += [Import(source, a.name, ("",), node.lineno, in_function)
                    for a in node.names if a.name.split(".")[0] == "fazhi"]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(source, path, node)
            if base.split(".")[0] != "fazhi":
                continue
            plain = tuple(a.name for a in node.names
                          if f"{base}.{a.name}" not in known)
            if plain:
                out.append(Import(source, base, plain, node.lineno, in_function))
            out += [Import(source, f"{base}.{a.name}", ("",), node.lineno,
                           in_function)
                    for a in node.names if f"{base}.{a.name}" in known]
    return out


def import_graph(root: Path = ROOT) -> list[Import]:
    """Every import between ``fazhi`` modules of the checkout at ``root``."""
    known = modules(root)
    return [imp for name, path in known.items()
            for imp in imports_of(name, path, known)]


def cycles(edges: list[Import]) -> list[list[str]]:
    """The groups of modules that import each other round in a circle (strongly
    connected components of two or more modules, or one importing itself),
    each sorted, largest first."""
    graph: dict[str, set[str]] = {}
    for imp in edges:
        graph.setdefault(imp.source, set()).add(imp.target)
        graph.setdefault(imp.target, set())
    groups = [sorted(c) for c in _components(graph)
              if len(c) > 1 or next(iter(c)) in graph[next(iter(c))]]
    return sorted(groups, key=lambda c: (-len(c), c))


def _components(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                out.append(group)
    return out
