"""``fazhi deadline`` with a date in year 1 or 9999: one Chinese line, exit 2."""

from __future__ import annotations

import pytest

from tests.deadlines.test_deadline_command import cli, refused


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_an_absurd_start_date_is_refused_with_a_reason(start):
    error = refused("disclosure.reply", start)
    assert "起算日" in str(error) and "请核对年份" in str(error)


@pytest.mark.django_db
def test_an_absurd_pause_is_refused_with_a_reason():
    error = refused("disclosure.reply", "2025-09-30",
                    "--pause", "2025-10-13:9999-01-01")
    assert "暂停期间的日期" in str(error)


def test_the_command_prints_no_traceback_for_year_9999():
    done = cli("disclosure.reply", "9999-12-31")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "请核对年份" in done.stderr
