"""Demo data: Hunan → Xiangtan city → Xiangtan county and Xiangxiang, staff per role
in each county, a principal of the city and a legal-affairs officer of the province.

Running it again changes nothing: every step looks for what it would create.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

from django.db import transaction
from django.utils import timezone

from fazhi.core import services
from fazhi.core.models import Department, OrgUnit, User
from fazhi.core.roles import Role

ORG_TREE = [
    # division code, division name, bureau name, doc-number short name, level, parent
    ("430000", "湖南省", "湖南省自然资源厅", "湘自然资", "province", None),
    ("430300", "湘潭市", "湘潭市自然资源和规划局", "潭自然资", "city", "430000"),
    ("430321", "湘潭县", "湘潭县自然资源局", "潭县自然资", "county", "430300"),
    ("430381", "湘乡市", "湘乡市自然资源局", "湘乡自然资", "county", "430300"),
]

# Username stem, full-name stem and department for each role's demo user.
ROLE_PEOPLE = [
    (Role.WINDOW_CLERK, "clerk", "窗口", "审批窗口"),
    # Reviews (审核) the window's decisions before the principal approves them.
    (Role.SECTION_HEAD, "sectionhead", "审批股长", "审批窗口"),
    (Role.ENFORCEMENT_OFFICER, "officer", "执法", "执法大队"),
    # A case needs two badge-holding officers (行政处罚法第四十二条).
    (Role.ENFORCEMENT_OFFICER, "officer2", "执法二", "执法大队"),
    (Role.LEGAL_REVIEWER, "reviewer", "法审", "法规股"),
    (Role.PRINCIPAL, "principal", "局长", None),
    (Role.DISCLOSURE_OFFICER, "disclosure", "公开", "办公室"),
    (Role.DISCLOSURE_HEAD, "disclosurehead", "公开主任", "办公室"),
    (Role.LEGAL_AFFAIRS_OFFICER, "legal", "法务", "法规股"),
    (Role.SUPERVISOR, "supervisor", "督察", "督察股"),
    (Role.SYSTEM_ADMIN, "sysadmin", "系管", "信息中心"),
    (Role.SECURITY_ADMIN, "secadmin", "安管", "信息中心"),
    (Role.AUDIT_ADMIN, "auditadmin", "审计", "信息中心"),
]
COUNTY_PREFIX = {"430321": ("xt", "湘潭县"), "430381": ("xx", "湘乡市")}
# Above the counties, to try the levels: division code, username, full name, role,
# department. They handle no county's matters; their 我的待办 counts each county's.
# Each level's system administrator creates accounts in their own bureau and the
# bureaus below it, and its security administrator grants their roles; a county's
# administrators cannot reach the city or the province.
LEVEL_PEOPLE = [
    ("430300", "xts_principal", "湘潭市局长", Role.PRINCIPAL, None),
    ("430300", "xts_sysadmin", "湘潭市系管", Role.SYSTEM_ADMIN, "信息中心"),
    ("430300", "xts_secadmin", "湘潭市安管", Role.SECURITY_ADMIN, "信息中心"),
    ("430000", "hn_legal", "湖南省法务", Role.LEGAL_AFFAIRS_OFFICER, "法规处"),
    ("430000", "hn_sysadmin", "湖南省系管", Role.SYSTEM_ADMIN, "信息中心"),
    ("430000", "hn_secadmin", "湖南省安管", Role.SECURITY_ADMIN, "信息中心"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    org: str
    role: str


@contextmanager
def on_day(day: dt.date) -> Iterator[None]:
    """Run the services as if it were 10:00 on ``day`` (demo histories only).

    Every module's demo loader plays its matters through the services on the days
    they would have happened, so their dates, clocks and audit trail agree.
    """
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def org_tree_ensure() -> dict[str, OrgUnit]:
    """Create (or find) the demo organisation tree; return units by division code."""
    units: dict[str, OrgUnit] = {}
    for code, division, name, short, level, parent in ORG_TREE:
        units[code] = services.org_unit_ensure(
            division_code=code, division_name=division, name=name, level=level,
            parent=units.get(parent) if parent else None, short_name=short,
        )
    return units


@transaction.atomic
def demo_load(password: str) -> list[DemoLogin]:
    """Load the demo tree, one user per role in each county and the city's and
    province's users of ``LEVEL_PEOPLE``; return the logins."""
    units = org_tree_ensure()
    logins = []
    for code, (prefix, county) in COUNTY_PREFIX.items():
        for role, stem, name_stem, dept_name in ROLE_PEOPLE:
            username = f"{prefix}_{stem}"
            user = _person(units[code], username, f"{county}{name_stem}", dept_name,
                           role, password)
            logins.append(DemoLogin(username, user.full_name, units[code].name,
                                    Role(role).label))
    for code, username, full_name, role, dept_name in LEVEL_PEOPLE:
        user = _person(units[code], username, full_name, dept_name, role, password)
        logins.append(DemoLogin(username, user.full_name, units[code].name,
                                Role(role).label))
    return logins


def department_for(org, name: str) -> Department:
    """The demo bureau's department of that name, added by the setup routine
    (actor None, as the demo's accounts are) the first time it is needed."""
    found = Department.objects.filter(org_unit=org, name=name).first()
    return found or services.department_create(org_unit=org, name=name, actor=None)


def _person(org, username, full_name, dept_name, role, password) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        dept = department_for(org, dept_name) if dept_name else None
        user = services.user_create(
            username=username, full_name=full_name, org_unit=org, password=password,
            actor=None, department=dept,
        )
    if role not in user.roles:
        badge = f"湘{org.division_code}{user.pk:05d}" if role == Role.ENFORCEMENT_OFFICER else ""
        services.user_grant_role(user=user, role=role, actor=None, badge_number=badge)
    return user


def standins_load(*, prefix: str) -> int:
    """湘潭县's head of the disclosure office is on leave for a week from today; the
    principal named the county's legal-affairs officer to stand in (请假代理), who
    finds the head's extension requests on 我的待办 marked 代<name>. Once per
    county at most: only 湘潭县 has one."""
    from fazhi.core import standins
    from fazhi.core.models import StandIn

    if prefix != "xt":
        return 0
    head = User.objects.get(username=f"{prefix}_disclosurehead")
    if StandIn.objects.filter(absent=head).exists():
        return 0
    today = timezone.localdate()
    standins.standin_create(
        absent=head, standin=User.objects.get(username=f"{prefix}_legal"),
        starts_on=today, ends_on=today + dt.timedelta(days=6), reason="年休假",
        actor=User.objects.get(username=f"{prefix}_principal"))
    return 1
