"""The login form and why a login failed: the same words on the page and the API."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "用户名或密码不正确。连续失败 %(limit)s 次将锁定账户 %(minutes)s 分钟。"),
        "inactive": "该账户已停用，请联系系统管理员。",
        "locked": (
            "登录失败次数过多，账户已锁定 %(minutes)s 分钟，"
            "请稍后再试或联系系统管理员。"),
        "throttled": (
            "本机登录失败次数过多，%(minutes)s 分钟内不能再登录，"
            "请稍后再试或联系系统管理员。"),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            params = {"limit": settings.LOGIN_LOCKOUT_FAILURES,
                      "minutes": settings.LOGIN_LOCKOUT_MINUTES}
            code = login_refusal(self.request)
            raise forms.ValidationError(
                self.error_messages[code] % params, code=code) from None


def login_refusal(request) -> str:
    """Say why a login failed: the client throttled, the account locked, or neither."""
    if getattr(request, "fazhi_throttled", False):
        return "throttled"
    return "locked" if getattr(request, "fazhi_locked", False) else "invalid_login"
