"""Demo applications: every permit kind in every state, in both counties.

Decisions go through the kind's sign-off chain (承办 → 审核 → 批准): each county
has applications waiting for its section head (待审核) and its principal (待批准),
and one per kind that the principal sent back to the clerk with the reason. Its
first bad rating waits on the supervisors (差评核实答复), later ones were answered.

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
from fazhi.permits import workflow as wf
from fazhi.permits.models import Application, PermitKind, Rating
from fazhi.permits.services import signing

APPLICANTS = ["湘潭某置业有限公司", "刘建华", "某村村民委员会", "湘潭某建设投资公司", "周美玲",
              "某镇人民政府", "湖南某新材料有限公司", "谭志勇", "某农业合作社", "陈卫东"]
STATES = ["received", "completion", "accepted", "reviewing", "signing",
          "intake_refused", "approved", "refused", "certified", "withdrawn",
          "revoked"]
# Played too, ending in a state above: a round the principal sent back (accepted).
RETURNED = "returned"
RETURN_REASON = "建设规模超出规划条件，请核实后重新提出承办意见。"


def plays(kind: PermitKind) -> list[str]:
    """The histories played for ``kind``: every state its chain can reach (待批准
    only where the chain has a 批准 step), and a returned round."""
    two_steps = len(signing.decision_chain_of(kind).steps) < 3
    return [s for s in STATES if not (two_steps and s == "signing")] + [RETURNED]


def load(*, prefix: str) -> int:
    """Create the demo applications of the county whose users start with ``prefix``,
    of that county's own permit kinds."""
    clerk = User.objects.get(username=f"{prefix}_clerk")
    services.kinds_sync(org_units=[clerk.org_unit])
    if Application.objects.filter(org_unit=clerk.org_unit).exists():
        return 0
    staff = staff_of(prefix)
    today = timezone.localdate()
    n = 0
    with transaction.atomic():
        kinds = PermitKind.objects.filter(org_unit=clerk.org_unit, is_active=True)
        for k, kind in enumerate(kinds.order_by("pk")):
            for s, state in enumerate(plays(kind)):
                _play(state, kind, staff, today, n, k + s)
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


def staff_of(prefix: str) -> dict[str, User]:
    """The county's demo clerk, section head, principal and supervisor."""
    return {role: User.objects.get(username=f"{prefix}_{role}")
            for role in ("clerk", "sectionhead", "principal", "supervisor")}


def sign_off(app, staff, day, state="", decision="approve", reasons=""):
    """Propose on ``day`` and sign through the kind's chain; stop while 待审核 or
    待批准 when ``state`` says so; for a returned round the chain's last signer
    disagrees. The reports' demo year uses it too."""
    last = len(signing.decision_chain(app).steps) - 1
    with on_day(day):
        app = signing.application_propose(application=app, actor=staff["clerk"],
                                          decision=decision, reasons=reasons)
        for step, signer in enumerate(("sectionhead", "principal"), 1):
            if app.state == state or app.state not in (wf.REVIEWING, wf.SIGNING):
                break
            back = state == RETURNED and step == last
            app = signing.application_sign(
                application=app, actor=staff[signer], agree=not back,
                reasons=RETURN_REASON if back else "经审核，符合法定条件")
    return app


def _play(state, kind, staff, today, n, spread) -> None:
    clerk, principal = staff["clerk"], staff["principal"]
    supervisor = staff["supervisor"]
    d = dt.timedelta
    recent = state in ("received", "accepted", "reviewing", "signing", RETURNED)
    start = today - d(2 + spread % 9 if recent else 60)
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
    if state in ("reviewing", "signing", RETURNED):
        sign_off(app, staff, min(start + d(1), today), state)
        return
    if state == "withdrawn":
        with on_day(start + d(3)):
            services.application_withdraw(application=app, actor=clerk,
                                          reason="申请人书面申请撤回",
                                          withdrawn_on=start + d(3))
        return
    decided = start + d(6)
    refused = state == "refused"
    app = sign_off(app, staff, decided, state, "refuse" if refused else "approve",
                   "拟建项目位于生态保护红线内，不符合国土空间规划。" if refused else "")
    with on_day(decided):
        if refused:
            services.application_refuse(application=app, actor=clerk,
                                        decided_on=decided)
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
    # The window explains each bad rating (情况说明); the county's first still waits
    # on its supervisors' verification, the rest were verified and answered.
    if rating.is_bad:
        with on_day(decided + d(1)):
            services.complaint_explain(
                rating=rating, actor=clerk,
                explanation="当日窗口人手不足，申请人等候约四十分钟；已调整午间轮班。")
    if rating.is_bad and Rating.objects.filter(
            application__org_unit=app.org_unit, complaint_clock__isnull=False,
            pk__lt=rating.pk).exists():
        with on_day(decided + d(5)):
            services.complaint_answer(rating=rating, actor=supervisor,
                                      answer="已核实，增设一个综合窗口，并电话告知评价人。",
                                      answered_on=decided + d(5))
    if state == "revoked":
        with on_day(today - d(5)):
            services.permit_revoke(application=app, actor=principal,
                                   reason="据以作出许可的规划依法修改（行政许可法第八条第二款）",
                                   revoked_on=today - d(5))
