"""One cache for rule data, keyed by the loader and its folders, and kept fresh.

Decision: an entry is checked against the files it was read from on every lookup.
While a loader runs, every rule file it reads and every folder it looks into is noted
with its stat (modification time in ns, size, inode); a later lookup stats those
paths again and reads anew when one differs. So a bureau that edits, adds or removes a
rule file sees the change on the next page, with no restart. The check costs one
``stat`` per file and folder: measured 7 µs a stat on the development machine's overlay
file system, so 20 µs for the benchmark and 100 µs for the nine deadline files and
their folder, against 12–14 ms to read either again. Checking less often (a timer)
would save that but make "edited, then read" depend on time.

Inside ``checked_once`` (the web middleware opens it around each request) an entry's
files are checked the first time the entry is asked for and trusted for the rest of
the block: a list of 50 requests asks for the deadline rules once per clock badge,
and at 10 stats each that was over 1,000 stats a page, 5–10 % of its time on a
loaded machine. "Edited, then read" still holds from one page to the next; code that
writes a rule file inside a request calls ``forget_checks`` after it.

Hazard: the file system stamps times in coarse ticks (a few ms). An edit that keeps
the size, made in the same tick as the read before it, goes unseen until the file is
touched again; tests set the time with ``os.utime`` rather than trust the clock.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from threading import Lock
from typing import TypeVar

T = TypeVar("T")
Stamp = tuple[int, int, int] | None
Loader = Callable[[tuple[Path, ...]], T]

_SEEN: ContextVar[list[tuple[str, Stamp]] | None] = ContextVar(
    "rule_files_seen", default=None
)
# The cache keys whose files were checked inside the current ``checked_once`` block,
# and what ``once`` computed in it (the folders a module's rules are read from).
_CHECKED: ContextVar[dict | None] = ContextVar("rule_files_checked", default=None)


@contextmanager
def checked_once() -> Iterator[None]:
    """Check each entry's files at most once inside this block (one request)."""
    token = _CHECKED.set({})
    try:
        yield
    finally:
        _CHECKED.reset(token)


def once(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once per ``key`` inside ``checked_once``; every time outside."""
    checked = _CHECKED.get()
    if checked is None:
        return compute()
    if key not in checked:
        checked[key] = compute()
    return checked[key]


def forget_checks() -> None:
    """Check the files again on the next lookup (a rule file was just written)."""
    checked = _CHECKED.get()
    if checked is not None:
        checked.clear()


def stamp(path: Path | str) -> Stamp:
    """Return what tells a file or folder changed, or None when it is not there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def note(path: Path | str, seen: Stamp | None = None) -> None:
    """Record that the running load depends on ``path`` (a file read, a folder
    looked into), as it stood when read."""
    found = _SEEN.get()
    if found is not None:
        found.append((str(path), stamp(path) if seen is None else seen))


class RuleCache:
    """Loaded rule data by (loader, folders), fresh while its files are unchanged.

    Pass module-level loaders: the function itself is part of the key.
    """

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._entries: OrderedDict[tuple, tuple[object, tuple]] = OrderedDict()
        self._lock = Lock()

    def get(self, loader: Loader[T], folders: Sequence[Path | str]) -> T:
        """Return ``loader(folders)``, read again only when a file it read changed."""
        key = (loader, tuple(str(f) for f in folders))
        with self._lock:
            entry = self._entries.get(key)
        checked = _CHECKED.get()
        if entry is not None and (
            (checked is not None and key in checked)
            or all(stamp(p) == s for p, s in entry[1])
        ):
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
            if checked is not None:
                checked[key] = True
            _pass_on(entry[1])
            return entry[0]  # type: ignore[return-value]
        seen: list[tuple[str, Stamp]] = []
        token = _SEEN.set(seen)
        try:
            value = loader(tuple(Path(f) for f in folders))
        finally:
            _SEEN.reset(token)
        _pass_on(seen)
        with self._lock:
            self._entries[key] = (value, tuple(seen))
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        if checked is not None:
            checked[key] = True
        return value

    def clear(self) -> None:
        """Forget everything (the next lookups read the files)."""
        with self._lock:
            self._entries.clear()
        forget_checks()


def _pass_on(seen: Sequence[tuple[str, Stamp]]) -> None:
    """A load inside another load: the outer one depends on the same files."""
    outer = _SEEN.get()
    if outer is not None:
        outer.extend(seen)


RULES = RuleCache()
"""The process's one rule-data cache."""


def cached(loader: Loader[T], folders: Sequence[Path | str]) -> T:
    """Return ``loader``'s rule data for ``folders`` from the process's one cache."""
    return RULES.get(loader, folders)
