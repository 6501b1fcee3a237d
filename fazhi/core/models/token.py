"""API tokens: a key shown once and kept only as its digest; idle and end times."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A key for the API (the mobile field page, integrations), one per login.

    It dies when unused for the idle time, at its end time, when revoked (by its
    holder, by the security administrator, when the account is disabled) and when
    the holder's password changes (``password_stamp`` no longer matches).
    """

    # SHA-256 of the key: a copy of the database never yields a working key.
    digest = models.CharField(max_length=64, unique=True)
    # The key's first characters: tell tokens apart on the security page.
    prefix = models.CharField("令牌前缀", max_length=8)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                             related_name="api_tokens")
    created_at = models.DateTimeField("签发时间")
    last_used_at = models.DateTimeField("最近使用")
    expires_at = models.DateTimeField("最迟失效", db_index=True)
    password_stamp = models.CharField(max_length=64)
    remote_addr = models.GenericIPAddressField("签发地址", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, db_index=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    class Meta:
        verbose_name = "接口令牌"

    def __str__(self) -> str:
        return f"{self.user} 的接口令牌 {self.prefix}…"
