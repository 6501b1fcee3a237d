"""The one error a rule file raises: it names the file and the key."""

from __future__ import annotations

from pathlib import Path


class RuleFileError(ValueError):
    """A rule file is unreadable or wrong; the message names the file and the key.

    ``path`` is the file (or folder) at fault and ``key`` the key, where one is known;
    the Chinese message says both, for the administrator who keeps the file.
    """

    def __init__(
        self, message: str, *, path: Path | str | None = None, key: str | None = None
    ) -> None:
        super().__init__(message)
        self.path = Path(path) if path is not None else None
        self.key = key
