"""三员分立 (等保 2.0): no administrator disables or strips another, touches its own
account, or reads business data — on the pages, the API and in the services."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fazhi.core import services
from fazhi.core.models import AuditEvent, User
from fazhi.deadlines import services as clocks

ADMINS = ["xt_sysadmin", "xt_secadmin", "xt_auditadmin"]


def _active(user) -> bool:
    return User.objects.get(pk=user.pk).is_active


def _roles(user) -> frozenset[str]:
    return User.objects.get(pk=user.pk).roles


@pytest.mark.parametrize("target", ["xt_secadmin", "xt_auditadmin", "xt_sysadmin"])
def test_system_admin_cannot_deactivate_an_administrator_on_the_page(
        client, people, target):
    client.force_login(people.xt_sysadmin)
    response = client.post(reverse("web:user_set_active", args=[people[target].pk]),
                           {"active": "0"}, follow=True)
    assert _active(people[target])
    text = response.content.decode()
    assert "不能停用自己的账户" in text or "其他管理员不得停用其账户" in text
    assert not AuditEvent.objects.filter(action="user.set_active").exists()


def test_user_page_offers_no_button_to_disable_an_administrator(client, people):
    client.force_login(people.xt_sysadmin)
    page = client.get(reverse("web:user_list")).content.decode()
    for name in ADMINS:
        url = reverse("web:user_set_active", args=[people[name].pk])
        assert url not in page
    assert reverse("web:user_set_active", args=[people.xt_officer.pk]) in page


def test_system_admin_still_disables_a_business_account(client, people):
    client.force_login(people.xt_sysadmin)
    client.post(reverse("web:user_set_active", args=[people.xt_officer.pk]),
                {"active": "0"})
    assert not _active(people.xt_officer)


@pytest.mark.parametrize(("target", "role"), [
    ("xt_auditadmin", "audit_admin"), ("xt_sysadmin", "system_admin"),
    ("xt_secadmin", "security_admin")])
def test_security_admin_cannot_revoke_an_administrators_role_or_its_own(
        client, people, target, role):
    client.force_login(people.xt_secadmin)
    response = client.post(reverse("web:role_change", args=[people[target].pk]),
                           {"role": role, "grant": "0"}, follow=True)
    assert role in _roles(people[target])
    text = response.content.decode()
    assert "不能撤销自己的角色" in text or "其他管理员不得撤销其角色" in text


def test_the_separation_holds_in_the_services_for_every_path(people):
    """The command line and any future path call these same services."""
    attempts = [
        lambda: services.user_set_active(user=people.xt_auditadmin, active=False,
                                         actor=people.xt_sysadmin),
        lambda: services.user_set_active(user=people.xt_sysadmin, active=False,
                                         actor=people.xt_sysadmin),
        lambda: services.user_revoke_role(user=people.xt_auditadmin, role="audit_admin",
                                          actor=people.xt_secadmin),
        lambda: services.user_revoke_role(user=people.xt_secadmin,
                                          role="security_admin",
                                          actor=people.xt_secadmin),
        lambda: services.user_grant_role(user=people.xt_secadmin, role="supervisor",
                                         actor=people.xt_secadmin),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert all(_active(people[n]) for n in ADMINS)
    assert "audit_admin" in _roles(people.xt_auditadmin)
    assert "security_admin" in _roles(people.xt_secadmin)


@pytest.fixture
def clock(people):
    officer = people.xt_disclosure
    return clocks.clock_start(matter=officer, rule_id="disclosure.reply",
                              start=dt.date(2025, 9, 25), actor=officer,
                              title="湘潭县自然资源局 潭县自然资罚〔2025〕7号 答复期限",
                              assignee=officer)


@pytest.mark.parametrize("admin", ADMINS)
def test_administrators_cannot_read_a_clock_by_id(client, people, clock, admin):
    client.force_login(people[admin])
    page = client.get(reverse("web:clock_detail", args=[clock.pk]))
    api = client.get(reverse("api-clock", args=[clock.pk]))
    listing = client.get(reverse("api-clocks"), {"scope": "all"})
    assert page.status_code == 403 and api.status_code == 403
    assert listing.status_code == 403
    for response in (page, api, listing):
        assert "潭县自然资罚" not in response.content.decode()


def test_the_business_user_still_reads_the_clock(client, people, clock):
    client.force_login(people.xt_supervisor)
    assert client.get(reverse("web:clock_detail", args=[clock.pk])).status_code == 200
    listing = client.get(reverse("api-clocks"), {"scope": "all"}).json()
    assert [c["id"] for c in listing["results"]] == [clock.pk]


# What the three administrators may open: their own pages, their notifications, the
# login, the API's description of itself, the public 公示 and rating pages.
ADMIN_ROUTES = {
    "web:login", "web:logout", "web:home", "web:notifications", "web:notification_read",
    "web:user_list", "web:user_set_active", "web:role_list", "web:role_change",
    # 股室管理: the system administrator keeps the bureau's departments
    # (tests/web/test_departments.py refuses everyone else).
    "web:department_list", "web:department_rename", "web:department_deactivate",
    "web:department_reactivate",
    "web:token_list", "web:token_revoke", "web:holiday_list", "web:audit_search",
    "api-token", "api-me", "api-org-units", "api-org-unit", "api-notifications",
    "api-audit-events", "api-audit-event", "api-schema", "api-docs",
    "permits:kinds", "permits:kind_new", "permits:kind_edit",
    # 规则采用: the system administrator enters the documents a bureau adopts.
    "web:rule_adoptions", "web:province_adopt",
    "publicity:index", "publicity:list", "publicity:basics", "publicity:detail",
    "rating:rate",
    # The load balancer's health check: counts only, open to anyone (fazhi.web.ops).
    "health",
}
# The security administrator also enters a stand-in for leave (请假代理): a
# temporary hand-on of a person's roles, as granting them is theirs.
SECURITY_ROUTES = {"web:standins", "web:standin_end"}


def _routes(resolver=None, prefix="", namespace=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from _routes(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield name, "/" + prefix + str(p.pattern)


def _fill(route: str) -> str:
    # Any id will do: a business page must refuse an administrator before it looks
    # anything up, so the answer cannot depend on what the database holds.
    route = re.sub(r"<int:\w+>", "1", route)
    return re.sub(r"<(?:str:|slug:)?\w+>", "x", route)


def test_every_business_page_and_api_refuses_the_three_administrators(client, people):
    routes = [(n, _fill(r)) for n, r in _routes() if n not in ADMIN_ROUTES]
    assert len(routes) > 150  # the whole URL map, not an empty walk
    leaks = []
    for admin in ADMINS:
        client.force_login(people[admin])
        for name, url in routes:
            if admin == "xt_secadmin" and name in SECURITY_ROUTES:
                continue
            status = client.get(url).status_code
            if status not in (403, 405):
                leaks.append((admin, name, url, status))
            elif status == 405 and client.post(url).status_code != 403:
                leaks.append((admin, name, url, "POST"))
    assert leaks == [], leaks
