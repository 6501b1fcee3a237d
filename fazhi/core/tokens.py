"""API tokens: issued at login, checked on every request, revoked (services + DRF).

A token lives ``API_TOKEN_IDLE_MINUTES`` after its last use and at most
``API_TOKEN_DAYS`` after it was issued. Only the key's SHA-256 is stored; the key is
shown once, to the client that logged in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from fazhi.core import audit
from fazhi.core.models import ApiToken, User
from fazhi.core.permissions import require_admin
from fazhi.core.roles import Role
from fazhi.core.scope import get_scoped_or_404, scoped

# Writing last_used_at on every request would make every API read a write.
_TOUCH_EVERY = dt.timedelta(minutes=1)


def token_issue(*, user: User, remote_addr: str | None) -> tuple[ApiToken, str]:
    """Issue a token to ``user`` who has just logged in; return it and its key."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            digest=_digest(key), prefix=key[:8], user=user, created_at=now,
            last_used_at=now, expires_at=now + _lifetime(), remote_addr=remote_addr,
            password_stamp=password_stamp(user),
        )
        audit.record(actor=user, obj=token, action="api_token.issue",
                     org_unit=user.org_unit, summary=f"签发接口令牌 {token.prefix}…",
                     after={"expires_at": token.expires_at.isoformat(),
                            "remote_addr": remote_addr})
    return token, key


def token_check(key: str) -> ApiToken | None:
    """Return the live token for ``key`` (and note its use), or None."""
    token = (ApiToken.objects.select_related("user", "user__org_unit")
             .filter(digest=_digest(key), revoked_at__isnull=True).first())
    now = timezone.now()
    if token is None or not token_alive(token, now) or not token.user.is_active:
        return None
    if not constant_time_compare(token.password_stamp, password_stamp(token.user)):
        token_revoke(token=token, actor=None, reason="密码已修改")
        return None
    if now - token.last_used_at > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_alive(token: ApiToken, now: dt.datetime) -> bool:
    """Tell whether ``token`` is neither revoked, past its end, nor idle too long."""
    return (token.revoked_at is None and now < token.expires_at
            and now < token.last_used_at + _idle())


def token_revoke(*, token: ApiToken, actor, reason: str = "") -> bool:
    """Revoke one token: its holder, the security administrator, or the system (None).

    Returns False when it was already revoked.
    """
    if actor is not None and actor.pk != token.user_id:
        require_admin(actor, Role.SECURITY_ADMIN, token.user.org_unit)
    now = timezone.now()
    with transaction.atomic():
        done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor if getattr(actor, "pk", None) else None)
        if done:
            audit.record(actor=actor, obj=token, action="api_token.revoke",
                         org_unit=token.user.org_unit,
                         summary=f"吊销接口令牌 {token.prefix}…"
                                 + (f"（{reason}）" if reason else ""))
    token.revoked_at = token.revoked_at or now
    return bool(done)


def token_revoke_all(*, user: User, actor, reason: str) -> int:
    """Revoke every live token of ``user`` (inside the caller's transaction)."""
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        done = ApiToken.objects.filter(user=user, revoked_at__isnull=True,
                                       expires_at__gt=now).update(
            revoked_at=now, revoked_by=actor if getattr(actor, "pk", None) else None)
        if done:
            audit.record(actor=actor, obj=user, action="api_token.revoke_all",
                         org_unit=user.org_unit,
                         summary=f"吊销该用户的全部接口令牌 {done} 个（{reason}）")
    return done


def token_list_live(*, actor) -> list[ApiToken]:
    """Live tokens of the security administrator's subtree, newest first."""
    require_admin(actor, Role.SECURITY_ADMIN, actor.org_unit)
    now = timezone.now()
    qs = scoped(ApiToken.objects.all(), actor, "user__org_unit").filter(
        revoked_at__isnull=True, expires_at__gt=now, last_used_at__gt=now - _idle(),
        user__is_active=True,
    ).select_related("user", "user__org_unit").order_by("-created_at")
    return [t for t in qs if constant_time_compare(t.password_stamp,
                                                   password_stamp(t.user))]


def token_get(*, actor, pk: int) -> ApiToken:
    """One token of the caller's subtree, or 404."""
    return get_scoped_or_404(ApiToken.objects.select_related("user__org_unit"), actor,
                             "user__org_unit", pk=pk)


def token_idle_end(token: ApiToken) -> dt.datetime:
    """When ``token`` dies if it is not used again."""
    return min(token.last_used_at + _idle(), token.expires_at)


def password_stamp(user: User) -> str:
    """A digest that changes whenever the user's password does."""
    return salted_hmac("fazhi.core.tokens.password", user.password,
                       algorithm="sha256").hexdigest()


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` against fazhi's expiring tokens."""

    def authenticate_credentials(self, key):
        token = token_check(key)
        if token is None:
            raise AuthenticationFailed("接口令牌无效、已过期或已吊销，请重新登录获取")
        return token.user, token


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _idle() -> dt.timedelta:
    return dt.timedelta(minutes=settings.API_TOKEN_IDLE_MINUTES)


def _lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.API_TOKEN_DAYS)
