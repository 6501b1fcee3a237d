"""The penalty core must stay pure: importing and running it may not load Django."""

from tests.purity import assert_runs_without_django

SCRIPT = """
from datetime import date
from decimal import Decimal
from fazhi.enforcement.cases import discretion
from fazhi.enforcement.cases import coercion
from fazhi.enforcement.cases import recording
from fazhi.enforcement.cases import surcharge
benchmark = discretion.load_benchmark()
facts = discretion.Facts("illegal_occupation", area_m2=Decimal(100), land_class="other")
discretion.recommend(facts, benchmark)
surcharge.late_surcharge(
    fine_yuan=Decimal(1000), due=date(2026, 1, 5), paid_on=None, as_of=date(2026, 2, 1)
)
coercion.windows(date(2026, 1, 5), coercion.load_execution_rules())
recording.gaps(recording.load_acts(), done_actions={"approve_filing"}, records=[])
"""


def test_the_penalty_core_imports_and_runs_without_django():
    assert_runs_without_django(SCRIPT)
