"""Find and remove what a killed process left behind: working folders nobody holds.

A build or an extraction cleans up after itself when it ends, even by an error; a
kill (a restart, the OOM killer) skips that. Such a folder is abandoned once neither
it nor anything in it has been written for ``older_than`` seconds — chosen by the
caller well above the longest pause of a live writer.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable
from pathlib import Path


def last_written(path: Path) -> float:
    """Return the newest modification time (epoch s) of ``path`` and its contents."""
    newest = path.stat().st_mtime
    if path.is_dir():
        for inner in path.rglob("*"):
            try:
                newest = max(newest, inner.stat().st_mtime)
            except FileNotFoundError:  # removed while we looked
                continue
    return newest


def remove_abandoned(
    parent: Path,
    patterns: Iterable[str],
    *,
    older_than: float,
    now: float | None = None,
) -> list[Path]:
    """Remove the entries of ``parent`` matching ``patterns`` untouched for
    ``older_than`` seconds; return what was removed."""
    if not parent.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    for pattern in patterns:
        for entry in parent.glob(pattern):
            try:
                if now - last_written(entry) < older_than:
                    continue
            except FileNotFoundError:
                continue
            _remove(entry)
            removed.append(entry)
    return removed


def _remove(entry: Path) -> None:
    """Remove a folder with its contents, or a file."""
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        entry.unlink(missing_ok=True)
