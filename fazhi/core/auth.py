"""Login with lockout: after N failures in M minutes an account is refused.

The check sits in the authentication backend, so the login page, the API token
endpoint and any future login path all share it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from fazhi.core.models import LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked(username: str) -> bool:
    """Tell whether ``username`` has failed too often in the lockout window."""
    recent = LoginFailure.objects.filter(username=username, at__gte=_window_start())
    return recent.count() >= settings.LOGIN_LOCKOUT_FAILURES


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and is_locked(username):
            if request is not None:
                request.fazhi_locked = True
            return None
        return super().authenticate(request, username=username, password=password,
                                    **kwargs)


@receiver(user_login_failed)
def _remember_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if username:
        addr = request.META.get("REMOTE_ADDR") if request is not None else None
        LoginFailure.objects.create(username=username, remote_addr=addr)


@receiver(user_logged_in)
def _forget_failures(sender, user, request=None, **kwargs):
    LoginFailure.objects.filter(username=user.get_username()).delete()
