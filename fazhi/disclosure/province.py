"""Province-scale data for benches: one province's cities and counties, staff in
every county, and a year of disclosure requests with their reply clocks and audit
trail, written with bulk inserts (``fazhi province_data``).

The records are what the services would have left, without going through them one
at a time (a million matters through the services takes days): each request has
its reply clock (due date computed by the deadline engine on the holiday table,
coloured as of today) and the audit events its registration, clock and reply
write, chained with the same keyed digest as ``audit.record`` under the chain's
head lock, so ``fazhi audit verify`` passes. No signals are sent and no
notification is made.

Each county is one transaction: a county either has all its staff and matters or
none, and a county that has them is skipped, so a killed run is resumed by running
it again with the same figures.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from fazhi.core import audit, services
from fazhi.core.models import AuditEvent, AuditHead, OrgUnit, User, UserRole
from fazhi.core.roles import Role

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
    (Role.ENFORCEMENT_OFFICER, "officer", "执法", 2),
    (Role.PRINCIPAL, "principal", "局长", 1),
    (Role.SUPERVISOR, "supervisor", "督察", 1),
    (Role.LEGAL_AFFAIRS_OFFICER, "legal", "法务", 1),
]
STILL_OPEN = 0.02  # share of requests left unanswered whatever their age
BATCH = 5000


def county_username(code: str, stem: str, j: int) -> str:
    """The login of the ``j``-th generated ``stem`` of county ``code``."""
    return f"p{code}_{stem}{j}"


def number(code: str, i: int) -> str:
    return f"省演{code}-{i:07d}"


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
    counties_made: list[County] = field(default_factory=list)


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


class Chain:
    """Audit events appended in bulk under the chain's head lock (taken in the
    caller's transaction), each digested exactly as ``audit.record`` does."""

    def __init__(self) -> None:
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        self.seq, self.hash = head.seq, head.hash
        self.anchored = audit.anchor_path().exists()
        self.algorithm = settings.AUDIT_HASH
        self.pending: list[AuditEvent] = []

    def add(self, *, at: dt.datetime, actor: User | None, org: OrgUnit, obj,
            action: str, summary: str, after: dict | None = None) -> None:
        self.seq += 1
        event = AuditEvent(
            seq=self.seq, at=at, actor_id=actor.pk if actor else None,
            actor_name=str(actor) if actor else audit.SYSTEM_ACTOR,
            org_unit_id=org.pk, org_code=org.division_code,
            object_type=obj._meta.label, object_id=str(obj.pk),
            object_repr=str(obj)[:200], action=action,
            payload=audit.canonical_json({"summary": summary, "before": None,
                                          "after": after}),
            evidence="", prev_hash=self.hash, algorithm=self.algorithm,
            scheme=audit.SCHEME, anchored=self.anchored)
        event.hash = audit.event_digest(event)
        self.hash = event.hash
        self.pending.append(event)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        # The manager refuses bulk_create so that services append one event at a
        # time through audit.record; these events are chained here the same way.
        insert(AuditEvent, self.pending)
        self.pending = []

    def close(self) -> None:
        self.flush()
        AuditHead.objects.filter(pk=1).update(seq=self.seq, hash=self.hash)
        seq, hash_ = self.seq, self.hash
        transaction.on_commit(lambda: audit.anchor_write(seq, hash_))


def county_done(code: str) -> bool:
    """Whether the county was made (its staff and matters come in one transaction)."""
    return User.objects.filter(username=county_username(code, STAFF[0][1], 1)).exists()


def county_fill(county: County, n: int, *, year: int, password_hash: str,
                seed: int) -> int:
    """The county's bureau, staff and ``n`` requests, in one transaction."""
    from fazhi.deadlines.models import Clock, ClockState, ClockStatus
    from fazhi.deadlines.services import due_date
    from fazhi.disclosure.law import outcome_choices
    from fazhi.disclosure.models import DisclosureRequest

    outcome = outcome_choices()[0][0]  # the first reply type of the rule data
    rng = random.Random(f"{seed}-{county.code}")
    now = timezone.now()
    today = timezone.localdate()
    first = dt.date(year, 1, 1)
    last = min(dt.date(year, 12, 31), today)
    days = (last - first).days + 1

    def at(day: dt.date, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(9, minute)))

    with transaction.atomic():
        org = services.org_unit_ensure(
            division_code=county.code, division_name=county.name,
            name=f"{county.name}自然资源局", level="county", parent=county.city,
            short_name=county.name[-4:])
        chain = Chain()
        staff: dict[str, list[User]] = {}
        users = []
        for role, stem, name, count in STAFF:
            for j in range(1, count + 1):
                users.append((role, User(
                    username=county_username(county.code, stem, j),
                    full_name=f"{county.name}{name}{j}", org_unit=org,
                    password=password_hash,
                    badge_number=(f"湘{county.code}{j:05d}"
                                  if role == Role.ENFORCEMENT_OFFICER else ""))))
        User.objects.bulk_create([u for _, u in users])
        UserRole.objects.bulk_create([UserRole(user=u, role=r) for r, u in users])
        for role, user in users:
            staff.setdefault(role, []).append(user)
            chain.add(at=now, actor=None, org=org, obj=user, action="user.create",
                      summary=f"新建用户 {user.username}（{user.full_name}）",
                      after={"username": user.username, "org_unit": org.pk})
            chain.add(at=now, actor=None, org=org, obj=user, action="user.grant_role",
                      summary=f"授予角色 {Role(role).label}", after={"role": role})
        officers = staff[Role.DISCLOSURE_OFFICER]
        ct = ContentType.objects.get_for_model(DisclosureRequest)
        due_of = _DUE
        for start in range(0, n, BATCH):
            reqs = []
            for i in range(start, min(n, start + BATCH)):
                received = first + dt.timedelta(days=rng.randrange(days))
                officer = officers[i % len(officers)]
                reqs.append(DisclosureRequest(
                    org_unit=org, number=number(county.code, i), channel="online",
                    submitted_on=received, confirmed_on=received, received_on=received,
                    requester_category="natural_person",
                    requester_name=f"申请人{county.code[2:]}{i}",
                    content=f"申请公开{county.name}{received.month}月第{i}号批复文件",
                    assignee=officer, created_by=officer))
            for r in reqs:
                if r.received_on not in due_of:
                    due_of[r.received_on] = due_date("disclosure.reply", r.received_on)
                due = due_of[r.received_on].due
                # Answered within a month of receipt, but for a few left open
                # past their due date: the open ones are mostly the last month's.
                if rng.random() >= STILL_OPEN:
                    replied = r.received_on + dt.timedelta(days=rng.randrange(1, 32))
                    if replied <= today:
                        r.state, r.outcome, r.replied_on = "replied", outcome, replied
                        r.closed_on = replied
                        r.replied_late = replied > due
                        r.days_late = (_days_late(due, replied)
                                       if r.replied_late else 0)
                        r.reply_summary = "经检索，予以公开"
            # The requests' ids are taken first, so that each clock names its
            # request and each request its clock without a second pass.
            for r, pk in zip(reqs, reserve_ids(DisclosureRequest, len(reqs)),
                             strict=True):
                r.pk = pk
            clocks = []
            yellow_days = _reply_yellow_days()
            for r, pk in zip(reqs, reserve_ids(Clock, len(reqs)), strict=True):
                result = due_of[r.received_on]
                clock = Clock(
                    pk=pk, content_type=ct, object_id=str(r.pk), org_unit=org,
                    assignee=r.assignee, rule_id="disclosure.reply",
                    title=f"依申请公开答复 {r.number}", start_date=r.received_on,
                    due_date=result.due, provisional=result.provisional,
                    yellow_days=yellow_days, explanation="\n".join(result.steps))
                if r.state == "replied":
                    clock.state, clock.stopped_on = ClockState.STOPPED, r.replied_on
                    clock.status = (ClockStatus.DONE_LATE if r.replied_late
                                    else ClockStatus.DONE)
                else:
                    clock.status = _running_status(result.due, today)
                clocks.append(clock)
                r.reply_clock = clock
            insert(Clock, clocks)
            insert(DisclosureRequest, reqs)
            for r, clock in zip(reqs, clocks, strict=True):
                chain.add(at=at(r.received_on), actor=r.assignee, org=org, obj=r,
                          action="disclosure.register",
                          summary=f"登记依申请公开 {r.number}，收到日期 {r.received_on}",
                          after={"channel": r.channel, "received_on": r.received_on,
                                 "assignee": r.assignee_id})
                chain.add(at=at(r.received_on, 1), actor=r.assignee, org=org, obj=r,
                          action="clock.start",
                          summary=f"政府信息公开申请答复期限起算：{r.received_on}，"
                                  f"届满 {clock.due_date}",
                          after={"clock": clock.pk, "rule": clock.rule_id,
                                 "start": r.received_on, "due": clock.due_date,
                                 "provisional": clock.provisional})
                if r.state == "replied":
                    chain.add(at=at(r.replied_on), actor=r.assignee, org=org, obj=r,
                              action="disclosure.reply",
                              summary=f"答复（{outcome}），答复日期 {r.replied_on}",
                              after={"state": "replied", "outcome": outcome,
                                     "replied_on": r.replied_on})
        chain.close()
    return n


_status_cache: dict[tuple[dt.date, dt.date], str] = {}
_DUE: dict[dt.date, object] = {}  # reply period's DueResult by date of receipt
_LATE: dict[tuple[dt.date, dt.date], int] = {}


def _days_late(due: dt.date, replied: dt.date) -> int:
    if (due, replied) not in _LATE:
        from fazhi.deadlines.services import working_days_between

        _LATE[due, replied] = working_days_between(due, replied)
    return _LATE[due, replied]


def reserve_ids(model, n: int) -> list[int]:
    """``n`` primary keys for rows of ``model`` about to be inserted with them:
    from the table's sequence on PostgreSQL; after the highest id elsewhere (SQLite,
    where the caller's transaction already holds the write lock)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [table, n])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + n))


def insert(model, objs: list) -> None:
    """Insert ``objs`` (their ids set) without signals: COPY on PostgreSQL, bulk
    INSERTs elsewhere. Fields are prepared as ``save`` would (``auto_now_add``)."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        models.QuerySet(model).bulk_create(objs, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and objs[0].pk is None)]  # else the sequence's
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # Plain values go as they are (the driver adapts str, int, bool, date, aware
    # datetime); any other field, or one set on save, is prepared as save would.
    plain = (models.CharField, models.TextField, models.IntegerField,
             models.BooleanField, models.DateField, models.ForeignKey)
    db = connections[DEFAULT_DB_ALIAS]
    getters = []
    for f in fields:
        if isinstance(f, plain) and not getattr(f, "auto_now", False) and not \
                getattr(f, "auto_now_add", False):
            getters.append(attrgetter(f.attname))
        else:
            getters.append(lambda obj, f=f: f.get_db_prep_save(f.pre_save(obj, True),
                                                               db))
    with db.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row([get(obj) for get in getters])


def _reply_yellow_days() -> int:
    """The reply clock turns yellow as its rule file says (the bureau may change it)."""
    from fazhi.deadlines.registry import rules_registry

    return rules_registry()["disclosure.reply"].yellow_days


def _running_status(due: dt.date, today: dt.date) -> str:
    """A running clock's colour today, as the sweep would set it."""
    key = (due, today)
    if key not in _status_cache:
        from fazhi.deadlines.calendars import calendar_from_db
        from fazhi.deadlines.engine import clock_status

        _status_cache[key] = clock_status(
            today=today, due=due, yellow_days=_reply_yellow_days(),
            calendar=calendar_from_db(provisional=True))
    return _status_cache[key]


def province_load(plan: Plan, progress: Callable[[str], None] = print) -> dict:
    """Build (or finish building) the province of ``plan``; return what was done."""
    import time

    from fazhi.deadlines.calendars import calendar_memo

    cities = tree_ensure(plan.cities)
    counties = counties_plan(cities, plan.counties)
    per, extra = divmod(plan.matters, plan.counties)
    password_hash = make_password(plan.password)
    made = skipped = 0
    started = time.perf_counter()
    with calendar_memo():  # the holiday table read once, not once per date
        for k, county in enumerate(counties):
            n = per + (1 if k < extra else 0)
            if county_done(county.code):
                skipped += 1
                continue
            county_fill(county, n, year=plan.year, password_hash=password_hash,
                        seed=plan.seed)
            made += n
            elapsed = time.perf_counter() - started
            progress(f"[{k + 1}/{len(counties)}] {county.name}（{county.code}）"
                     f"{n} 件；累计 {made} 件，{elapsed:.0f} 秒，"
                     f"{made / max(elapsed, 1e-9):.0f} 件/秒")
    if made and connection.vendor == "postgresql":
        # The planner's statistics, as autovacuum would refresh them after a while:
        # without them it plans a county's page as if the tables were empty.
        with connection.cursor() as cursor:
            for model in (AuditEvent, User, UserRole, OrgUnit):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
            cursor.execute("ANALYZE deadlines_clock")
            cursor.execute("ANALYZE disclosure_disclosurerequest")
    return {"counties": len(counties), "skipped": skipped, "matters": made,
            "seconds": time.perf_counter() - started}
