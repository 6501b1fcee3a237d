"""The penalty core must stay pure: importing and running it may not load Django."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from datetime import date
from decimal import Decimal
from fazhi.enforcement import coercion, discretion, recording, surcharge
benchmark = discretion.load_benchmark()
facts = discretion.Facts("illegal_occupation", area_m2=Decimal(100), land_class="other")
discretion.recommend(facts, benchmark)
surcharge.late_surcharge(
    fine_yuan=Decimal(1000), due=date(2026, 1, 5), paid_on=None, as_of=date(2026, 2, 1)
)
coercion.windows(date(2026, 1, 5), coercion.load_execution_rules())
recording.gaps(recording.load_acts(), done_actions={"approve_filing"}, records=[])
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
assert not loaded, loaded
assert "fazhi.settings" not in sys.modules
"""


def test_the_penalty_core_imports_and_runs_without_django():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
