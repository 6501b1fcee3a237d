"""Logging filters wired in settings.LOGGING."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class ForbiddenOneLine(logging.Filter):
    """Log a refused request (PermissionDenied) as one warning line, no traceback.

    The line keeps what a security review wants: the path, who asked, and why.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, PermissionDenied):
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            who = getattr(user, "username", "") or "anonymous"
            record.msg = f"{record.getMessage()} user={who} reason={exc}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
