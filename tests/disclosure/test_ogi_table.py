"""Table 3 of the annual OGI report computed from request facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.disclosure.ogi_table import (
    CATEGORY_CODES,
    OgiIdentityError,
    OgiTableError,
    RequestFact,
    build_table,
    load_ogi_layout,
)

LAYOUT = load_ogi_layout()
ROWS = ("received", "carried_over", "results.total", "carried_next")


def fact(id, category, received, concluded=None, outcome=None):
    return RequestFact(id, category, received, concluded, outcome)


D = date
YEAR_2024 = [
    fact(1, "natural_person", D(2023, 11, 10), D(2024, 1, 15), "disclose"),
    fact(2, "business", D(2023, 12, 20)),
    fact(3, "natural_person", D(2023, 5, 1), D(2023, 6, 1), "disclose"),
    fact(4, "natural_person", D(2024, 2, 1), D(2024, 2, 20), "partial"),
    fact(5, "legal_service", D(2024, 3, 1), D(2024, 3, 25), "withheld.third_party"),
    fact(6, "natural_person", D(2024, 12, 20), D(2025, 1, 10), "disclose"),
    fact(7, "research", D(2024, 6, 1), D(2024, 6, 30), "other.no_correction"),
    fact(8, "natural_person", D(2025, 1, 5)),
    fact(9, "other_org", D(2024, 4, 1), D(2024, 4, 2), "disclose.proactive"),
    fact(10, "public_interest", D(2024, 7, 1), D(2024, 7, 15),
         "unavailable.not_responsible"),
    fact(11, "natural_person", D(2024, 8, 1), D(2024, 8, 5), "other.withdrawn"),
]  # fmt: skip


def table(facts=YEAR_2024, year=2024, layout=LAYOUT):
    return build_table(facts, year=year, layout=layout)


def ids(row, column="total", *, year=2024, facts=YEAR_2024):
    return table(facts, year).cell(row, column).ids


def test_synthetic_year_with_carried_over_requests_satisfies_the_identity():
    t = table()
    values = {row: t.cell(row, "total").value for row in ROWS}
    assert values == {
        "received": 7,
        "carried_over": 2,
        "results.total": 7,
        "carried_next": 2,
    }
    for column in LAYOUT.columns:
        v = {row: t.cell(row, column.code).value for row in ROWS}
        assert (
            v["received"] + v["carried_over"] == v["results.total"] + v["carried_next"]
        )


def test_each_cell_lists_exactly_the_requests_it_counts():
    t = table()
    assert t.cell("received", "total").ids == (4, 5, 6, 7, 9, 10, 11)
    assert t.cell("carried_over", "total").ids == (1, 2)
    assert t.cell("carried_over", "business").ids == (2,)
    assert t.cell("results.disclose", "total").ids == (1, 9)
    assert t.cell("results.disclose", "natural_person").ids == (1,)
    assert t.cell("results.disclose", "other_org").ids == (9,)
    assert t.cell("results.withheld.third_party", "legal_service").ids == (5,)
    assert t.cell("results.unavailable.not_held", "public_interest").ids == (10,)
    assert t.cell("results.other.no_correction", "research").ids == (7,)
    assert t.cell("results.other.other", "natural_person").ids == (11,)
    assert t.cell("carried_next", "total").ids == (2, 6)
    assert all(c.value == len(c.ids) for c in t.cells.values())


def test_column_total_is_the_sum_across_categories():
    t = table()
    for line in t.lines:
        if line.cells is None:
            continue
        *categories, total = line.cells
        assert total.value == sum(c.value for c in categories), line.row.code
        assert set(total.ids) == set().union(*(c.ids for c in categories))


def test_partial_disclosure_counts_only_in_the_partial_row():
    t = table()
    rows_with_4 = [
        line.row.code
        for line in t.lines
        if line.cells and line.row.kind == "result" and 4 in line.cells[-1].ids
    ]
    assert rows_with_4 == ["results.partial"]
    assert 4 in t.cell("results.total", "total").ids


def test_request_received_in_december_and_concluded_in_january_is_carried_over():
    assert 6 in ids("received") and 6 in ids("carried_next")
    assert 6 not in ids("results.total")
    assert ids("carried_over", year=2025) == (2, 6)
    assert 6 in ids("results.disclose", year=2025)
    assert 8 in ids("received", year=2025)


def test_requests_done_before_the_year_or_received_after_it_are_left_out():
    counted = set().union(*(table().cell(row, "total").ids for row in ROWS))
    assert 3 not in counted and 8 not in counted


def test_heading_rows_carry_no_numbers():
    t = table()
    headings = [line for line in t.lines if line.row.kind == "heading"]
    assert [line.row.label for line in headings] == [
        "三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理",
        "（六）其他处理",
    ]  # fmt: skip
    assert all(line.cells is None for line in headings)
    with pytest.raises(KeyError, match=r"results\.withheld"):
        t.cell("results.withheld", "total")


def test_blank_outcome_on_an_open_request_means_none():
    t = table([fact(1, "natural_person", D(2024, 5, 1), None, "")])
    assert t.cell("carried_next", "natural_person").ids == (1,)


def test_empty_year_gives_zero_everywhere():
    t = table([])
    assert all(c.value == 0 and c.ids == () for c in t.cells.values())


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (fact(1, "natural_person", D(2024, 5, 1), D(2024, 5, 9), None),
         "申请 1 已办结但没有记录办理结果"),
        (fact(1, "natural_person", D(2024, 5, 1), None, "disclose"),
         "申请 1 记录了办理结果但没有办结日期"),
        (fact(1, "government", D(2024, 5, 1)), "申请人类型 'government'"),
        (fact(1, "natural_person", D(2024, 5, 1), D(2024, 4, 1), "disclose"),
         "办结日期早于收到申请日期"),
        (fact(1, "natural_person", D(2024, 5, 1), D(2024, 5, 9), "ignored"),
         "办理结果 'ignored' 不是已知的答复类型"),
    ],
)  # fmt: skip
def test_facts_that_cannot_be_counted_are_refused_by_id(bad, words):
    with pytest.raises(OgiTableError, match=words):
        table([bad])


def test_duplicate_ids_are_refused():
    twice = fact(7, "natural_person", D(2024, 5, 1))
    with pytest.raises(OgiTableError, match="申请 7 重复出现"):
        table([twice, twice])


def test_identity_failure_raises_naming_the_requests():
    rows = tuple(
        replace(row, outcomes=("disclose.proactive",))
        if row.code == "results.disclose"
        else row
        for row in LAYOUT.rows
    )
    broken = replace(LAYOUT, rows=rows)
    # Request 1 was disclosed, but the broken layout's rows no longer count it.
    with pytest.raises(OgiIdentityError, match=r"（七）总计不等于.*\[1\]"):
        table([YEAR_2024[0]], layout=broken)


OUTCOMES = sorted(LAYOUT.outcome_rows)
START = D(2022, 1, 1)


@st.composite
def facts(draw):
    n = draw(st.integers(0, 30))
    found = []
    for i in range(n):
        received = START + timedelta(days=draw(st.integers(0, 4 * 365)))
        done = draw(st.booleans())
        concluded = received + timedelta(days=draw(st.integers(0, 200)))
        outcome = draw(st.sampled_from(OUTCOMES))
        category = draw(st.sampled_from(CATEGORY_CODES))
        found.append(
            fact(i, category, received, concluded if done else None,
                 outcome if done else None)
        )  # fmt: skip
    return found


@settings(max_examples=150, deadline=None)
@given(facts(), st.integers(2022, 2025))
def test_identity_holds_and_each_concluded_request_counts_in_one_row(found, year):
    t = table(found, year)
    results = [line for line in t.lines if line.row.kind == "result"]
    for f in found:
        rows = [line.row.code for line in results if f.id in line.cells[-1].ids]
        concluded_in_year = f.concluded_on is not None and f.concluded_on.year == year
        assert len(rows) == (1 if concluded_in_year else 0)
