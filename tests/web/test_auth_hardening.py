"""Login and API hardening: expiring, revocable API tokens; a per-client login
throttle; HSTS over HTTPS; one log line for a refused request."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
import textwrap

import time_machine
from django.urls import reverse

from fazhi.core import services
from fazhi.core.models import ApiToken, AuditEvent, LoginFailure, User
from tests.conftest import PASSWORD

START = dt.datetime(2026, 3, 2, 1, tzinfo=dt.UTC)  # a Monday, 09:00 in 湘潭


def _token(client, username="xt_officer", password=PASSWORD, **extra):
    response = client.post(reverse("api-token"),
                           {"username": username, "password": password}, **extra)
    return response.json().get("token"), response


def _me(client, token):
    return client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}")


# --- API tokens ---------------------------------------------------------------------


def test_api_token_dies_after_the_idle_time(client, people, settings):
    with time_machine.travel(START, tick=False):
        token, _ = _token(client)
    idle = dt.timedelta(minutes=settings.API_TOKEN_IDLE_MINUTES)
    with time_machine.travel(START + idle - dt.timedelta(minutes=5), tick=False):
        assert _me(client, token).status_code == 200  # use renews it
    with time_machine.travel(START + 2 * idle - dt.timedelta(minutes=10), tick=False):
        assert _me(client, token).status_code == 200
    with time_machine.travel(START + 3 * idle, tick=False):
        response = _me(client, token)
    assert response.status_code == 401
    assert "已过期" in response.json()["detail"]


def test_api_token_dies_at_its_end_even_when_used_every_day(client, people, settings):
    settings.API_TOKEN_IDLE_MINUTES = 60 * 24 * 2  # so that daily use keeps it alive
    with time_machine.travel(START, tick=False):
        token, _ = _token(client)
    for day in range(1, settings.API_TOKEN_DAYS):
        with time_machine.travel(START + dt.timedelta(days=day), tick=False):
            assert _me(client, token).status_code == 200
    end = START + dt.timedelta(days=settings.API_TOKEN_DAYS, minutes=1)
    with time_machine.travel(end, tick=False):
        assert _me(client, token).status_code == 401


def test_holder_revokes_its_token_with_delete(client, people):
    token, _ = _token(client)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.delete(reverse("api-token"), **auth).status_code == 204
    assert _me(client, token).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_the_key_itself_is_never_stored(client, people):
    token, _ = _token(client)
    stored = ApiToken.objects.get()
    assert token not in {stored.digest, stored.prefix} and len(token) >= 40
    assert AuditEvent.objects.filter(action="api_token.issue",
                                     object_id=str(stored.pk)).exists()
    assert not AuditEvent.objects.filter(payload__contains=token).exists()


def test_disabling_the_account_revokes_its_tokens(client, people):
    token, _ = _token(client)
    services.user_set_active(user=people.xt_officer, active=False,
                             actor=people.xt_sysadmin)
    services.user_set_active(user=people.xt_officer, active=True,
                             actor=people.xt_sysadmin)
    assert _me(client, token).status_code == 401  # enabled again, the token stays dead
    assert ApiToken.objects.get().revoked_at is not None


def test_changing_the_password_revokes_the_tokens(client, people):
    token, _ = _token(client)
    user = User.objects.get(username="xt_officer")
    user.set_password("another-long-password")  # as `fazhi changepassword` does
    user.save()
    assert _me(client, token).status_code == 401
    fresh, _ = _token(client, password="another-long-password")
    assert _me(client, fresh).status_code == 200


def test_security_admin_sees_live_tokens_and_revokes_one(client, people):
    officer_token, _ = _token(client)
    _token(client, "xx_officer")  # another county: not on 湘潭县's list
    client.logout()
    client.force_login(people.xt_secadmin)
    page = client.get(reverse("web:token_list")).content.decode()
    stored = ApiToken.objects.get(user=people.xt_officer)
    other = ApiToken.objects.get(user=people.xx_officer)
    assert stored.prefix in page and "湘潭县执法" in page
    assert other.prefix not in page
    assert client.post(reverse("web:token_revoke", args=[other.pk])).status_code == 404
    client.post(reverse("web:token_revoke", args=[stored.pk]))
    assert _me(client, officer_token).status_code == 401
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.actor == people.xt_secadmin
    assert event.org_unit == people.xt_officer.org_unit
    page = client.get(reverse("web:token_list")).content.decode()
    assert "已吊销" in page  # the message; the row and its button are gone
    assert reverse("web:token_revoke", args=[stored.pk]) not in page


def test_only_the_security_admin_has_the_token_page(client, people):
    for name in ("xt_sysadmin", "xt_auditadmin", "xt_officer"):
        client.force_login(people[name])
        assert client.get(reverse("web:token_list")).status_code == 403


# --- per-client login throttle ------------------------------------------------------


def _login(client, username, password="wrong-password-1", **extra):
    return client.post(reverse("web:login"),
                       {"username": username, "password": password}, **extra)


def test_one_client_trying_many_usernames_is_throttled(client, people, settings):
    for n in range(30):
        _login(client, f"guess{n}", REMOTE_ADDR="203.0.113.7")
    # Not one of the 30 usernames reached its own lockout, yet the client is stopped,
    # even with a right password.
    response = _login(client, "xt_officer", PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert "本机登录失败次数过多" in response.content.decode()
    # Another client is not affected.
    other = _login(client, "xt_officer", PASSWORD, REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 302
    later = dt.datetime.now(dt.UTC) + dt.timedelta(
        minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    with time_machine.travel(later):
        assert _login(client, "xt_clerk", PASSWORD,
                      REMOTE_ADDR="203.0.113.7").status_code == 302


def test_api_token_endpoint_shares_the_client_throttle(client, people, settings):
    for n in range(settings.LOGIN_IP_FAILURES):
        _token(client, f"guess{n}", "nope", REMOTE_ADDR="203.0.113.8")
    token, response = _token(client, "xt_officer", REMOTE_ADDR="203.0.113.8")
    assert token is None and response.status_code == 400
    assert "本机登录失败次数过多" in response.json()["detail"]


def test_a_forged_forwarded_for_does_not_escape_the_throttle(client, people, settings):
    assert settings.PROXY_COUNT == 0
    for n in range(settings.LOGIN_IP_FAILURES):
        _login(client, f"guess{n}", REMOTE_ADDR="203.0.113.9",
               HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = _login(client, "xt_officer", PASSWORD, REMOTE_ADDR="203.0.113.9",
                      HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert "本机登录失败次数过多" in response.content.decode()


def test_behind_a_proxy_the_address_it_saw_is_the_client(client, people, settings):
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for n in range(settings.LOGIN_IP_FAILURES):
        # The client forges the leftmost entry; the proxy appends what it saw.
        _login(client, f"guess{n}", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.10",
               **proxy)
    throttled = _login(client, "xt_officer", PASSWORD,
                       HTTP_X_FORWARDED_FOR="203.0.113.10", **proxy)
    assert "本机登录失败次数过多" in throttled.content.decode()
    # A colleague behind the same proxy, from another address, logs in.
    other = _login(client, "xt_officer", PASSWORD,
                   HTTP_X_FORWARDED_FOR="198.51.100.3", **proxy)
    assert other.status_code == 302


# --- HSTS and the 403 log line ------------------------------------------------------


def test_hsts_is_sent_over_https_outside_debug(tmp_path):
    """The production settings, as an operator starts them (not the test settings)."""
    script = textwrap.dedent("""
        import django, os
        os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings"
        django.setup()
        from django.test import Client
        response = Client().get("/login/", secure=True, headers={"host": "localhost"})
        print(response.status_code, response.get("Strict-Transport-Security", "-"))
    """)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FAZHI_", "DJANGO_", "DATABASE_URL"))}
    env.update(FAZHI_DATA_DIR=str(tmp_path), FAZHI_SECRET_KEY="s" * 50,
               FAZHI_AUDIT_KEY="a" * 50, FAZHI_DEBUG="0", FAZHI_HTTPS="1")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out[0] == "200"
    assert out[1].startswith("max-age=") and int(out[1].split("=")[1].rstrip(";")) >= (
        180 * 24 * 3600)


def test_a_refused_request_is_logged_in_one_line(client, people, caplog):
    client.force_login(people.xt_officer)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("web:user_list")).status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.WARNING and record.exc_info is None
    line = caplog.text.strip()
    assert "Traceback" not in line and "\n" not in line
    assert "/admin/users/" in line and "xt_officer" in line


def test_the_daily_sweep_forgets_old_failures_and_dead_tokens(client, people):
    from fazhi.deadlines.sweep import sweep_hooks_run

    with time_machine.travel(START, tick=False):
        _token(client)
        _login(client, "guess", REMOTE_ADDR="203.0.113.11")
    with time_machine.travel(START + dt.timedelta(days=70), tick=False):
        _login(client, "guess", REMOTE_ADDR="203.0.113.11")  # today's stays
        results = sweep_hooks_run(as_of=dt.date(2026, 5, 11))
    assert results["fazhi.core.auth.login_records_purge"] == 2
    assert not ApiToken.objects.exists()
    assert LoginFailure.objects.count() == 1
