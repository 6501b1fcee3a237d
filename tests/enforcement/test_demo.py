"""Demo cases: every stage in both counties, one held at legal review."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from fazhi.core.audit import verify
from fazhi.core.models import User
from fazhi.enforcement.cases import services, workflow
from fazhi.enforcement.models import Case, CaseState

pytestmark = pytest.mark.demo


# Days on which the demo's fixed offsets fall across a long holiday: on 2026-12-01
# a notice served on 09-23 has its statement window run to 10-08 over National Day.
@pytest.mark.parametrize("today", ["2026-12-01", "2026-10-12", "2027-02-25"])
def test_the_demo_has_every_stage_and_a_major_case_held_at_legal_review(db, today):
    with time_machine.travel(f"{today} 12:00 +0800", tick=False):
        call_command("demo_load")
    for code, prefix in (("430321", "xt"), ("430381", "xx")):
        cases = Case.objects.filter(org_unit__division_code=code)
        stages = {workflow.stage_of(s).code for s in cases.values_list("state",
                                                                       flat=True)}
        assert stages == {s.code for s in workflow.STAGES}
        held = cases.get(state=CaseState.LEGAL_REVIEW)
        assert held.is_major
        with pytest.raises(workflow.ReviewRequired):
            workflow.require_major_review(services.case_facts(held))
        principal = User.objects.get(username=f"{prefix}_principal")
        with pytest.raises(ValidationError):
            services.case_decide(case=held, actor=principal,
                                 fine_decided=held.fine_proposed)
        assert Case.objects.get(pk=held.pk).state == CaseState.LEGAL_REVIEW
    assert verify().ok
