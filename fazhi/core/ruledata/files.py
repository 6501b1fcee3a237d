"""Finding and reading rule files: shipped folder first, then the bureau's folders."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from fazhi.core.ruledata.cache import note, stamp
from fazhi.core.ruledata.citation import Adoption, Standing
from fazhi.core.ruledata.errors import RuleFileError
from fazhi.core.ruledata.table import Table

E = TypeVar("E")
C = TypeVar("C")


def _top(top: Table) -> Table:
    return top


def read_toml(
    path: Path | str, *, error: type[RuleFileError] = RuleFileError
) -> dict[str, Any]:
    """Parse one rule file (UTF-8 TOML); the error names the file."""
    path = Path(path)
    seen = stamp(path)  # before reading: a change while reading shows next time
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        message = f"{path}：无法读取规则文件：不是有效的 TOML（{exc}）"
        raise error(message, path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}：无法读取规则文件：{exc}", path=path) from exc
    note(path, seen)
    return data


def read_table(
    path: Path | str, *, error: type[RuleFileError] = RuleFileError
) -> Table:
    """Parse one rule file and return its top level as a Table."""
    return Table.of_file(read_toml(path, error=error), Path(path), error=error)


def rule_folders(
    shipped: Path,
    extra_dirs: Iterable[Path | str],
    *,
    error: type[RuleFileError] = RuleFileError,
) -> list[Path]:
    """Return the shipped folder, then each bureau folder (which must exist)."""
    folders = [Path(shipped)]
    for folder in map(Path, extra_dirs):
        if not folder.is_dir():
            raise error(f"{folder}：规则目录不存在", path=folder)
        folders.append(folder)
    return folders


def rule_files(folders: Sequence[Path], name: str) -> list[Path]:
    """Return the first folder's file ``name`` and each later folder's of that name."""
    for folder in folders:
        note(folder)  # a file added to or removed from a folder changes the folder
    shipped, *extra = [Path(folder) / name for folder in folders]
    return [shipped, *(path for path in extra if path.is_file())]


def read_replaced(
    shipped: Path | str,
    extra_dirs: Iterable[Path | str],
    *,
    error: type[RuleFileError] = RuleFileError,
) -> Table:
    """Read the rule file ``shipped`` as the bureau has it: the last of its folders
    holding a file of that name replaces the shipped file whole."""
    shipped = Path(shipped)
    folders = rule_folders(shipped.parent, extra_dirs, error=error)
    return read_table(rule_files(folders, shipped.name)[-1], error=error)


def all_rule_files(folders: Sequence[Path], pattern: str = "*.toml") -> list[Path]:
    """Return every matching file of each folder in turn, sorted by name."""
    found: list[Path] = []
    for folder in folders:
        note(folder)
        found.extend(sorted(Path(folder).glob(pattern)))
    return found


def merge_by_id(
    merged: dict[str, E],
    entries: Iterable[Table],
    read: Callable[[Table], E],
    *,
    id_key: str = "code",
) -> dict[str, E]:
    """Put one file's entries into ``merged`` by id: the same id replaces the entry
    whole, a new id is added at the end; an id twice in one file is an error."""
    seen: set[str] = set()
    for table in entries:
        item = read(table)
        ident = table.text(id_key)
        if ident in seen:
            table.fail(f"{id_key} 在同一文件中重复出现", id_key)
        seen.add(ident)
        merged[ident] = item
    return merged


def merged_entries(
    files: Sequence[Path],
    key: str,
    read: Callable[[Table, C], E],
    *,
    head: Callable[[Table], C] = _top,
    id_key: str = "code",
    error: type[RuleFileError] = RuleFileError,
) -> dict[str, E]:
    """Read ``[[key]]`` of each file, shipped first; a later id replaces an earlier.

    ``head`` reads what a file's entries share (its [law], say) from the file's top
    level, once a file; ``read`` gets each entry and that. The shipped file must hold
    at least one entry.
    """
    merged: dict[str, E] = {}
    for n, path in enumerate(files):
        top = read_table(path, error=error)
        shared = head(top)
        tables = top.entries(key, id_key=id_key, required=n == 0)
        merge_by_id(merged, tables, lambda t, c=shared: read(t, c), id_key=id_key)
    return merged


def merge_keys(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Return ``base`` with ``over``'s keys replacing its own, table by table."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = merge_keys(base[key], value)
        else:
            merged[key] = value
    return merged


ADOPTED = "adopted.toml"
"""The file in a module's rule folder naming the documents the bureau adopted."""


def adoption_of(
    folders: Sequence[Path], name: str, *, error: type[RuleFileError] = RuleFileError
) -> Adoption | None:
    """Return the document the bureau adopted for the module's rule file ``name``.

    Each folder may hold an ``adopted.toml`` of ``[[adopted]]`` entries (rule, standing,
    title, document, issued_on, in_force); a later folder's entry for the same rule
    replaces an earlier one. None while the bureau has adopted none: the file's own
    standing stands.
    """
    found: Adoption | None = None
    for path in rule_files(folders, ADOPTED)[1:] if folders else []:
        for table in read_table(path, error=error).entries("adopted", id_key="rule"):
            if table.text("rule") == name:
                found = _adoption(table)
    return found


def _adoption(table: Table) -> Adoption:
    table.keys({"rule", "standing", "title", "document"}, {"issued_on", "in_force"})
    standing = table.standing()
    if standing not in (Standing.PROVINCE, Standing.BUREAU):
        table.fail("键 standing 只能是 province（省厅文件）或 bureau（本局规定）", "standing")
    return Adoption(
        rule=table.text("rule"), standing=standing, title=table.text("title"),
        document=table.text("document"),
        issued_on=table.date("issued_on", required=False),
        in_force=table.date("in_force", required=False),
    )
