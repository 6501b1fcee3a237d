"""Login with lockout: too many failures lock the account, and the client's address.

After N failures for one username in M minutes that account is refused; after K
failures from one client address in the same window, that address is refused for
every username (one client trying many usernames with common passwords). The
failures live in the database, so every web process and the embedded default see
the same counts. The checks sit in the authentication backend, so the login page,
the API token endpoint and any future login path all share them.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from fazhi.core.models import ApiToken, LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked(username: str) -> bool:
    """Tell whether ``username`` has failed too often in the lockout window."""
    recent = LoginFailure.objects.filter(username=username, at__gte=_window_start())
    return recent.count() >= settings.LOGIN_LOCKOUT_FAILURES


def is_throttled(addr: str | None) -> bool:
    """Tell whether the client at ``addr`` has failed too often in the window."""
    if not addr:
        return False
    recent = LoginFailure.objects.filter(remote_addr=addr, at__gte=_window_start())
    return recent.count() >= settings.LOGIN_IP_FAILURES


def client_ip(request) -> str | None:
    """Return the client's address.

    REMOTE_ADDR, unless ``PROXY_COUNT`` reverse proxies stand in front: then
    the address the outermost of them saw, counted from the right of
    X-Forwarded-For (entries further left come from the client and prove nothing).
    """
    if request is None:
        return None
    meta = request.META
    hops = settings.PROXY_COUNT
    if hops:
        forwarded = [a.strip() for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops and _valid_ip(forwarded[-hops]):
            return forwarded[-hops]
    addr = meta.get("REMOTE_ADDR")
    return addr if _valid_ip(addr) else None


def _valid_ip(addr: str | None) -> bool:
    try:
        ipaddress.ip_address(addr or "")
    except ValueError:
        return False
    return True


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if is_throttled(client_ip(request)):
            request.fazhi_throttled = True
            return None
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
        LoginFailure.objects.create(username=username, remote_addr=client_ip(request))


@receiver(user_logged_in)
def _forget_failures(sender, user, request=None, **kwargs):
    LoginFailure.objects.filter(username=user.get_username()).delete()


def login_records_purge(*, as_of: dt.date) -> int:
    """Daily sweep hook: forget failures and API tokens nobody needs any more.

    Failures older than the lockout window count toward nothing; a token that ended a
    month ago stays in the audit chain, not in the token table. Returns how many
    rows went.
    """
    now = timezone.now()
    window = dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    failures, _ = LoginFailure.objects.filter(
        at__lt=now - max(window, dt.timedelta(days=1))).delete()
    month = now - dt.timedelta(days=30)
    tokens, _ = ApiToken.objects.filter(expires_at__lt=month).delete()
    revoked, _ = ApiToken.objects.filter(revoked_at__lt=month).delete()
    return failures + tokens + revoked
