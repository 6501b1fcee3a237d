"""Read queries for enforcement cases, scoped to the caller's subtree."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from fazhi.core.filters import narrow, search
from fazhi.core.roles import Role
from fazhi.core.scope import get_scoped_or_404, scoped
from fazhi.deadlines.overdue import overdue_ids
from fazhi.enforcement.cases import workflow
from fazhi.enforcement.models import Case, CaseState, CaseStep

READ_ROLES = (Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER, Role.PRINCIPAL,
              Role.SUPERVISOR, Role.LEGAL_AFFAIRS_OFFICER)
CASE_ROLES = (Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER, Role.PRINCIPAL)


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    stage: str = ""
    violation_type: str = ""
    officer: int | None = None
    overdue: bool = False
    q: str = ""


def case_list(*, actor, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Cases of the caller's subtree, newest first, narrowed by ``filters``."""
    f = filters or CaseFilters()
    qs = scoped(Case.objects.all(), actor).select_related("org_unit", "case_clock")
    qs = narrow(qs, state=f.state, violation_type=f.violation_type,
                officers=f.officer)
    if f.stage:
        stage = next((s for s in workflow.STAGES if s.code == f.stage), None)
        qs = qs.filter(state__in=[str(s) for s in stage.states]) if stage else qs
    if f.overdue:
        # Through the clocks' (state, due_date) index: few cases are overdue, and a
        # join walked in list order would visit every case to find them.
        qs = qs.filter(pk__in=overdue_ids(Case, timezone.localdate(),
                                           actor=actor))
    return search(qs, f.q, "number", "party_name", "location")


def case_list_closed(*, actor) -> QuerySet[Case]:
    """The caller's subtree's closed cases (other modules choose among them)."""
    return case_list(actor=actor).filter(state=CaseState.CLOSED)


def case_is_closed(case: Case) -> bool:
    return case.state == CaseState.CLOSED


def case_get(*, actor, pk) -> Case:
    """The case, or Http404 when it is outside the caller's subtree."""
    return get_scoped_or_404(
        Case.objects.select_related(
            "org_unit", "case_clock", "statement_clock", "hearing_clock",
            "payment_clock", "created_by", "lead",
        ),
        actor,
        pk=pk,
    )


def case_steps(case: Case) -> QuerySet[CaseStep]:
    return case.steps.select_related("actor", "approver")


# Facts of execution written to the case's log that are not moves of the state
# table (execution.py): they belong to the execution stage whatever the state.
EXECUTION_STEPS = {
    "payment": "登记罚款缴纳",
    "remedy": "登记复议、诉讼",
    "demand": "登记催告书送达",
    "complete_execution": "登记执行完毕",
}
_STATUS_LABELS = {"done": "已完成", "current": "进行中", "pending": "未开始",
                  "skipped": "未经此环节"}


def step_label(action: str) -> str:
    """The words the case's history uses for a logged step."""
    return workflow.ACTION_LABELS.get(action) or EXECUTION_STEPS.get(action, action)


@dataclass
class StageRow:
    """One stage on the case page: who did it, who approved, when, and status."""

    stage: workflow.Stage
    status: str  # done | current | pending | skipped (the case ended without it)
    responsible: list[str] = field(default_factory=list)
    approvers: list[str] = field(default_factory=list)
    started: object = None
    finished: object = None

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS[self.status]


def _stage_steps(stage: workflow.Stage, steps) -> list:
    if stage.code == "filing":  # filing ends with the principal's answer
        return [s for s in steps if s.action in ("approve_filing", "reject_filing")]
    if stage.code == "investigation":
        return [s for s in steps if s.action in ("approve_filing", "reinvestigate")]
    if stage.code == "execution":
        return [s for s in steps
                if s.action in EXECUTION_STEPS or s.state_after in stage.states]
    return [s for s in steps
            if s.state_after in stage.states and s.action not in EXECUTION_STEPS]


def case_stages(case: Case, steps) -> list[StageRow]:
    """The eight stages with their responsible persons, approvers and dates, drawn
    from the case's log; a case that ended reads ended, its unused stages skipped."""
    here = workflow.stage_of(case.state)
    ended = case.state in workflow.TERMINAL_STATES
    rows = []
    for stage in workflow.STAGES:
        mine = _stage_steps(stage, steps)
        if stage == here and not ended:
            status = "current"
        elif mine or stage == here:
            status = "done"
        else:
            status = "skipped" if ended else "pending"
        row = StageRow(stage, status)
        row.responsible = list(dict.fromkeys(
            s.actor.full_name or s.actor.username for s in mine))
        row.approvers = list(dict.fromkeys(
            s.approver.full_name or s.approver.username for s in mine if s.approver))
        if stage.code in ("filing", "investigation"):
            row.responsible = [o.full_name or o.username for o in case.officers.all()]
        if mine:
            row.started, row.finished = mine[0].at, mine[-1].at
        rows.append(row)
    return rows


def case_clocks(case: Case):
    from fazhi.deadlines.models import Clock

    return Clock.objects.filter(
        content_type__app_label="enforcement", content_type__model="case",
        object_id=str(case.pk),
    ).prefetch_related("pauses", "extensions").order_by("start_date", "pk")


def case_late_entries(case: Case):
    """Steps entered long after the date they record, with the reason given
    (services.facts.step_day): the file review looks at each."""
    return case.steps.filter(note__startswith="补登").select_related("actor")
