"""Exports never turn a name or an id into a live formula (CSV/Excel injection)."""

from __future__ import annotations

import csv

from fazhi.core import sheets
from tests.purity import assert_runs_without_django
from tests.sheets import HOSTILE, formulas, texts


def test_formula_like_text_is_written_as_text_in_a_workbook():
    content = sheets.xlsx_bytes("表", ["名称", "数"], [[h, -3] for h in HOSTILE])
    assert formulas(content) == []
    values = texts(content)
    assert set(HOSTILE) <= values  # shown exactly as typed, nothing added
    assert -3 in values  # a number stays a number


def test_a_csv_cell_that_could_be_a_formula_gets_an_apostrophe(tmp_path):
    path = tmp_path / "out.csv"
    sheets.csv_write(path, ["名称", "面积"], [[h, "-12.50"] for h in HOSTILE])
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    assert [r[0] for r in rows] == ["'" + h for h in HOSTILE]
    assert {r[1] for r in rows} == {"-12.50"}


def test_plain_numbers_and_ordinary_text_are_left_alone():
    for value in ["-12.5", "+3", "1e5", "-0.25", "湘潭县", "A-1", "", None, -4]:
        assert sheets.csv_cell(value) == value
    for value in ["-", "--1", "-1-1", "=1", "＝1+1", "@a"]:
        assert sheets.csv_cell(value) == "'" + value


def test_the_sheet_writer_imports_without_django():
    assert_runs_without_django(
        "from fazhi.core import sheets\n"
        "assert sheets.csv_cell('=1') == \"'=1\"")


def test_columns_named_as_numbers_are_written_unchecked_and_the_rest_still_checked(
        tmp_path):
    path = tmp_path / "out.csv"
    sheets.csv_write(path, ["名称", "面积", "编号"],
                     [[h, "-12.50", h] for h in HOSTILE], numbers=(1,))
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    assert [r[1] for r in rows] == ["-12.50"] * len(HOSTILE)
    for (name, _, code), hostile in zip(rows, HOSTILE, strict=True):
        assert name == code == ("'" + hostile if sheets.formula_like(hostile)
                                else hostile)
