"""The redaction core must stay pure: importing and running it may not load Django."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from fazhi.enforcement.redact import Party, load_policy, redact_text
policy = load_policy()
result = redact_text("当事人：张三", parties=[Party("张三", "person")], policy=policy)
assert result.text == "当事人：张某", result.text
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
assert not loaded, loaded
assert "fazhi.settings" not in sys.modules
"""


def test_redact_imports_and_runs_without_django():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
