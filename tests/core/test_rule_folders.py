"""The bureau's rule folders as the pages read them: one cache, no restart to edit."""

from __future__ import annotations

import os
from pathlib import Path

from fazhi.enforcement import rulesets
from fazhi.enforcement.cases import documents
from fazhi.enforcement.publicity import services as publicity
from fazhi.monitoring import field


def later(path: Path) -> None:
    """Move ``path``'s time on, so no clock tick can hide the edit just made."""
    stamp = path.stat().st_mtime_ns + 10**9
    os.utime(path, ns=(stamp, stamp))


def test_a_bureau_edits_its_rule_file_and_the_next_call_reads_it(settings, tmp_path):
    monitoring = tmp_path / "rules" / "monitoring"
    monitoring.mkdir(parents=True)
    settings.RULES_DIRS = [tmp_path / "rules"]
    assert field.field_rules().far_m == 200  # shipped

    (monitoring / "field.toml").write_text("far_m = 500\n", encoding="utf-8")
    later(monitoring)
    assert field.field_rules().far_m == 500  # a file added, no restart

    (monitoring / "field.toml").write_text("far_m = 800\n", encoding="utf-8")
    later(monitoring / "field.toml")
    assert field.field_rules().far_m == 800  # the file edited
    assert field.field_rules().fix_max_age_s == 120  # the shipped key stays


def test_every_enforcement_page_reads_the_one_benchmark(settings, tmp_path):
    settings.RULES_DIRS = []
    one = rulesets.benchmark()
    assert publicity._benchmark() is one
    code = "illegal_occupation"
    assert documents._violation(code) is one.violations[code]
