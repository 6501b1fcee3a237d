"""``fazhi deadline RULE START``: the explanation, the date on the last line, exit 2.

In-process runs go through ``call_command``; the exit status and the one-line
message on stderr are checked through the installed ``fazhi`` console script.
"""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fazhi.deadlines.calendar import package_years

MISSING = package_years()[-1] + 1
FAZHI = Path(sys.executable).with_name("fazhi")
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().rstrip("\n").splitlines()


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    assert "\n" not in str(caught.value)
    return caught.value


def cli(*args: str) -> subprocess.CompletedProcess:
    if not FAZHI.exists():
        pytest.skip("the fazhi console script is not installed next to this Python")
    # The child reads the same settings module as this run, so it needs the repo root
    # on its path; its database is not migrated, so it sees the package years only.
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [str(FAZHI), "deadline", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**os.environ, "PYTHONPATH": path},
    )


@pytest.mark.django_db
def test_the_last_line_is_the_due_date_alone():
    lines = run("disclosure.reply", "2025-09-30")
    assert lines[-1] == "2025-11-04"
    assert any("第三十三条" in line for line in lines)


@pytest.mark.django_db
def test_pauses_and_extension_are_explained():
    lines = run(
        "disclosure.reply",
        "2025-09-30",
        "--pause",
        "2025-10-13:2025-10-17",
        "--extend",
        "5",
    )
    # Nov 4, + 5 extension (Nov 11), + 5 paused working days (Nov 18).
    assert lines[-1] == "2025-11-18"
    assert any("暂停" in line for line in lines)
    assert any("延长5个工作日" in line for line in lines)


@pytest.mark.django_db
def test_an_unknown_rule_lists_close_matches():
    error = refused("disclosure.repyl", "2025-09-30")
    assert "disclosure.reply" in str(error)


@pytest.mark.django_db
def test_a_malformed_date_is_refused():
    assert "YYYY-MM-DD" in str(refused("disclosure.reply", "2025-13-01"))
    refused("disclosure.reply", "20250930")


@pytest.mark.django_db
def test_a_malformed_pause_is_refused():
    assert "FROM:TO" in str(refused("disclosure.reply", "2025-09-30", "--pause", "x"))


@pytest.mark.django_db
def test_a_pause_outside_the_period_is_refused():
    refused("disclosure.reply", "2025-09-30", "--pause", "2025-12-01:2025-12-02")


@pytest.mark.django_db
def test_an_extension_beyond_the_cap_is_refused():
    assert "20个工作日" in str(
        refused("disclosure.reply", "2025-09-30", "--extend", "21")
    )


@pytest.mark.django_db
def test_a_period_reaching_a_year_without_holiday_data_is_refused():
    error = refused("penalty.case", f"{MISSING - 1}-12-01")
    assert f"{MISSING}年" in str(error)


@pytest.mark.django_db
def test_provisional_gives_a_labelled_estimate():
    lines = run("penalty.case", f"{MISSING - 1}-12-01", "--provisional")
    assert lines[-1].startswith(f"{MISSING}-")
    assert any("估算" in line for line in lines[:-1])


def test_the_console_script_prints_the_date_last():
    result = cli("reconsideration.decision", "2025-08-04")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "2025-10-09"


@pytest.mark.parametrize(
    "args",
    [
        ("no.such.rule", "2025-09-30"),
        ("disclosure.reply", "2025/09/30"),
        ("disclosure.reply", "2025-09-30", "--pause", "2025-12-01:2025-12-02"),
        ("penalty.case", f"{MISSING - 1}-12-01"),
    ],
)
def test_the_console_script_exits_2_with_one_line_and_no_traceback(args):
    result = cli(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_the_console_script_estimates_with_provisional():
    result = cli("penalty.case", f"{MISSING - 1}-12-01", "--provisional")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith(f"{MISSING}-")
    assert "估算" in result.stdout
