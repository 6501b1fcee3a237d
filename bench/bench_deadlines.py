"""Benchmark the deadline engine on one core: due dates and clock statuses per second.

Run: ``python bench/bench_deadlines.py [N]`` (N defaults to 1,000,000). Pure: no Django.
The workload mixes every shipped rule (working-day and calendar-day), random starts in
2025-01-01..2026-06-30 (so that every period ends inside the holiday data), and gives
one start in ten a pause inside its period.
"""

from __future__ import annotations

import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from fazhi.deadlines.calendar import WorkCalendar
from fazhi.deadlines.engine import (
    Pause,
    clock_status,
    clock_statuses,
    compute_due,
    compute_due_dates,
    compute_due_fast,
)
from fazhi.deadlines.rules import Rule, load_rules

FIRST, DAYS = date(2025, 1, 1), 546  # starts in 2025-01-01 .. 2026-06-30
PAUSED_SHARE = 0.1

Job = tuple[Rule, date, tuple[Pause, ...]]


def timed(label: str, count: int, work: Callable[[], object]) -> float:
    began = time.perf_counter()
    work()
    seconds = time.perf_counter() - began
    print(f"{label:<58} {seconds:8.3f} s  {count / seconds:>12,.0f} /s")
    return seconds


def make_jobs(
    rules: list[Rule], n: int, cal: WorkCalendar, rng: random.Random
) -> list[Job]:
    jobs = []
    for _ in range(n):
        rule = rng.choice(rules)
        start = FIRST + timedelta(days=rng.randrange(DAYS))
        pauses: tuple[Pause, ...] = ()
        if rng.random() < PAUSED_SHARE:
            reach = (compute_due_fast(rule, start, cal) - start).days
            begin = start + timedelta(days=rng.randint(1, reach))
            pauses = (Pause(begin, begin + timedelta(days=rng.randint(0, 9)), "bench"),)
        jobs.append((rule, start, pauses))
    return jobs


def split(jobs: list[Job]) -> tuple[dict[Rule, list[date]], list[Job]]:
    """Group the plain starts by rule (as a sweep's query would) from the paused jobs."""
    plain: dict[Rule, list[date]] = defaultdict(list)
    paused = []
    for job in jobs:
        if job[2]:
            paused.append(job)
        else:
            plain[job[0]].append(job[1])
    return plain, paused


def run_split(
    plain: dict[Rule, list[date]], paused: list[Job], cal: WorkCalendar
) -> list[date]:
    """Plain starts through the batch tables per rule, paused ones one by one."""
    out = [
        d
        for rule, starts in plain.items()
        for d in compute_due_dates(rule, starts, cal)
    ]
    out += [compute_due_fast(r, s, cal, pauses=p) for r, s, p in paused]
    return out


def bench_due_dates(n: int, cal: WorkCalendar, rules: dict[str, Rule]) -> list[date]:
    rng = random.Random(20250930)
    jobs = make_jobs(sorted(rules.values(), key=lambda r: r.id), n, cal, rng)
    units = sum(rule.unit == "working_day" for rule, _, _ in jobs)
    paused = sum(bool(p) for _, _, p in jobs)
    print(
        f"{n:,} jobs: {units:,} working-day, {n - units:,} calendar-day, "
        f"{paused:,} with a pause"
    )
    result: list[date] = []
    plain, paused_jobs = split(jobs)
    timed(
        f"build the batch tables once ({len(rules)} rules)",
        len(rules),
        lambda: [compute_due_dates(r, [FIRST], cal) for r in rules.values()],
    )
    timed(
        "due dates, mixed: batch per rule + paused one by one",
        n,
        lambda: result.extend(run_split(plain, paused_jobs, cal)),
    )
    timed(
        "due dates, mixed incl. grouping by rule",
        n,
        lambda: run_split(*split(jobs), cal),
    )
    timed(
        "due dates, compute_due_fast one by one",
        n,
        lambda: [compute_due_fast(r, s, cal, pauses=p) for r, s, p in jobs],
    )
    same_rule = [s for _, s, _ in jobs]
    reply = rules["disclosure.reply"]
    timed(
        "due dates, compute_due_dates, one rule, no pauses",
        n,
        lambda: compute_due_dates(reply, same_rule, cal),
    )
    k = min(n, 100_000)
    timed(
        f"due dates with explanation, compute_due ({k:,})",
        k,
        lambda: [compute_due(r, s, cal, pauses=p) for r, s, p in jobs[:k]],
    )
    return result


def bench_clocks(dues: list[date], cal: WorkCalendar) -> None:
    rng = random.Random(7)
    today = date(2025, 10, 15)
    yellow = [rng.choice((1, 2, 3, 5, 10)) for _ in dues]
    by_yellow: dict[int, list[date]] = defaultdict(list)
    for due, y in zip(dues, yellow, strict=True):
        by_yellow[y].append(due)
    n = len(dues)
    timed(
        "clocks, clock_statuses grouped by yellow_days",
        n,
        lambda: [
            clock_statuses(today=today, dues=d, yellow_days=y, calendar=cal)
            for y, d in by_yellow.items()
        ],
    )
    timed(
        "clocks, clock_status one by one",
        n,
        lambda: [
            clock_status(today=today, due=d, yellow_days=y, calendar=cal)
            for d, y in zip(dues, yellow, strict=True)
        ],
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(f"Python {sys.version.split()[0]}, one core")
    cal_box: list[WorkCalendar] = []
    timed(
        "build the calendar (package years)",
        1,
        lambda: cal_box.append(WorkCalendar.build()),
    )
    rules_box: list[dict[str, Rule]] = []
    timed("load the rule files", 1, lambda: rules_box.append(load_rules()))
    cal, rules = cal_box[0], rules_box[0]
    dues = bench_due_dates(n, cal, rules)
    bench_clocks(dues, cal)


if __name__ == "__main__":
    main()
