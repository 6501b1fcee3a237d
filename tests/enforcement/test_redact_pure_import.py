"""The redaction core must stay pure: importing and running it may not load Django."""

from tests.purity import assert_runs_without_django

SCRIPT = """
from fazhi.enforcement.publicity.redact import Party, load_policy, redact_text
policy = load_policy()
result = redact_text("当事人：张三", parties=[Party("张三", "person")], policy=policy)
assert result.text == "当事人：张某", result.text
"""


def test_redact_imports_and_runs_without_django():
    assert_runs_without_django(SCRIPT)
