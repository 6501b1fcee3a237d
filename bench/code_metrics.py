"""Code metrics of the ``fazhi`` package, to compare a checkout before and after a change.

    python bench/code_metrics.py [--repo DIR]     # DIR: the checkout, default this one

Migrations are left out throughout. Prints:

- modules and lines: how many modules, their total lines, and those over 500 and
  over 600 lines with their counts;
- function length: every function and method (nested ones too), in lines from its
  ``def`` (decorators aside) to its last line — count, median, p90 and max, and
  the ten longest with their place;
- import cycles: groups of modules that import each other round in a circle,
  imports inside functions included, each with the imports that close it. The
  imports are read by tests/imports.py of *this* checkout, so an older ``--repo``
  without that file is read alike;
- duplicate code: when the ``duplicates`` command is on PATH, ``duplicates --most
  200 --seconds 120`` run in ``fazhi/``, its pairs counted in all, outside
  migrations and not boilerplate, and of those across apps (the first path
  component differs), the cross-app rows listed.

Standard library only; nothing is imported from the checkout it reads.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from tests.imports import cycles, import_graph, modules  # noqa: E402

LONG_MODULES = (500, 600)
LONGEST = 10
DUPLICATES = ["duplicates", "--most", "200", "--seconds", "120"]
ROW = re.compile(r"^D\d+ (\S+):(\d+)-(\d+) ~ (\S+):(\d+)-(\d+)(.*)$")


@dataclass(frozen=True)
class Function:
    place: str  # "fazhi/enforcement/views.py:120"
    name: str  # qualified within its module: "CaseDetail.get"
    lines: int


def functions(path: Path, shown: str) -> list[Function]:
    """Every function and method of one module, nested ones included."""
    out: list[Function] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                out.append(Function(f"{shown}:{child.lineno}", name,
                                    child.end_lineno - child.lineno + 1))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), "")
    return out


def report_modules(repo: Path, paths: dict[str, Path]) -> None:
    sizes = {str(p.relative_to(repo)): len(p.read_text(encoding="utf-8").splitlines())
             for p in paths.values()}
    print("## Modules")
    print(f"modules: {len(sizes)}")
    print(f"total lines: {sum(sizes.values())}")
    for limit in LONG_MODULES:
        over = sorted(((n, f) for f, n in sizes.items() if n > limit), reverse=True)
        print(f"over {limit} lines: {len(over)}")
        for n, f in over:
            print(f"  {n:6d}  {f}")


def report_functions(repo: Path, paths: dict[str, Path]) -> None:
    found = [f for p in paths.values()
             for f in functions(p, str(p.relative_to(repo)))]
    lengths = sorted(f.lines for f in found)
    print("\n## Functions and methods (lines, def to last line)")
    print(f"count: {len(lengths)}")
    if not lengths:
        return
    p90 = statistics.quantiles(lengths, n=10, method="inclusive")[8]
    print(f"median: {statistics.median(lengths):g}")
    print(f"p90: {p90:g}")
    print(f"max: {lengths[-1]}")
    print(f"{LONGEST} longest:")
    for f in sorted(found, key=lambda f: (-f.lines, f.place))[:LONGEST]:
        print(f"  {f.lines:5d}  {f.place}  {f.name}")


def report_cycles(repo: Path) -> None:
    edges = import_graph(repo)
    groups = cycles(edges)
    print("\n## Import cycles among fazhi modules (imports in functions included)")
    print(f"cycles: {len(groups)}")
    for number, group in enumerate(groups, 1):
        members = set(group)
        print(f"cycle {number} ({len(group)} modules): {', '.join(group)}")
        for imp in sorted({e for e in edges
                           if e.source in members and e.target in members},
                          key=lambda e: (e.source, e.line, e.target)):
            print(f"  {imp}")


def report_duplicates(repo: Path) -> None:
    print("\n## Duplicate code (" + " ".join(DUPLICATES) + ", in fazhi/)")
    if shutil.which(DUPLICATES[0]) is None:
        print("the `duplicates` command is not on PATH: skipped")
        return
    result = subprocess.run(DUPLICATES, cwd=repo / "fazhi", capture_output=True,
                            text=True, check=False)
    lines = result.stdout.splitlines()
    header = lines[0] if lines else ""
    total = re.match(r"(\d+) pairs", header)
    rows = [m for m in map(ROW.match, lines) if m]
    kept = [m for m in rows if "boilerplate" not in m.group(7)
            and "migrations" not in Path(m.group(1)).parts
            and "migrations" not in Path(m.group(4)).parts]
    cross = [m for m in kept
             if Path(m.group(1)).parts[0] != Path(m.group(4)).parts[0]]
    print(f"pairs: {total.group(1) if total else 0}")
    for line in lines:
        if line.startswith("incomplete:"):
            print(f"{line}  (the counts below are of what was read)")
        elif line.startswith("(+"):
            # Rows come most shared first, boilerplate last: when the last listed
            # row is boilerplate, so is every row cut after it.
            whole = bool(rows) and "boilerplate" in rows[-1].group(7)
            print(f"{line} not listed: " + (
                "all boilerplate (listed last), so the counts below are whole"
                if whole else "the counts below are of the listed rows only"))
    print(f"not boilerplate, outside migrations: {len(kept)}")
    print(f"  of which across apps: {len(cross)}")
    for m in cross:
        print(f"  {m.group(0)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, default=HERE,
                        help="the checkout to measure (default: this one)")
    repo = parser.parse_args().repo.resolve()
    if not (repo / "fazhi").is_dir():
        parser.error(f"no fazhi/ package in {repo}")
    paths = modules(repo)
    commit = subprocess.run(["git", "log", "-1", "--format=%h %s"], cwd=repo,
                            capture_output=True, text=True, check=False).stdout
    print(f"# fazhi code metrics: {repo}" + (f" at {commit.strip()}" if commit else ""))
    report_modules(repo, paths)
    report_functions(repo, paths)
    report_cycles(repo)
    report_duplicates(repo)


if __name__ == "__main__":
    main()
