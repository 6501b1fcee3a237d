"""Role codes and the names staff use for them (pure: state tables name roles too).

``fazhi.core.roles.Role`` (the Django choices) is built from this table, so a role
is written once. The comment on each row says who holds it in the bureau.
"""

from __future__ import annotations

WINDOW_CLERK = "window_clerk"
ENFORCEMENT_OFFICER = "enforcement_officer"
LEGAL_REVIEWER = "legal_reviewer"
PRINCIPAL = "principal"
SECTION_HEAD = "section_head"
DISCLOSURE_OFFICER = "disclosure_officer"
DISCLOSURE_HEAD = "disclosure_head"
LEGAL_AFFAIRS_OFFICER = "legal_affairs_officer"
SUPERVISOR = "supervisor"
SYSTEM_ADMIN = "system_admin"
SECURITY_ADMIN = "security_admin"
AUDIT_ADMIN = "audit_admin"

ROLE_LABELS: dict[str, str] = {
    WINDOW_CLERK: "审批窗口工作人员",  # takes in and runs permit applications
    ENFORCEMENT_OFFICER: "执法人员",  # holds a badge; runs cases
    LEGAL_REVIEWER: "法制审核人员",  # reviews major decisions
    PRINCIPAL: "负责人",  # the bureau's head: approves, appears in court
    # Head of a section (股室), e.g. the permit section: reviews (审核) a decision
    # its staff propose before the principal approves it (approvals.toml).
    SECTION_HEAD: "科室负责人",
    DISCLOSURE_OFFICER: "政务公开工作人员",  # answers OGI requests
    # Head of the disclosure office: approves extensions (政府信息公开条例 Art. 33).
    DISCLOSURE_HEAD: "政务公开机构负责人",
    LEGAL_AFFAIRS_OFFICER: "法务人员",  # reconsideration, litigation
    SUPERVISOR: "督察人员",  # file review, rectification, complaints
    SYSTEM_ADMIN: "系统管理员",  # users and configuration; no business data
    SECURITY_ADMIN: "安全管理员",  # grants and revokes roles
    AUDIT_ADMIN: "审计管理员",  # reads the audit log; changes nothing
}

# Whose work a head oversees in the bureau: 我的待办 shows them those roles' overdue
# items (None: every role's). The disclosure office's head oversees its officers.
OVERSEES: dict[str, frozenset[str] | None] = {
    PRINCIPAL: None,
    SUPERVISOR: None,
    DISCLOSURE_HEAD: frozenset({DISCLOSURE_OFFICER}),
    SECTION_HEAD: frozenset({WINDOW_CLERK}),  # the permit section's head, its window
}

# The heads who direct work (name stand-ins, hand work over): those above but the
# supervisor, who checks work and assigns none.
HEADS = frozenset(OVERSEES) - {SUPERVISOR}
