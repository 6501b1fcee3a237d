"""Build a province: its cities and counties, staff in every county and a year of
every module's matters, written in bulk (``fazhi province_data``).

The records are what the services would have left, without going through them one
at a time (a million matters through the services takes days): each matter is in
a state of its kind's state table with the steps behind it, each clock is counted
by the deadline engine on the holiday table and coloured as of today, and the
audit events of its registration, steps and clocks are chained by
``audit.append_many``, so ``fazhi audit verify`` passes. No signals are sent and no
notification is made.

Each county is one transaction: a county either has all its staff and matters or
none, and a county that has them is skipped, so a killed run is resumed by running
it again with the same figures.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from fazhi.core import audit, matter_kinds, matters, services
from fazhi.core.bulk import insert, with_ids
from fazhi.core.models import OrgUnit, User, UserRole
from fazhi.core.roles import Role
from fazhi.deadlines.calendars import calendar_memo
from fazhi.province import cases, disclosure, disputes, patches, permits
from fazhi.province.clocks import Clocks
from fazhi.province.context import Fill

PROVINCE = ("430000", "湖南省", "湖南省自然资源厅", "湘自然资")
# The 14 prefecture-level divisions of Hunan (GB/T 2260).
CITIES = [
    ("430100", "长沙市"), ("430200", "株洲市"), ("430300", "湘潭市"),
    ("430400", "衡阳市"), ("430500", "邵阳市"), ("430600", "岳阳市"),
    ("430700", "常德市"), ("430800", "张家界市"), ("430900", "益阳市"),
    ("431000", "郴州市"), ("431100", "永州市"), ("431200", "怀化市"),
    ("431300", "娄底市"), ("433100", "湘西土家族苗族自治州"),
]
# Generated counties take the codes 51, 52, … under their city: clear of the real
# counties' codes the demo uses (430321 湘潭县, 430381 湘乡市).
FIRST_COUNTY = 51
# Staff of every county: role, username stem, name stem, how many.
STAFF = [
    (Role.DISCLOSURE_OFFICER, "disclosure", "公开", 5),
    (Role.DISCLOSURE_HEAD, "disclosurehead", "公开主任", 1),
    (Role.ENFORCEMENT_OFFICER, "officer", "执法", 8),
    (Role.WINDOW_CLERK, "clerk", "窗口", 6),
    (Role.SECTION_HEAD, "sectionhead", "科长", 1),
    (Role.LEGAL_REVIEWER, "reviewer", "法制审核", 1),
    (Role.PRINCIPAL, "principal", "局长", 1),
    (Role.SUPERVISOR, "supervisor", "督察", 1),
    (Role.LEGAL_AFFAIRS_OFFICER, "legal", "法务", 1),
]
# Of a year's matters in a county: permit applications are the most, disputes the
# fewest (the open ones' mix is bench_todo's SHARES).
SHARES = {"permits": 0.35, "cases": 0.25, "patches": 0.23, "disclosure": 0.15,
          "disputes": 0.02}
BUILDERS = {"permits": permits.fill, "cases": cases.fill, "patches": patches.fill,
            "disclosure": disclosure.fill, "disputes": disputes.fill}


def county_username(code: str, stem: str, j: int) -> str:
    """The login of the ``j``-th generated ``stem`` of county ``code``."""
    return f"p{code}_{stem}{j}"


@dataclass
class County:
    code: str
    name: str
    city: OrgUnit


@dataclass
class Plan:
    cities: int = 14
    counties: int = 122
    matters: int = 1_000_000
    year: int = 2026
    password: str = "fazhi-province-2026"
    seed: int = 2026


def counties_plan(cities: list[OrgUnit], n: int) -> list[County]:
    """``n`` counties dealt in turn to ``cities``."""
    made = []
    for i in range(n):
        city = cities[i % len(cities)]
        k = FIRST_COUNTY + i // len(cities)
        made.append(County(f"{city.division_code[:4]}{k:02d}",
                           f"{city.division_name}第{k - FIRST_COUNTY + 1}县", city))
    return made


def tree_ensure(n_cities: int) -> list[OrgUnit]:
    """The province and its first ``n_cities`` cities (found or created, through the
    service, so each creation is audited)."""
    code, division, name, short = PROVINCE
    province = services.org_unit_ensure(division_code=code, division_name=division,
                                        name=name, level="province", short_name=short)
    return [services.org_unit_ensure(
        division_code=c, division_name=d, name=f"{d}自然资源和规划局", level="city",
        parent=province) for c, d in CITIES[:n_cities]]


def county_done(code: str) -> bool:
    """Whether the county was made (its staff and matters come in one transaction)."""
    return User.objects.filter(username=county_username(code, STAFF[0][1], 1)).exists()


def shares(n: int) -> dict[str, int]:
    """``n`` matters dealt to the kinds in ``SHARES`` (the rest to permits)."""
    count = {k: int(n * s) for k, s in SHARES.items()}
    count["permits"] += n - sum(count.values())
    return count


def staff_make(org: OrgUnit, county: County, password_hash: str,
               events: list[dict]) -> dict[str, list[User]]:
    """The county's staff with their roles, by role; their events in ``events``."""
    now = timezone.now()
    users = [(role, User(username=county_username(county.code, stem, j),
                         full_name=f"{county.name}{name}{j}", org_unit=org,
                         password=password_hash,
                         badge_number=(f"湘{county.code}{stem[:1]}{j:04d}"
                                       if role == Role.ENFORCEMENT_OFFICER else "")))
             for role, stem, name, count in STAFF for j in range(1, count + 1)]
    with_ids(User, [u for _, u in users])
    insert(User, [u for _, u in users])
    insert(UserRole, [UserRole(user=u, role=r) for r, u in users])
    staff: dict[str, list[User]] = {}
    for role, user in users:
        staff.setdefault(str(role), []).append(user)
        events.append(dict(actor=None, obj=user, org_unit=org, action="user.create",
                           summary=f"新建用户 {user.username}（{user.full_name}）",
                           after={"username": user.username, "org_unit": org.pk},
                           at=now))
        events.append(dict(actor=None, obj=user, org_unit=org,
                           action="user.grant_role",
                           summary=f"授予角色 {Role(role).label}",
                           after={"role": str(role)}, at=now))
    return staff


def county_fill(county: County, n: int, *, year: int, password_hash: str,
                seed: int, clocks: Clocks) -> dict[str, int]:
    """The county's bureau, staff and ``n`` matters of every kind, in one
    transaction; return how many of each kind."""
    today = timezone.localdate()
    count = shares(n)
    with transaction.atomic():
        org = services.org_unit_ensure(
            division_code=county.code, division_name=county.name,
            name=f"{county.name}自然资源局", level="county", parent=county.city,
            short_name=county.name[-4:])
        events: list[dict] = []
        staff = staff_make(org, county, password_hash, events)
        f = Fill(org=org, code=county.code, staff=staff,
                 rng=random.Random(f"{seed}-{county.code}"),
                 first=min(dt.date(year, 1, 1), today), today=today, clocks=clocks,
                 events=events)
        for kind, build in BUILDERS.items():
            if count[kind]:
                build(f, count[kind])
        for kind in matter_kinds.kinds():  # the bulk rows went around the services
            if kind.table is not None:
                model = kind.model()
                matters.changed(model, model._default_manager.filter(org_unit=org)
                                .values_list("pk", flat=True))
        audit.append_many(events)
    return count


def fill_for(org: OrgUnit, *, first: dt.date, seed: int,
             staff: dict[str, list] | None = None) -> Fill:
    """A ``Fill`` of ``org`` for matters from ``first`` to today (the benches fill
    bureaus of the demo this way, giving the builders their own people)."""
    today = timezone.localdate()
    return Fill(org=org, code=org.division_code, staff=staff or {},
                rng=random.Random(seed), first=min(first, today), today=today,
                clocks=Clocks(today))


def province_load(plan: Plan, progress: Callable[[str], None] = print) -> dict:
    """Build (or finish building) the province of ``plan``; return what was done."""
    cities = tree_ensure(plan.cities)
    counties = counties_plan(cities, plan.counties)
    per, extra = divmod(plan.matters, plan.counties)
    password_hash = make_password(plan.password)
    made = skipped = 0
    started = time.perf_counter()
    with calendar_memo():  # the holiday table read once, not once per date
        clocks = Clocks(timezone.localdate())
        for k, county in enumerate(counties):
            n = per + (1 if k < extra else 0)
            if county_done(county.code):
                skipped += 1
                continue
            county_fill(county, n, year=plan.year, password_hash=password_hash,
                        seed=plan.seed, clocks=clocks)
            made += n
            elapsed = time.perf_counter() - started
            progress(f"[{k + 1}/{len(counties)}] {county.name}（{county.code}）"
                     f"{n} 件；累计 {made} 件，{elapsed:.0f} 秒，"
                     f"{made / max(elapsed, 1e-9):.0f} 件/秒")
    if made and connection.vendor == "postgresql":
        # The planner's statistics, as autovacuum would refresh them after a while:
        # without them it plans a county's page as if the tables were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"counties": len(counties), "skipped": skipped, "matters": made,
            "seconds": time.perf_counter() - started}



