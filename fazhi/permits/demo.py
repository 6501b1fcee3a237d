"""Demo applications: every permit kind in every state, in both counties.

Each application is played through the services on the days it would have
happened (``on_day(day)`` sets Django's clock to 10:00 on ``day`` while the services
run), so its dates, clocks and audit trail agree. Days are relative to today, so
the traffic lights stay meaningful whenever the demo loads. Loading again adds
nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fazhi.core.demo import on_day
from fazhi.core.models import User
from fazhi.permits import services
from fazhi.permits.models import Application, PermitKind

APPLICANTS = ["湘潭某置业有限公司", "刘建华", "某村村民委员会", "湘潭某建设投资公司", "周美玲",
              "某镇人民政府", "湖南某新材料有限公司", "谭志勇", "某农业合作社", "陈卫东"]
STATES = ["received", "completion", "accepted", "intake_refused", "approved",
          "refused", "certified", "withdrawn", "revoked"]


def load(*, prefix: str) -> int:
    """Create the demo applications of the county whose users start with ``prefix``,
    of that county's own permit kinds."""
    clerk = User.objects.get(username=f"{prefix}_clerk")
    services.kinds_sync(org_units=[clerk.org_unit])
    if Application.objects.filter(org_unit=clerk.org_unit).exists():
        return 0
    principal = User.objects.get(username=f"{prefix}_principal")
    supervisor = User.objects.get(username=f"{prefix}_supervisor")
    today = timezone.localdate()
    n = 0
    with transaction.atomic():
        kinds = PermitKind.objects.filter(org_unit=clerk.org_unit, is_active=True)
        for k, kind in enumerate(kinds.order_by("pk")):
            for s, state in enumerate(STATES):
                _play(state, kind, clerk, principal, supervisor, today, n, k + s)
                n += 1
    return n


def application_receive(clerk, kind, day: dt.date, n: int, *, project: str,
                        phone: str) -> Application:
    """Register the ``n``-th demo application of ``kind`` at the window on ``day``."""
    with on_day(day):
        return services.application_register(
            actor=clerk, kind=kind, applicant_name=APPLICANTS[n % len(APPLICANTS)],
            applicant_kind="organisation" if n % 3 else "person", project_name=project,
            location=f"{clerk.org_unit.division_name}某镇某村", received_on=day,
            clerk=clerk, applicant_phone=phone)


def application_accept_complete(app, clerk, day: dt.date) -> None:
    """Accept ``app`` on ``day`` with every one of its materials provided."""
    with on_day(day):
        services.application_accept(application=app, actor=clerk, accepted_on=day)
        for m in app.materials.all():
            services.material_provide(application=app, actor=clerk, code=m.code,
                                      provided_on=day)


def _play(state, kind, clerk, principal, supervisor, today, n, spread) -> None:
    d = dt.timedelta
    start = today - d(2 + spread % 9 if state in ("received", "accepted") else 60)
    app = application_receive(clerk, kind, start, n,
                              project=f"{kind.name}申请项目{n + 1}",
                              phone=f"1397321{n:04d}")
    if state == "received":
        return
    if state in ("completion", "intake_refused"):
        with on_day(start + d(1)):
            services.application_request_completion(
                application=app, actor=clerk, notified_on=start + d(1),
                items="1. 申请书缺少申请人签章；\n2. 位置图未标注四至。")
        if state == "intake_refused":
            with on_day(start + d(10)):
                services.application_refuse_intake(
                    application=app, actor=clerk, refused_on=start + d(10),
                    reasons="申请事项依法不属于本机关职权范围，请向县人民政府申请。")
        return
    application_accept_complete(app, clerk, start)
    if state == "accepted":
        return
    if state == "withdrawn":
        with on_day(start + d(3)):
            services.application_withdraw(application=app, actor=clerk,
                                          reason="申请人书面申请撤回",
                                          withdrawn_on=start + d(3))
        return
    decided = start + d(6)
    with on_day(decided):
        if state == "refused":
            services.application_refuse(
                application=app, actor=clerk, decided_on=decided,
                reasons="拟建项目位于生态保护红线内，不符合国土空间规划。")
            return
        services.application_approve(application=app, actor=clerk, decided_on=decided)
    if state == "approved":
        return
    with on_day(decided + d(1)):
        if kind.fee:
            services.fee_record(application=app, actor=clerk, amount=Decimal("200.00"),
                                receipt_number=f"湘财票{n:06d}", paid_on=decided + d(1))
        services.certificate_issue(application=app, actor=clerk,
                                   issued_on=decided + d(1))
        score = 2 if n % 11 == 0 else 5
        rating = services.rating_record(application=app, score=score,
                                        comment="办理及时" if score > 2 else "等候时间长",
                                        channel="window", actor=clerk)
    if rating.is_bad and n % 2 == 0:
        with on_day(decided + d(5)):
            services.complaint_answer(rating=rating, actor=supervisor,
                                      answer="已核实，增设一个综合窗口，并电话告知评价人。",
                                      answered_on=decided + d(5))
    if state == "revoked":
        with on_day(today - d(5)):
            services.permit_revoke(application=app, actor=principal,
                                   reason="据以作出许可的规划依法修改（行政许可法第八条第二款）",
                                   revoked_on=today - d(5))
