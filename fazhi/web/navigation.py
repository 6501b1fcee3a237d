"""Role navigation: each role sees the entries of its work, nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from fazhi.core.roles import ADMIN_ROLES, BUSINESS_ROLES, Role
from fazhi.enforcement import leads, publicity, selectors, supervision
from fazhi.learning import selectors as learning
from fazhi.monitoring import selectors as monitoring
from fazhi.permits import selectors as permits


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


NAV = [
    NavItem("我的待办", "web:home", frozenset(BUSINESS_ROLES)),
    NavItem("工作看板", "reports:dashboard", frozenset(BUSINESS_ROLES)),
    NavItem("统计指标", "reports:metric_list", frozenset(BUSINESS_ROLES)),
    NavItem("审批窗口", "permits:queue", frozenset(permits.READ_ROLES)),
    NavItem("窗口统计", "permits:stats", frozenset(permits.READ_ROLES)),
    NavItem("差评核实", "permits:complaints", frozenset({Role.SUPERVISOR})),
    NavItem("复议诉讼", "disputes:list", frozenset({
        Role.LEGAL_AFFAIRS_OFFICER, Role.PRINCIPAL, Role.SUPERVISOR})),
    NavItem("三率", "disputes:rates", frozenset({
        Role.LEGAL_AFFAIRS_OFFICER, Role.PRINCIPAL, Role.SUPERVISOR})),
    NavItem("年度报告", "reports:annual_list", frozenset({
        Role.PRINCIPAL, Role.LEGAL_AFFAIRS_OFFICER, Role.SUPERVISOR})),
    NavItem("基期数据", "reports:baseline_list", frozenset({
        Role.LEGAL_AFFAIRS_OFFICER, Role.PRINCIPAL, Role.SUPERVISOR})),
    NavItem("依申请公开", "disclosure:list", frozenset({
        Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_HEAD, Role.PRINCIPAL, Role.SUPERVISOR,
        Role.LEGAL_AFFAIRS_OFFICER})),
    NavItem("行政执法", "enforcement:case_list", frozenset(selectors.READ_ROLES)),
    NavItem("违法线索", "enforcement:lead_list", frozenset(leads.READ_ROLES)),
    NavItem("执法公示", "enforcement:publicity_due",
            frozenset(publicity.PUBLISHER_ROLES)),
    NavItem("执法监督", "enforcement:inaction_list", frozenset(supervision.READ_ROLES)),
    NavItem("案卷评查", "enforcement:file_review_list",
            frozenset(supervision.READ_ROLES)),
    NavItem("卫片执法", "monitoring:batch_list", frozenset(monitoring.READ_ROLES)),
    NavItem("学法普法", "learning:index", frozenset(learning.READ_ROLES)),
    NavItem("外业核查", "monitoring:field_tasks",
            frozenset({Role.ENFORCEMENT_OFFICER})),
    NavItem("通知", "web:notifications", frozenset(set(Role))),
    NavItem("审计日志", "web:audit_search", frozenset({Role.AUDIT_ADMIN})),
    NavItem("用户管理", "web:user_list", frozenset({Role.SYSTEM_ADMIN})),
    NavItem("角色授权", "web:role_list", frozenset({Role.SECURITY_ADMIN})),
    NavItem("接口令牌", "web:token_list", frozenset({Role.SECURITY_ADMIN})),
    NavItem("许可事项", "permits:kinds", frozenset({Role.SYSTEM_ADMIN})),
    NavItem("节假日安排", "web:holiday_list", frozenset({Role.SYSTEM_ADMIN})),
    NavItem("接口文档", "api-docs", frozenset(BUSINESS_ROLES | {Role.SYSTEM_ADMIN})),
]


def menu_for(user, path: str) -> list[dict]:
    """Return the navigation entries the user's roles open, marking the current one."""
    roles = user.roles
    items = []
    for item in NAV:
        if roles & item.roles:
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "active": path == url})
    return items


def is_admin_only(user) -> bool:
    return bool(user.roles) and user.roles <= ADMIN_ROLES
