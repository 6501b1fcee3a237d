"""The deadline core must stay pure: importing it may not load Django or settings."""

from tests.purity import assert_runs_without_django

SCRIPT = """
import fazhi.deadlines.calendar, fazhi.deadlines.rules, fazhi.deadlines.engine
import fazhi.deadlines.duty
"""


def test_calendar_rules_engine_and_duty_import_without_django():
    assert_runs_without_django(SCRIPT)
