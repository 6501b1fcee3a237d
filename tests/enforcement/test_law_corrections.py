"""The legal corrections of issue 16 (items 1-6), each date worked out by hand.

Holidays from the State Council arrangement the package ships: 2025 Dragon Boat
May 31-Jun 2 off; 2025 National Day Oct 1-8 off (make-up Sun Sep 28, Sat Oct 11);
2026 Spring Festival Feb 15-23 off (make-up Sat Feb 14, Sat Feb 28).
"""

from __future__ import annotations

import datetime as dt
from datetime import date as D
from decimal import Decimal

from fazhi.deadlines.calendar import WorkCalendar
from fazhi.deadlines.rules import load_rules
from fazhi.enforcement.cases import coercion, discretion
from fazhi.monitoring import judging
from tests.enforcement.conftest import DECIDED_ON, on

RULES = coercion.load_execution_rules()
ROLL = WorkCalendar.build().working_day_on_or_after
DEMOLITION = {"demolition_area_m2"}


# --- 1. a demolition order: 15 days to sue (土地管理法 Art. 83) ------------------------


def test_a_demolition_order_has_fifteen_days_to_sue_so_the_court_window_opens_early():
    # Served Tue 2025-09-16. Suit: 09-16 + 15 days = Wed 10-01, National Day, so the
    # party may sue until the first working day after Oct 1-8: Thu 2025-10-09.
    # Reconsideration: 09-16 + 60 days = Sat 11-15, a rest day: Mon 2025-11-17.
    # The challenge window ends with the later: 11-17; the court, three months on:
    # 2026-02-17 (the bureau's own period, not moved).
    w = coercion.windows(D(2025, 9, 16), RULES, ROLL, measures=DEMOLITION,
                         general=False)
    (part,) = w.parts
    assert part.label == "责令限期拆除"
    assert part.litigation_ends == D(2025, 10, 9)
    assert w.reconsideration_ends == D(2025, 11, 17)
    assert w.challenge_ends == part.challenge_ends == D(2025, 11, 17)
    assert w.court_last_day == part.court_last_day == D(2026, 2, 17)
    # Six months would have run to 2026-03-16 and the court to 2026-06-16: four
    # months late.
    six = coercion.windows(D(2025, 9, 16), RULES, ROLL)
    assert six.court_last_day == D(2026, 6, 16)


def test_a_demolition_beside_a_fine_gets_windows_of_its_own():
    # Served Tue 2025-09-16 with a fine and a demolition order. Demolition as above:
    # challenge to 2025-11-17, court by 2026-02-17. The fine: six months to Mon
    # 2026-03-16 (a working day), court by 2026-06-16. The court may first be asked
    # the day after 11-17; the last day of all is 06-16.
    w = coercion.windows(D(2025, 9, 16), RULES, ROLL, measures=DEMOLITION)
    demolition, rest = w.parts
    assert (demolition.label, demolition.court_last_day) == ("责令限期拆除", D(2026, 2, 17))
    assert (rest.label, rest.challenge_ends, rest.court_last_day) == (
        "其他处罚内容", D(2026, 3, 16), D(2026, 6, 16))
    assert w.challenge_ends == D(2025, 11, 17)
    assert w.court_last_day == D(2026, 6, 16)


def test_the_rule_file_cites_article_83_for_the_demolition_period():
    period = RULES.by_measure["demolition_area_m2"]
    assert period.days == 15
    assert "土地管理法" in period.citation and "第八十三条" in period.citation


def test_a_served_case_with_a_demolition_order_shows_both_windows(people, decided,
                                                                   client):
    from fazhi.enforcement.cases import services
    from fazhi.enforcement.models import Case

    case = decided(fine="1000", served=True)  # served Mon 2025-09-15
    Case.objects.filter(pk=case.pk).update(measures_decided={"demolition_area_m2": "120"})
    case.refresh_from_db()
    # Demolition: 09-15 + 15 = Tue 09-30 (working); 09-15 + 60 = Fri 11-14 (working);
    # challenge to 11-14, court by 2026-02-14. Fine: six months to Sun 2026-03-15,
    # moved to Mon 03-16; court by 2026-06-16.
    win = services.execution_windows(case)
    assert [(p.label, p.challenge_ends, p.court_last_day) for p in win.parts] == [
        ("责令限期拆除", D(2025, 11, 14), D(2026, 2, 14)),
        ("其他处罚内容", D(2026, 3, 16), D(2026, 6, 16)),
    ]
    with on(D(2025, 11, 15)):  # the demolition's window has closed
        assert services.case_facts(case).appeal_window_closed
    client.force_login(people.xt_officer)
    with on(D(2025, 11, 15)):
        html = client.get(case.get_absolute_url()).content.decode()
    assert "责令限期拆除：复议、诉讼期限至 2025-11-14，申请法院强制执行最迟 2026-02-14" in html


# --- 2. the party's ends moved off holidays before the later is taken -----------------


def test_the_sixty_days_and_six_months_are_moved_off_holidays():
    # Served Tue 2025-04-01. Reconsideration: 04-01 + 60 days = Sat 05-31, the first
    # day of the Dragon Boat holiday (May 31-Jun 2): moved to Tue 2025-06-03.
    # Suit: six months to Wed 10-01, National Day (Oct 1-8): moved to Thu 10-09.
    # The later is 10-09; the court, three months on, 2026-01-09. Unmoved, the court
    # application would open on 10-02 while the party could still sue.
    w = coercion.windows(D(2025, 4, 1), RULES, ROLL)
    assert w.reconsideration_ends == D(2025, 6, 3)
    assert w.litigation_ends == D(2025, 10, 9)
    assert w.challenge_ends == D(2025, 10, 9)
    assert w.court_last_day == D(2026, 1, 9)
    unmoved = coercion.windows(D(2025, 4, 1), RULES)
    assert unmoved.challenge_ends == D(2025, 10, 1)


def test_a_make_up_sunday_is_a_working_day_and_not_moved():
    # Served Fri 2025-03-28: six months to Sun 2025-09-28, a make-up working day
    # before National Day: the party's period ends that day; the court: 2025-12-28.
    w = coercion.windows(D(2025, 3, 28), RULES, ROLL)
    assert w.litigation_ends == D(2025, 9, 28)
    assert w.court_last_day == D(2025, 12, 28)


def test_supervision_counts_the_fine_court_deadline_with_the_holiday(people, decided):
    from fazhi.enforcement.models import Case
    from fazhi.enforcement.supervision.services import court_application_last_day

    case = decided(fine="1000", served=True)
    Case.objects.filter(pk=case.pk).update(decision_served_on=D(2025, 4, 1))
    case.refresh_from_db()
    # As above: the suit may be brought until Thu 2025-10-09; three months: 2026-01-09.
    assert court_application_last_day(case) == D(2026, 1, 9)


# --- 3. the surcharge is suspended only while the remedy runs (Art. 73(3)) ------------


def test_the_surcharge_runs_again_once_the_remedy_ended(people, decided):
    from fazhi.enforcement.cases import execution

    case = decided(fine="1000", served=True)  # served Mon 2025-09-15
    # Due: 09-15 + 15 days = Tue 09-30. Surcharge 3% of 1000 = 30 yuan a calendar
    # day from Wed 10-01 (the National Day holiday counts: a daily surcharge is not
    # a period). Reconsideration from 10-10 to 10-20: 11 days not counted.
    with on(D(2025, 11, 9)):
        execution.case_record_remedy(case=case, actor=people.xt_officer,
                                     started_on=D(2025, 10, 10),
                                     ended_on=D(2025, 10, 20))
        case.refresh_from_db()
        assert case.remedy_ended_on == D(2025, 10, 20) and not case.remedy_pending
        owed = execution.payment_surcharge(case, D(2025, 11, 9))
    # To Sun 11-09: 40 days overdue (10-01..11-09), less 11 = 29 days × 30 = 870.
    # Before, the suspension ran on to the day of asking (31 days): 9 days, 270.
    assert (owed.overdue_days, owed.suspended_days, owed.days) == (40, 11, 29)
    assert owed.amount_yuan == Decimal("870.00")


def test_a_pending_remedy_suspends_to_the_day_of_asking(people, decided):
    from fazhi.enforcement.cases import execution

    case = decided(fine="1000", served=True)
    with on(D(2025, 10, 15)):
        execution.case_record_remedy(case=case, actor=people.xt_officer,
                                     started_on=D(2025, 10, 10))
        case.refresh_from_db()
        owed = execution.payment_surcharge(case, D(2025, 10, 15))
    # Overdue 10-01..10-15 = 15 days; pending since 10-10: 10-10..10-15 = 6 days
    # not counted; 9 days × 30 = 270.
    assert (owed.overdue_days, owed.suspended_days, owed.amount_yuan) == (
        15, 6, Decimal("270.00"))


def test_the_migration_takes_an_ended_remedy_from_the_case_log(people, decided):
    import importlib

    from django.apps import apps

    from fazhi.enforcement.cases import execution
    from fazhi.enforcement.models import Case

    migration = importlib.import_module(
        "fazhi.enforcement.migrations.0006_case_remedy_end_and_violation_end")
    case = decided(fine="1000", served=True)
    with on(D(2025, 11, 9)):
        execution.case_record_remedy(case=case, actor=people.xt_officer,
                                     started_on=D(2025, 10, 10),
                                     ended_on=D(2025, 10, 20))
    Case.objects.filter(pk=case.pk).update(remedy_ended_on=None)  # as before 0006
    migration.remedy_ends(apps, None)
    case.refresh_from_db()
    assert case.remedy_ended_on == D(2025, 10, 20)


# --- 4. no pauses on the payment period (Art. 73(1)) ----------------------------------


def test_the_payment_period_is_not_paused_by_a_remedy():
    rule = load_rules()["penalty.fine_payment"]
    assert rule.pauses == ()
    assert "不因此暂停" in rule.note


# --- 5. mining: the 2009 law for acts that ended before 2025-07-01 ---------------------


BM = discretion.load_benchmark()


def _mining(violation="unlicensed_mining", ended=None, ore="200000", gains="120000"):
    return discretion.Facts(violation=violation, ore_value_yuan=Decimal(ore),
                            illegal_gains_yuan=Decimal(gains), act_ended_on=ended)


def test_unlicensed_mining_that_ended_before_july_2025_is_fined_under_the_2009_law():
    # Ended 2025-06-30, the day before the 2024 law took effect: the 2009 law applies
    # (行政处罚法 Art. 37) unless the new is lighter. Old: up to 50% of 120000 yuan
    # gains = 0-60000 yuan, fine optional (实施细则 Art. 42(1)). New: 3-5 × 200000 yuan
    # ore = 600000-1000000 yuan. The old is lighter: 0-60000.
    rec = discretion.recommend(_mining(ended=D(2025, 6, 30)), BM)
    assert rec.violation == "unlicensed_mining_2009"
    assert (rec.legal_min, rec.legal_max) == (Decimal(0), Decimal(60000))
    assert rec.fine_optional
    text = "\n".join(rec.steps)
    assert "第三十九条第一款" in text and "第四十二条第一项" in text
    assert "按当时的规定罚款0元至60,000元；按现行规定罚款600,000元至1,000,000元" in text


def test_cross_boundary_mining_before_july_2025_is_at_most_thirty_percent():
    # Gains 80000 yuan, ore value 0 (nothing taken out): old 0-24000 yuan (30%,
    # 实施细则 Art. 42(2)); new 100000-1000000 yuan (the fixed range). Old applies.
    rec = discretion.recommend(
        _mining("cross_boundary_mining", D(2025, 5, 20), ore="0", gains="80000"), BM)
    assert rec.violation == "cross_boundary_mining_2009"
    assert (rec.legal_min, rec.legal_max) == (Decimal(0), Decimal(24000))


def test_an_act_that_ended_on_or_after_july_2025_or_goes_on_is_under_the_2024_law():
    # Ended 2025-07-01, the day the 2024 law took effect: 3-5 × 200000 yuan.
    rec = discretion.recommend(_mining(ended=D(2025, 7, 1)), BM)
    assert rec.violation == "unlicensed_mining"
    assert (rec.legal_min, rec.legal_max) == (Decimal(600000), Decimal(1000000))
    going_on = discretion.recommend(_mining(), BM)
    assert going_on.violation == "unlicensed_mining"
    assert "未填违法行为终了日期" in going_on.steps[-1]


def test_the_old_versions_are_not_offered_as_violation_types():
    assert "unlicensed_mining_2009" not in BM.current()
    assert BM.violations["unlicensed_mining_2009"].acts_ended_before == D(2025, 7, 1)


def test_a_case_with_the_acts_end_date_gets_the_old_law(people, filed):
    from fazhi.enforcement.cases import documents, services

    case = filed(violation_type="unlicensed_mining", area_m2=None, land_class="",
                 ore_value_yuan=Decimal(200000), illegal_gains_yuan=Decimal(120000),
                 violation_ended_on=D(2025, 6, 30))
    rec = services.case_recommendation(case)
    assert rec.violation == "unlicensed_mining_2009"
    violation = documents._version(case, documents._violation(case.violation_type))
    violated, penalty = documents._basis(case, violation)
    assert "2009年修正" in violated and "第三十九条第一款" in penalty
    assert "第六十四条" not in penalty


# --- 6. citations: tips and facility farmland ------------------------------------------


def test_the_tip_reply_cites_articles_31_and_34_and_is_the_bureaus_own_period():
    rule = load_rules()["enforcement.tip_reply"]
    assert rule.law == "信访工作条例"
    assert "第三十一条第五项" in rule.article and "第三十四条" in rule.article
    assert "第三十二条" not in rule.article
    assert rule.standing.value == "preset"
    assert "本局答复举报的工作期限" in rule.note
    for words in (rule.name, rule.article, rule.note):
        assert "UNCONFIRMED" not in words and "fazhi" not in words


def test_facility_farmland_is_filed_under_the_ministrys_notice():
    basis = judging.verdict_kinds_load()["facility_agri"].basis
    assert "自然资规〔2019〕4号" in basis and "乡镇人民政府备案" in basis
    assert "实施条例第十一条第三款" in basis  # restoring land no longer used


def test_an_end_date_in_the_future_is_refused_by_the_case_form(people):
    from fazhi.enforcement.cases.forms import CaseForm

    with on(DECIDED_ON):
        form = CaseForm({"violation_ended_on": (DECIDED_ON + dt.timedelta(days=1))},
                        actor=people.xt_officer)
        assert not form.is_valid()
    assert "不能晚于今天" in str(form.errors["violation_ended_on"])
    assert "unlicensed_mining_2009" not in dict(form.fields["violation_type"].choices)
