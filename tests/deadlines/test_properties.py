"""Properties of the engine over many random starts, pauses and extensions."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.deadlines.calendar import WorkCalendar
from fazhi.deadlines.engine import (
    Pause,
    clock_status,
    clock_statuses,
    compute_due,
    compute_due_dates,
)
from fazhi.deadlines.rules import load_rules

CAL = WorkCalendar.build()
RULES = load_rules()

rules = st.sampled_from(sorted(RULES.values(), key=lambda r: r.id))
# Starts far enough from the end of the data that a long period stays inside it.
starts = st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 6, 30))


def extensions(rule):
    return st.integers(min_value=0, max_value=rule.extension_cap)


@st.composite
def pause_within(draw, rule, start):
    """A pause that begins inside the period as first counted."""
    due = compute_due(rule, start, CAL).due
    first = draw(st.integers(min_value=1, max_value=(due - start).days))
    length = draw(st.integers(min_value=0, max_value=20))
    begin = start + timedelta(days=first)
    return Pause(begin, begin + timedelta(days=length), "测试")


@settings(max_examples=300, deadline=None)
@given(rules, starts, st.data())
def test_a_due_date_is_always_a_working_day_strictly_after_the_start(rule, start, data):
    extension = data.draw(extensions(rule))
    pauses = data.draw(st.lists(pause_within(rule, start), max_size=3))
    result = compute_due(rule, start, CAL, pauses=pauses, extension=extension)
    assert CAL.is_working_day(result.due)
    assert result.due > start


@settings(max_examples=300, deadline=None)
@given(rules, starts, st.data())
def test_adding_a_pause_never_brings_the_due_date_earlier(rule, start, data):
    pause = data.draw(pause_within(rule, start))
    plain = compute_due(rule, start, CAL).due
    assert compute_due(rule, start, CAL, pauses=[pause]).due >= plain


@settings(max_examples=300, deadline=None)
@given(rules, starts, st.data())
def test_extending_never_brings_the_due_date_earlier(rule, start, data):
    shorter = data.draw(extensions(rule))
    longer = data.draw(st.integers(min_value=shorter, max_value=rule.extension_cap))
    first = compute_due(rule, start, CAL, extension=shorter).due
    assert compute_due(rule, start, CAL, extension=longer).due >= first


@settings(max_examples=200, deadline=None)
@given(rules, starts, st.data())
def test_the_order_of_pauses_does_not_matter(rule, start, data):
    pauses = data.draw(st.lists(pause_within(rule, start), min_size=2, max_size=4))
    forward = compute_due(rule, start, CAL, pauses=pauses).due
    assert compute_due(rule, start, CAL, pauses=pauses[::-1]).due == forward


@settings(max_examples=200, deadline=None)
@given(rules, st.lists(starts, min_size=1, max_size=20))
def test_batch_due_dates_equal_single_ones(rule, start_list):
    single = [compute_due(rule, s, CAL).due for s in start_list]
    assert compute_due_dates(rule, start_list, CAL) == single


@settings(max_examples=300, deadline=None)
@given(starts, st.integers(min_value=1, max_value=120))
def test_counting_working_days_undoes_finding_the_nth_one(start, n):
    nth = CAL.nth_working_day_after(start, n)
    assert CAL.working_days_between(start, nth) == n
    assert CAL.is_working_day(nth)


@settings(max_examples=200, deadline=None)
@given(starts, st.lists(starts, max_size=20), st.integers(min_value=0, max_value=15))
def test_batch_clock_statuses_equal_single_ones(today, dues, yellow):
    single = [
        clock_status(today=today, due=d, yellow_days=yellow, calendar=CAL) for d in dues
    ]
    assert (
        clock_statuses(today=today, dues=dues, yellow_days=yellow, calendar=CAL)
        == single
    )


@settings(max_examples=200, deadline=None)
@given(starts, starts, st.integers(min_value=0, max_value=15))
def test_yellow_means_at_most_the_threshold_of_working_days_left(today, due, yellow):
    status = clock_status(today=today, due=due, yellow_days=yellow, calendar=CAL)
    left = CAL.working_days_between(today, due)
    expected = "red" if today > due else "yellow" if left <= yellow else "green"
    assert status == expected
