"""Demo reconsiderations and lawsuits: two years in both counties, every corrected
or lost matter reviewed, and a year-on-year figure for the correction rate."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from fazhi.core.audit import verify
from fazhi.core.models import User
from fazhi.disputes import demo, review
from fazhi.disputes.models import CaseReview, Lawsuit, Measure, Reconsideration
from fazhi.enforcement.models import Case

pytestmark = pytest.mark.demo

LOADER = "fazhi.disputes.demo.load"
COUNTIES = (("430321", "xt"), ("430381", "xx"))


def _load() -> None:
    call_command("demo_load")
    if LOADER not in settings.DEMO_LOADERS:
        for _, prefix in COUNTIES:
            demo.load(prefix=prefix)


def _reviewed(matter) -> CaseReview | None:
    ct = ContentType.objects.get_for_model(matter)
    return CaseReview.objects.filter(content_type=ct, object_id=str(matter.pk)).first()


# Early January (this year's matters squeezed into a few days, New Year's Day off),
# just after National Day, and late in the year.
@pytest.mark.parametrize("today", ["2026-01-05", "2026-10-09", "2026-12-01"])
def test_the_demo_has_two_reviewed_years_in_both_counties(db, today):
    with time_machine.travel(f"{today} 10:00 +0800", tick=False):
        _load()
        assert [demo.load(prefix=p) for _, p in COUNTIES] == [0, 0]
        year = dt.date.fromisoformat(today).year
        for code, prefix in COUNTIES:
            recons = Reconsideration.objects.filter(org_unit__division_code=code)
            suits = Lawsuit.objects.filter(org_unit__division_code=code)
            for y in (year - 1, year):
                assert recons.filter(concluded_on__year=y).count() >= 6
                assert suits.filter(concluded_on__year=y).count() >= 4
            assert recons.filter(outcome="").count() == 1
            assert not recons.filter(concluded_on__gt=dt.date.fromisoformat(today))
            window = suits.get(instance="first", appeal_clock__state="running",
                               concluded_on__year=year, result="lost")
            assert window.appeal_clock.due_date > dt.date.fromisoformat(today)
            assert suits.filter(instance="second", previous__isnull=False).exists()
            assert any(h.principal_appeared for s in suits for h in s.hearings.all())
            assert any(h.absence_reason for s in suits for h in s.hearings.all())

            corrected = [r for r in recons if r.corrected]
            lost = [s for s in suits if s.lost]
            assert len(corrected) >= 3 and len(lost) >= 3
            for matter in corrected + lost:
                done = _reviewed(matter)
                assert done is not None, matter
                assert 1 <= done.measures.count() <= 2
            measures = Measure.objects.filter(review__org_unit__division_code=code)
            assert measures.filter(done_on__isnull=False).exists()
            assert measures.filter(done_on__isnull=True).exists()

            cases = set(Case.objects.filter(org_unit__division_code=code)
                        .values_list("pk", flat=True))
            linked = [m for m in [*recons, *suits] if m.object_id]
            assert linked and all(int(m.object_id) in cases for m in linked)

            principal = User.objects.get(username=f"{prefix}_principal")
            for y, source in ((year, "fazhi"), (year - 1, f"{year - 2}年")):
                row = next(r for r in review.rates_year_on_year(actor=principal,
                                                                year=y)
                           if r.now.rate.id == "correction_rate")
                assert isinstance(row.now.value, Fraction), y
                assert isinstance(row.before, Fraction), y
                assert source in row.before_source
                assert row.now.value != row.before and row.change not in ("—",
                                                                          "持平")
    assert verify().ok
