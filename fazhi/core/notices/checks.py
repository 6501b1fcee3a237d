"""Startup checks of the outbound channels: a misnamed channel fails loudly at
``fazhi check`` / server start, not silently on the first notification."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error
from django.utils.module_loading import import_string


def outbound_check(app_configs=None, **kwargs) -> list[Error]:
    """Every channel in ``NOTIFY_BACKENDS`` is an importable ``Backend``, the example
    SMS gateway has its URL, and mail uses TLS or SSL, not both."""
    from fazhi.core.notices.outbound import Backend, HttpSmsBackend

    errors = []
    for path in settings.NOTIFY_BACKENDS:
        try:
            backend = import_string(path)
        except ImportError as error:
            errors.append(Error(f"FAZHI_NOTIFY_BACKENDS: {path}: {error}",
                                id="fazhi.E101"))
            continue
        if not (isinstance(backend, type) and issubclass(backend, Backend)):
            errors.append(Error(f"FAZHI_NOTIFY_BACKENDS: {path} is not a subclass of "
                                "fazhi.core.notices.outbound.Backend", id="fazhi.E102"))
        elif issubclass(backend, HttpSmsBackend) and not settings.NOTIFY_SMS_URL:
            errors.append(Error(f"{path} needs FAZHI_SMS_URL", id="fazhi.E103"))
    if settings.EMAIL_USE_TLS and settings.EMAIL_USE_SSL:
        errors.append(Error("FAZHI_EMAIL_TLS and FAZHI_EMAIL_SSL exclude each other",
                            id="fazhi.E104"))
    return errors
