"""The disclosure rule core must stay pure: importing it may not load Django."""

from tests.purity import assert_runs_without_django

SCRIPT = """
import fazhi.disclosure.ruledata, fazhi.disclosure.fees, fazhi.disclosure.ogi_table
rules = fazhi.disclosure.ruledata.load_disclosure_rules()
fazhi.disclosure.ogi_table.load_ogi_layout()
fazhi.disclosure.fees.fee_per_volume(31, rules.fees)
"""


def test_ruledata_fees_and_ogi_table_import_and_run_without_django():
    assert_runs_without_django(SCRIPT)
