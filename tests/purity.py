"""Run code in a clean interpreter and fail if it loaded Django or the settings.

The pure core (calendar, rules, engines, state tables, rule-data readers) must be
usable and benchmarkable without Django (house style, point 2).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECK = """
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
assert not loaded, loaded
assert "fazhi.settings" not in sys.modules
"""


def assert_runs_without_django(code: str) -> None:
    """Run ``code`` in a fresh interpreter; it must succeed and load no Django."""
    result = subprocess.run(
        [sys.executable, "-c", f"import sys\n{code}\n{CHECK}"],
        cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
