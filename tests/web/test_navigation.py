"""The menu is the apps' own: each declares its entries, the shell only collects."""

from __future__ import annotations

from django.apps import apps
from django.urls import reverse

from fazhi.core.models import Notification
from fazhi.web.navigation import entries, menu_for

MODULES = {"disclosure", "enforcement", "permits", "disputes", "monitoring",
           "learning", "reports", "web"}


def _declared() -> dict[str, list]:
    return {c.label: c.navigation() for c in apps.get_app_configs()
            if hasattr(c, "navigation")}


def test_every_module_declares_the_entries_of_its_own_pages():
    declared = _declared()
    assert set(declared) == MODULES
    for label, own in declared.items():
        for entry in own:
            namespace = entry.url_name.split(":")[0]
            assert namespace == label or entry.url_name == "api-docs", entry
            assert reverse(entry.url_name)


def test_the_menu_holds_every_declared_entry_once():
    declared = [e for own in _declared().values() for e in own]
    assert sorted(e.url_name for e in entries()) == sorted(
        e.url_name for e in declared)


def test_the_menu_opens_with_the_own_work_then_the_figures(people):
    labels = [i["label"] for i in menu_for(people.xt_principal, "/")]
    assert labels[:3] == ["我的待办", "工作看板", "统计指标"]
    assert labels[-1] == "通知"
    assert "接口文档" not in labels  # the API's documentation is for integrators
    assert {"行政执法", "审批窗口", "依申请公开", "复议诉讼", "卫片执法", "学法普法",
            "年度报告"} <= set(labels)


def test_an_administrator_sees_only_the_own_pages(people):
    labels = [i["label"] for i in menu_for(people.xt_sysadmin, "/")]
    assert set(labels) == {"通知", "用户管理", "许可事项", "节假日安排", "规则采用",
                           "接口文档"}


def test_unread_notifications_are_counted_beside_the_entry(client, people):
    officer = people.xt_officer
    note = Notification.objects.create(user=officer, org_unit=officer.org_unit,
                                       message="测试通知")
    client.force_login(officer)
    html = client.get(reverse("web:notifications")).content.decode()
    assert '通知 <span class="count">1</span>' in html
    client.post(reverse("web:notification_read", args=[note.pk]))
    html = client.get(reverse("web:notifications")).content.decode()
    assert 'class="count"' not in html
