"""The disclosure rule core must stay pure: importing it may not load Django."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
import fazhi.disclosure.ruledata, fazhi.disclosure.fees, fazhi.disclosure.ogi_table
rules = fazhi.disclosure.ruledata.load_disclosure_rules()
fazhi.disclosure.ogi_table.load_ogi_layout()
fazhi.disclosure.fees.fee_per_volume(31, rules.fees)
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
assert not loaded, loaded
assert "fazhi.settings" not in sys.modules
"""


def test_ruledata_fees_and_ogi_table_import_and_run_without_django():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
