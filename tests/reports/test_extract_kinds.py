"""Baseline extraction, kind by kind, on the ways real published reports defeat a
reader written for clean texts (issue 18, part 1): where the year and organisation
are, metadata blocks, headings run into paragraphs, study counts, permit lists,
dispute counts and opening summaries. Each kind also has its "never guess" cases.
Pure: no database, no Django."""

from __future__ import annotations

import pytest

from fazhi.reports.extract import extract

BODY_HEAD = "县人民政府：\n"


def report(body: str, head: str = "湘潭县自然资源局2024年度法治政府建设工作报告\n",
           tail: str = "湘潭县自然资源局\n2025年1月15日\n") -> str:
    return f"{head}{BODY_HEAD}{body}\n{tail}"


def figures(text: str) -> dict:
    return extract(text).figures


# --- where the year and the organisation are ------------------------------------------


def test_a_metadata_block_gives_organisation_number_signing_date_and_year():
    text = ("索引号：430321/2025-00031\n发布机构：湘潭县自然资源局\n"
            "成文日期：2025-02-03\n文号：潭县自然资发〔2025〕11号\n"
            "标题：湘潭县自然资源局关于2024年度法治政府建设情况的报告\n"
            "发布日期：2025-02-10\n"
            "2024年，我局紧紧围绕县委、县政府中心工作，全年核发乡村建设规划许可证12件。\n")
    assert figures(text) == {
        "organisation": "湘潭县自然资源局", "year": 2024,
        "document_number": "潭县自然资发〔2025〕11号", "signed_on": "2025-02-03",
        "permits": {"乡村建设规划许可证": 12}}


def test_a_metadata_table_row_with_tabs_and_a_label_alone_on_its_line():
    text = ("索引号\t43000/2024-7\t主题分类\t综合政务\n发布机构\t浏阳市林业局\t"
            "成文日期\t２０２４年０２月０１日\n文号：\n浏林发〔2024〕2号\n"
            "名称：\n浏阳市林业局2023年法治政府建设年度报告\n"
            "市委依法治市办：\n现将我局2023年度法治政府建设情况报告如下。\n")
    assert figures(text) == {
        "organisation": "浏阳市林业局", "year": 2023,
        "document_number": "浏林发〔2024〕2号", "signed_on": "2024-02-01"}


def test_a_label_line_ending_in_a_colon_is_not_the_addressee():
    text = ("主题分类：\n法治政府建设\n发文机关：\n醴陵市自然资源局\n"
            "醴陵市自然资源局2022年度法治政府建设工作报告\n醴陵市人民政府：\n"
            "全年组织干部职工集中学法9次。\n")
    result = figures(text)
    assert (result["organisation"], result["year"]) == ("醴陵市自然资源局", 2022)
    assert result["study_sessions"] == 9


def test_a_title_line_carries_its_document_number_in_parentheses():
    head = "望城区人民政府关于2021年度法治政府建设情况的报告（望政发〔2022〕5号）\n"
    result = figures(report("全年区政府常务会议会前学法8次。", head=head,
                            tail="望城区人民政府\n2022年2月9日\n"))
    assert result["document_number"] == "望政发〔2022〕5号"
    assert (result["organisation"], result["year"]) == ("望城区人民政府", 2021)


@pytest.mark.parametrize("opening", [
    "现将我局2023年度法治政府建设工作情况报告如下：",
    "现将本局2023年法治政府建设情况报告如下。",
    "现将我县住建局2023年度依法行政工作情况报告如下：",
    "2023年，我局坚持依法行政，各项工作取得新成效。",
])
def test_the_year_is_read_after_words_between_xianjiang_and_it_or_opening_the_body(
        opening):
    assert figures(f"某某：\n{opening}\n全年集中学法4次。\n")["year"] == 2023


@pytest.mark.parametrize(("title", "org"), [
    ("长沙市天心区2024年法治政府建设年度报告", "长沙市天心区"),
    ("攸县2024年度法治政府建设情况报告", "攸县"),
    ("株洲市渌口区城市管理和综合执法局2024年度法治政府建设情况报告",
     "株洲市渌口区城市管理和综合执法局"),
])
def test_an_organisation_need_not_end_in_ju_or_zhengfu(title, org):
    assert figures(f"{title}\n全年集中学法4次。\n")["organisation"] == org


def test_a_short_and_a_full_name_of_one_body_give_the_full_name():
    text = report("全年集中学法4次。", head="发布机构：湘潭市岳塘区自然资源局\n"
                  "岳塘区自然资源局2024年度法治政府建设工作报告\n",
                  tail="岳塘区自然资源局\n2025年1月8日\n")
    assert figures(text)["organisation"] == "湘潭市岳塘区自然资源局"


def test_two_different_bodies_or_a_metadata_date_against_the_signature_are_left_out():
    text = report("全年集中学法4次。", head="发布机构：湘乡市自然资源局\n成文日期：2025-01-20\n"
                  "湘潭县自然资源局2024年度法治政府建设工作报告\n")
    result = extract(text)
    assert "organisation" not in result.figures and "signed_on" not in result.figures
    assert "湘乡市自然资源局" in result.omitted["organisation"]


def test_the_portals_publication_date_is_not_the_signing_date():
    text = ("发布日期：2025-03-01\n标题：韶山市自然资源局2024年度法治政府建设报告\n"
            "2024年，我局全年集中学法6次。\n")
    assert "signed_on" not in figures(text)


# --- headings run into paragraphs -----------------------------------------------------


def test_a_bare_heading_is_not_glued_to_the_paragraph_after_it():
    body = ("（一）力争实现审批服务零超期和群众满意度提升目标\n"
            "全年核发建设工程规划许可证16件，办件超期0件。\n"
            "（二）坚持以习近平法治思想为指导推动领导干部带头学法\n"
            "全年组织集中学法7次。")
    result = extract(report(body))
    assert result.figures["permits"] == {"建设工程规划许可证": 16}
    assert result.figures["permits_overdue"] == 0
    assert result.figures["study_sessions"] == 7
    assert result.sources["study_sessions"] == "全年组织集中学法7次。"


def test_a_sentence_broken_by_a_page_is_still_joined():
    body = "全年县政务服务中心自然资源窗口核发乡村建设规划许可证\n— 3 —\n第 3 页 共 6 页\n88件。"
    assert figures(report(body))["permits"] == {"乡村建设规划许可证": 88}


def test_an_aim_stated_in_the_paragraph_itself_still_sets_its_figures_aside():
    result = extract(report("力争全年集中学法12次，确保审批办件零超期。"))
    assert "study_sessions" not in result.figures
    assert "permits_overdue" not in result.figures
    reasons = {n.key: n.reason for n in result.not_taken}
    assert reasons["study_sessions"] == "表述为目标或计划，不是当年实际数"


# --- study counts ---------------------------------------------------------------------


@pytest.mark.parametrize(("body", "expected"), [
    ("全年开展法治专题学习6次。", 6),
    ("结合主题教育，共计学习法律法规11次。", 11),
    ("党组理论学习中心组学习9场次。", 9),
    ("局务会会前学法10次。", 10),
])
def test_a_study_count_may_be_written_with_xuexi_or_in_changci(body, expected):
    assert figures(report(body))["study_sessions"] == expected


def test_two_groups_in_one_paragraph_are_two_figures_not_a_conflict():
    result = figures(report("局党组理论学习中心组开展专题学习4次，"
                            "组织全局干部职工集中学法9次，参学420人次。"))
    assert result["study_by_group"] == {"领导班子": 4, "干部职工": 9}
    assert "study_sessions" not in result


def test_a_total_over_groups_is_the_study_count_and_the_groups_stay_beside_it():
    result = figures(report("局党组中心组学法5次，局务会会前学法8次，共计学习13次。"))
    assert result["study_sessions"] == 13
    assert result["study_by_group"] == {"领导班子": 5, "会前学法": 8}


@pytest.mark.parametrize("body", [
    "组织执法人员参加法律知识考试2次。",
    "参学人员达460人次。",
    "开展“学习强国”答题3次。",
    "全年组织普法宣传活动15场次。",
])
def test_exams_attendance_and_outreach_are_not_study_sessions(body):
    assert "study_sessions" not in figures(report(body))


def test_all_staffs_count_beside_a_different_count_of_all_sessions_is_a_conflict():
    result = extract(report("全年组织干部职工集中学法10次。全年开展集中学法13次。"))
    assert "study_sessions" not in result.figures
    assert result.omitted["study_sessions"] == "出现不同数值：10、13"


# --- permit lists ---------------------------------------------------------------------


def test_a_run_of_kinds_and_counts_after_one_verb_across_semicolons():
    body = ("全年出具建设项目用地预审与选址意见书7份；核发建设用地规划许可证5件，"
            "建设工程规划许可证12件；乡村建设规划许可证301本。")
    assert figures(report(body))["permits"] == {
        "建设项目用地预审与选址意见书": 7, "建设用地规划许可证": 5,
        "建设工程规划许可证": 12, "乡村建设规划许可证": 301}


@pytest.mark.parametrize(("body", "kinds"), [
    ("发放食品经营许可证845张、药品经营许可证26张。",
     {"食品经营许可证": 845, "药品经营许可证": 26}),
    ("办理使用林地审核同意书14件。", {"使用林地审核同意书": 14}),
    ("核发采矿许可证3件，延续办理取水许可证2件。", {"采矿许可证": 3, "取水许可证": 2}),
])
def test_other_departments_permit_kinds_and_units_are_read(body, kinds):
    assert figures(report(body))["permits"] == kinds


def test_applications_received_are_not_permits_issued_even_in_a_run():
    body = "受理乡村建设规划许可证申请140件；核发建设工程规划许可证9件。"
    assert figures(report(body))["permits"] == {"建设工程规划许可证": 9}


@pytest.mark.parametrize(("body", "yuan"), [
    ("收取城市基础设施配套费近30万元。", 300000),
    ("代收城市基础设施配套费约128.5万元。", 1285000),
    ("征收配套费300余万元。", 3000000),
])
def test_a_loosely_stated_fee_is_a_figure_it_is_approximate_by_name(body, yuan):
    assert figures(report(body))["fees_yuan_approx"] == yuan


@pytest.mark.parametrize("body", [
    "收取城市基础设施配套费200至300万元。",
    "收取城市基础设施配套费不少于200万元。",
])
def test_a_fee_given_as_a_range_or_a_bound_is_still_left_out(body):
    assert "fees_yuan_approx" not in figures(report(body))


# --- dispute counts -------------------------------------------------------------------


def test_counts_in_zong_and_the_number_before_the_noun():
    result = figures(report("全年收到行政复议申请3宗，3宗行政复议案件均已结案；"
                            "行政诉讼案件6宗，2宗行政诉讼案件已审结。"))
    assert result["reconsideration"] == {"received": 3, "concluded": 3}
    assert result["litigation"] == {"received": 6, "concluded": 2}


@pytest.mark.parametrize(("body", "concluded"), [
    ("全年行政复议案件5宗，维持3宗，撤销1宗，未有结果1宗。", 4),
    ("全年受理行政复议案件4件，其中驳回2件、确认违法1件、终止1件。", 4),
    ("全年行政复议案件2件，均维持。", 2),
    ("全年发生行政复议案件1件，结果为维持。", 1),
    ("全年发生行政复议案件3起，均已办结。", 3),
])
def test_concluded_is_implied_by_outcomes_that_account_for_every_case(body, concluded):
    assert figures(report(body))["reconsideration"]["concluded"] == concluded


def test_outcomes_that_do_not_add_up_give_no_concluded_count_and_say_why():
    result = extract(report("全年行政复议案件6宗，维持3宗，撤销1宗。"))
    assert result.figures["reconsideration"] == {"received": 6}
    reasons = [n.reason for n in result.not_taken if n.key == "reconsideration.concluded"]
    assert reasons == ["结果分项相加与案件数不符，不能推出办结数"]


def test_all_concluded_covers_only_the_counts_of_its_own_part():
    result = figures(report("全年行政复议案件2件，已办结；行政诉讼案件5件，审结3件。"))
    assert result["reconsideration"] == {"received": 2, "concluded": 2}
    assert result["litigation"] == {"received": 5, "concluded": 3}


def test_a_total_mixing_civil_suits_gives_only_the_administrative_part():
    result = extract(report("全年涉诉案件11起，其中民事案件4起、行政案件7起，"
                            "审结行政案件6起，行政案件败诉1起。"))
    assert result.figures["litigation"] == {"received": 7, "concluded": 6, "lost": 1}
    reasons = {n.value: n.reason for n in result.not_taken}
    assert reasons["11"] == "含民事案件的合计，不是行政诉讼数"


def test_a_lost_count_in_a_mixed_sentence_without_the_word_xingzheng_is_left_out():
    result = figures(report("全年诉讼案件9起，其中民事诉讼3起，行政诉讼6起，败诉2起。"))
    assert result["litigation"] == {"received": 6}


def test_a_sum_of_reconsiderations_and_lawsuits_is_no_count_of_either():
    result = figures(report("全年办理行政复议、行政诉讼案件15件，其中行政复议案件5件。"))
    assert result["reconsideration"] == {"received": 5}
    assert "litigation" not in result


@pytest.mark.parametrize("rate", ["纠错率", "被纠错率", "败复率"])
def test_the_correction_rates_synonyms_and_a_rate_value_before_its_change(rate):
    body = f"行政复议{rate}为12.5%，较上年下降2.5个百分点。"
    result = figures(report(body))
    assert result["reconsideration"] == {"correction_rate_change_pct": -2.5}


@pytest.mark.parametrize("body", [
    "行政诉讼败诉“零”。", "行政诉讼案件4件，无一败诉。", "行政诉讼案件4件，均胜诉。",
    "行政诉讼败诉率为零。",
])
def test_zero_lost_written_as_a_word(body):
    assert figures(report(body))["litigation"]["lost"] == 0


# --- opening summary ------------------------------------------------------------------


def test_figures_in_an_opening_summary_before_the_sections_are_read():
    text = ("宁远县自然资源局2023年法治政府建设年度报告\n"
            "2023年，我局共组织集中学法10次，核发乡村建设规划许可证230件，"
            "办理行政复议案件2宗、行政诉讼案件3宗，均已审结。现将有关情况报告如下：\n"
            "一、主要工作\n（一）学法用法\n全年共组织集中学法10次。\n")
    result = figures(text)
    assert result["study_sessions"] == 10
    assert result["permits"] == {"乡村建设规划许可证": 230}
    assert result["reconsideration"] == {"received": 2, "concluded": 2}
    assert result["litigation"] == {"received": 3, "concluded": 3}


def test_a_short_summary_ending_in_a_colon_is_not_taken_for_the_addressee():
    text = ("宁远县自然资源局2023年法治政府建设年度报告\n"
            "2023年，全年集中学法8次。现将有关情况报告如下：\n一、主要工作\n")
    assert figures(text)["study_sessions"] == 8


def test_all_staffs_count_followed_by_its_parts_is_the_total():
    result = figures(report("全年组织干部职工集中学法十二次，其中局党组中心组学法四次。"))
    assert result["study_sessions"] == 12
    assert result["study_by_group"] == {"领导班子": 4}


@pytest.mark.parametrize("body", ["开展学法用法知识竞赛1次。", "组织学法网上答题2次。"])
def test_contests_and_quizzes_are_not_study_sessions(body):
    assert "study_sessions" not in figures(report(body))


def test_no_cases_at_all_is_a_count_of_zero_and_a_win_is_no_loss():
    result = figures(report("全年无行政复议案件；发生行政诉讼案件1件，已审结，我局胜诉。"))
    assert result["reconsideration"] == {"received": 0}
    assert result["litigation"] == {"received": 1, "concluded": 1, "lost": 0}


@pytest.mark.parametrize("body", [
    "全年无行政复议案件被纠错。", "全年未发生行政诉讼败诉案件。",
    "行政诉讼案件5件，我局胜诉3件。",
])
def test_none_corrected_or_none_lost_is_no_count_of_cases_received(body):
    result = figures(report(body))
    assert "received" not in result.get("reconsideration", {})
    assert result.get("litigation", {}).get("received") in (None, 5)
    assert "lost" not in result.get("litigation", {}) or body.startswith("全年未发生")


def test_a_rate_of_zero_before_its_change():
    result = figures(report("行政诉讼败诉率为0，同比下降5个百分点。"))
    assert result["litigation"] == {"lost": 0, "loss_rate_change_pct": -5}


def test_a_groups_own_total_stays_the_groups():
    result = figures(report("党组中心组学法4次，局务会会前学法共12次，组织全局干部集中学法6次。"))
    assert result["study_by_group"] == {"领导班子": 4, "会前学法": 12, "干部职工": 6}
    assert "study_sessions" not in result


def test_a_case_still_being_tried_is_not_concluded():
    result = figures(report("全年行政诉讼案件1件，尚在审理中。"))
    assert result["litigation"] == {"received": 1, "concluded": 0}
    result = figures(report("行政诉讼案件2件，审结1件，另1件正在审理中。"))
    assert result["litigation"] == {"received": 2, "concluded": 1}


def test_a_first_instance_count_and_a_full_width_thousands_comma():
    result = figures(report("行政诉讼一审案件23件，审结19件。全年核发林木采伐许可证２，１４７件。"))
    assert result["litigation"] == {"received": 23, "concluded": 19}
    assert result["permits"] == {"林木采伐许可证": 2147}


@pytest.mark.parametrize("body", [
    "上年度行政诉讼案件9件，败诉2件。",
    "近三年来共发生行政诉讼案件30件，败诉3件。",
    "2020年以来累计核发乡村建设规划许可证1200件。",
])
def test_a_part_of_a_sentence_about_other_years_gives_no_figure(body):
    result = extract(report(body))
    assert not {"litigation", "permits"} & set(result.figures)
    assert all("其他年度" in n.reason for n in result.not_taken)


def test_outreach_is_not_study_even_when_it_says_xuexi():
    assert "study_sessions" not in figures(report("开展“八五”普法学习活动12场次。"))


def test_labels_spaced_to_align_a_table_are_still_labels():
    text = ("索　引　号\t430/2023-1\t主题分类\t综合\n"
            "文　　号\t潭自然资规发〔2023〕15号\t成文日期\t2023-02-14\n"
            "发 布 机 构\t湘潭市自然资源和规划局\n"
            "标　　题\t湘潭市自然资源和规划局2022年度法治政府建设情况报告\n"
            "市委依法治市办：\n全年集中学法5次。\n")
    assert figures(text) == {
        "organisation": "湘潭市自然资源和规划局", "year": 2022,
        "document_number": "潭自然资规发〔2023〕15号", "signed_on": "2023-02-14",
        "study_sessions": 5}


# --- kinds the third held-out set showed (tests/reports/corpus/heldout2) -------------


def test_a_breadcrumb_before_labels_above_their_values_keeps_the_block():
    text = ("湘潭县人民政府门户网站\n"
            "首页 > 信息公开 > 部门信息 > 县自然资源局 > 法治政府建设年度报告\n"
            "文号：\n潭县自然资发〔2025〕3号\n成文日期：\n2025-01-20\n"
            "2024年，我局在县委、县政府的坚强领导下，扎实推进法治政府建设，"
            "全年核发建设用地规划许可证37件。\n湘潭县自然资源局\n2025年1月20日\n")
    result = figures(text)
    assert result["document_number"] == "潭县自然资发〔2025〕3号"
    assert result["permits"] == {"建设用地规划许可证": 37}


def test_a_flattened_table_is_read_in_the_reports_year_column_only():
    table = ("指标名称    单位    2024年    2023年\n"
             "会前学法    次    12    10\n"
             "乡村建设规划许可证    件    27    40\n"
             "行政复议收案    件    11    15\n"
             "负责人出庭应诉率    %    100    90\n")
    result = extract(report(table))
    assert result.figures["study_sessions"] == 12  # one group alone: all the study
    assert result.figures["permits"] == {"乡村建设规划许可证": 27}
    assert result.figures["reconsideration"] == {"received": 11}
    assert result.figures["principal_appearance_rate_pct"] == 100
    earlier = {n.value for n in result.not_taken if "其他年度" in n.reason}
    assert earlier == {"10", "40", "15", "90"}


def test_a_tab_table_with_this_year_and_last_year_columns():
    table = "项目\t上年\t本年\t增减\n行政诉讼案件（件）\t11\t9\t-2\n败诉案件（件）\t2\t0\t-2\n"
    result = figures(report(table))
    assert result["litigation"] == {"received": 9, "lost": 0}


def test_a_table_whose_year_is_unknown_gives_no_figure():
    excerpt = "……\n项目\t2022年\t2023年\n行政复议案件（件）\t6\t4\n"
    assert "reconsideration" not in figures(excerpt)


@pytest.mark.parametrize(("said", "rate"), [
    ("达到百分之九十五", 95), ("达百分之百", 100), ("为百分之八十七点五", 87.5)])
def test_percentages_written_in_words(said, rate):
    assert figures(report(f"行政机关负责人出庭应诉率{said}。"))[
        "principal_appearance_rate_pct"] == rate


@pytest.mark.parametrize("body", [
    "各股室每季度组织干部职工学法3次。",
    "全年集中学法10次以上。",
    "全年集中学法10次左右。",
])
def test_frequencies_and_bounds_are_no_count_of_study(body):
    result = figures(report(body))
    assert "study_sessions" not in result and "study_by_group" not in result


@pytest.mark.parametrize(("body", "count"), [
    ("全年未接到群众对办事窗口的投诉。", 0),
    ("全年受理服务类投诉3件，均已办结。", 3),
])
def test_a_complaint_about_the_service_needs_no_approval_words_beside_it(body, count):
    assert figures(report(body))["service_complaints"] == count


def test_complaints_and_reports_of_violations_are_not_service_complaints():
    assert "service_complaints" not in figures(report("全年未收到投诉举报。"))


def test_a_full_on_time_rate_means_none_overdue():
    result = figures(report("全年审批办件按时办结率百分之百。"))
    assert result["permits_overdue"] == 0


def test_parenthesised_asides_are_not_the_figure():
    result = figures(report("局党组中心组学法（含专题辅导）6次；全体干部职工集中学法11次"
                            "（线上学法3次、线下学法8次）。全年核发建设工程规划许可证"
                            "（含临时建设）44件。"))
    assert result["study_by_group"] == {"领导班子": 6, "干部职工": 11}
    assert result["permits"] == {"建设工程规划许可证": 44}


def test_another_bodys_counts_are_set_aside_with_its_name():
    body = ("县人民政府全年共收到行政复议申请80件，审结75件，纠错率同比下降1.2个百分点。"
            "我局作为被申请人的行政复议案件3件，均已审结。")
    result = extract(report(body, head="湘潭县司法局2024年度法治政府建设工作报告\n",
                            tail="湘潭县司法局\n2025年1月15日\n"))
    assert result.figures["reconsideration"] == {"received": 3, "concluded": 3}
    aside = [n for n in result.not_taken if "县人民政府" in n.reason]
    assert {n.value for n in aside} == {"80", "75", "-1.2"}


def test_a_departments_count_in_a_governments_report_is_not_the_governments():
    body = ("全县共办理行政复议案件58件，审结55件。其中县住建局办理行政复议案件9件，"
            "审结9件。涉及县城管局的行政复议案件7件。")
    result = figures(report(body, head="攸县人民政府2024年法治政府建设年度报告\n",
                            tail="攸县人民政府\n2025年1月28日\n"))
    assert result["reconsideration"] == {"received": 58, "concluded": 55}


def test_the_reporting_bodys_own_short_name_is_its_own():
    body = "2024年，县市场监管局全年办理行政复议案件3宗，均已办结。"
    result = figures(report(body, head="湘潭县市场监督管理局2024年法治政府建设年度报告\n",
                            tail="湘潭县市场监督管理局\n2025年1月28日\n"))
    assert result["reconsideration"] == {"received": 3, "concluded": 3}


def test_the_number_before_the_noun_alone_is_the_count_received():
    result = figures(report("2宗行政复议案件均已结案。"))
    assert result["reconsideration"] == {"received": 2, "concluded": 2}


def test_the_number_before_the_noun_after_a_count_is_the_concluded_part():
    result = figures(report("行政诉讼案件8件；3件行政诉讼案件已全部审结。"))
    assert result["litigation"] == {"received": 8, "concluded": 3}


@pytest.mark.parametrize(("body", "concluded"), [
    ("办理行政复议案件3件，2件维持、1件纠错。", 3),
    ("办理行政复议案件两件，一件维持，一件因申请人撤回申请终止。", 2),
    ("办理行政复议案件3件，2件维持。", None),  # 2 of 3: the third is not said
])
def test_outcomes_after_their_numbers_imply_the_count_concluded(body, concluded):
    got = figures(report(body))["reconsideration"]
    assert got.get("concluded") == concluded and got["received"] in (2, 3)


def test_all_concluded_said_apart_from_the_count_received():
    table = "项目\t2023年\t2024年\n行政复议案件（件）\t6\t4\n"
    result = figures(report(f"行政复议案件均已审结。\n{table}"))
    assert result["reconsideration"] == {"received": 4, "concluded": 4}


def test_all_concluded_beside_a_different_count_concluded_gives_no_count():
    result = extract(report("行政复议案件4件，审结3件。行政复议案件均已审结。"))
    assert result.figures["reconsideration"] == {"received": 4}
    assert "不符" in result.omitted["reconsideration.concluded"]


def test_a_kind_named_once_then_the_years_count_after_a_cumulative_one():
    body = "2018年以来累计核发乡村建设规划许可证3,100余件，2024年核发536件。"
    assert figures(report(body))["permits"] == {"乡村建设规划许可证": 536}
    other = "2018年以来累计核发乡村建设规划许可证3,100余件，2023年核发536件。"
    assert "permits" not in figures(report(other))


def test_a_fee_collected_for_another_body_is_still_a_fee():
    assert figures(report("代征城市基础设施配套费约1,200万元。"))[
        "fees_yuan_approx"] == 12000000


def test_the_office_that_published_a_governments_report_is_the_government():
    text = ("名\t称\t长沙市天心区2024年法治政府建设年度报告\n"
            "索 引 号\t000014349/2025-00103\t发布机构\t天心区人民政府办公室\n"
            "2024年，天心区坚持以习近平法治思想为引领，全区办理行政复议案件186宗。\n"
            "长沙市天心区人民政府\n2025年3月4日\n")
    assert figures(text)["organisation"] == "长沙市天心区人民政府"


# --- kinds the fourth held-out set showed (tests/reports/corpus/heldout3) ------------


def test_a_count_concluded_at_one_instance_is_not_all_concluded():
    result = extract(report("行政应诉案件11件，一审判决7件，败诉1件，二审审结2件。"))
    assert result.figures["litigation"] == {"received": 11, "lost": 1}
    assert any(n.reason == "只是一个审级的审结数" for n in result.not_taken)


def test_applications_received_beside_cases_accepted_are_left_to_a_person():
    result = extract(report("全年共收到行政复议申请97件，依法受理89件，审结82件。"))
    assert result.figures["reconsideration"] == {"concluded": 82}
    assert "97" in result.omitted["reconsideration.received"]


def test_a_group_beside_another_groups_loose_count_stays_a_group():
    result = figures(report("局党组中心组集体学法十余次，全局干部职工集中学法12次。"))
    assert result["study_by_group"] == {"干部职工": 12}
    assert "study_sessions" not in result


def test_none_of_two_matters_named_together():
    result = figures(report("全年我局无行政复议、行政诉讼案件。"))
    assert result["reconsideration"] == {"received": 0}
    assert result["litigation"] == {"received": 0}


def test_a_tables_caption_names_the_matter_of_its_rows():
    text = ("附表：2024年行政诉讼主要指标\n项目    2024年    2023年\n"
            "新收案件（件）    104    121\n审结（件）    96    110\n败诉（件）    6    9\n")
    assert figures(report(text))["litigation"] == {
        "received": 104, "concluded": 96, "lost": 6}


def test_a_caption_naming_two_matters_names_no_row():
    text = ("附表：行政复议和行政诉讼情况\n项目    2024年    2023年\n"
            "审结（件）    96    110\n")
    result = figures(report(text))
    assert "litigation" not in result and "reconsideration" not in result


@pytest.mark.parametrize("span", ["“十四五”期间累计", "五年来累计", "“十三五”以来"])
def test_a_plan_periods_cumulative_count_is_of_other_years(span):
    result = figures(report(f"全年共计学法19次。{span}组织集中学法86次。"))
    assert result["study_sessions"] == 19


def test_a_paragraph_after_a_table_is_read_as_prose():
    text = ("项目\t2023年\t2024年\n行政复议案件（件）\t6\t4\n"
            "全年核发建设工程规划许可证12件，  乡村建设规划许可证30件，审批办件无一超期。\n")
    result = figures(report(text))
    assert result["reconsideration"] == {"received": 4}
    assert result["permits"] == {"建设工程规划许可证": 12, "乡村建设规划许可证": 30}


@pytest.mark.parametrize(("body", "concluded"), [
    ("行政复议案件4件。上年结转的行政复议案件均已审结。", None),
    ("行政复议案件4件，审结3件。历年行政复议案件均已审结。", 3),
])
def test_all_concluded_of_other_years_says_nothing_of_this_year(body, concluded):
    assert figures(report(body))["reconsideration"].get("concluded") == concluded


def test_a_complaint_about_unlicensed_work_is_not_about_the_service():
    assert "service_complaints" not in figures(report("审批窗口处理无证建设投诉。"))


# --- kinds from heldout4's blind round ---------------------------------------------


def test_an_aim_heading_run_into_its_paragraph_closes_where_the_year_starts():
    body = ("（一）以高标准推进学法用法力争实现干部学法全覆盖目标全年局党组理论学习中心组"
            "学法7次，组织干部职工学法培训4次。")
    assert figures(report(body))["study_by_group"] == {"领导班子": 7, "干部职工": 4}


@pytest.mark.parametrize("body", ["力争全年学法12次。", "目标：全年学法12次以上。",
                                  "确保实现目标全年学法12次。"])
def test_an_aim_that_names_the_year_stays_an_aim(body):
    result = extract(report(body))
    assert "study_sessions" not in result.figures
    assert any(n.key == "study_sessions" for n in result.not_taken)


def test_studying_the_thought_by_name_is_a_study_count():
    body = "局党组中心组学习习近平法治思想专题5次，全局干部职工共计学习法律法规12次。"
    assert figures(report(body))["study_by_group"] == {"领导班子": 5, "干部职工": 12}


def test_the_year_count_after_a_rule_of_frequency_is_the_groups():
    body = "全年党组理论学习中心组集体学法12次；每月组织干部职工学法一次，全年共十二次。"
    result = figures(report(body))
    assert result["study_by_group"] == {"领导班子": 12, "干部职工": 12}
    assert "study_sessions" not in result


def test_a_rule_of_frequency_alone_is_no_count():
    result = extract(report("局党组中心组学法6次；每月组织干部职工学法一次。"))
    assert result.figures["study_by_group"] == {"领导班子": 6}
    assert any(n.reason == "表述为频次要求，不是次数" for n in result.not_taken)


def test_cases_not_yet_concluded_are_no_count_concluded():
    body = "行政诉讼案件3宗，判决驳回原告诉讼请求2宗，尚未审结1宗。"
    assert figures(report(body))["litigation"] == {"received": 3, "concluded": 2}


def test_outcomes_that_do_not_add_up_leave_concluded_to_a_person():
    body = "行政诉讼案件4宗，判决驳回原告诉讼请求2宗，尚未审结1宗。"
    assert figures(report(body))["litigation"] == {"received": 4}


def test_civil_suits_named_in_an_aside_make_the_total_mixed():
    body = "被提起诉讼4宗（含民事诉讼1宗），其中行政案件3宗，败诉1宗。"
    result = extract(report(body))
    assert result.figures["litigation"] == {"received": 3}
    assert any(n.value == "4" and "民事" in n.reason for n in result.not_taken)
    assert any(n.key == "litigation.lost" for n in result.not_taken)


@pytest.mark.parametrize("body", ["以我局为被申请人的行政复议案件为零。",
                                  "行政复议案件“零”。"])
def test_no_cases_written_as_zero_after_the_noun(body):
    assert figures(report(body))["reconsideration"] == {"received": 0}


def test_no_lost_cases_is_not_no_cases():
    result = figures(report("行政诉讼案件5件，败诉案件为零。"))
    assert result["litigation"] == {"received": 5, "lost": 0}


def test_the_citys_figures_in_a_county_bureaus_report_are_the_citys():
    body = ("全年收到行政复议申请三件；发生行政诉讼案件五件。"
            "全市自然资源系统共办理行政复议案件四十二件，行政诉讼案件六十七件。")
    result = extract(report(body))
    assert result.figures["reconsideration"] == {"received": 3}
    assert result.figures["litigation"] == {"received": 5}
    assert any(n.value == "67" and "全市" in n.reason for n in result.not_taken)


def test_the_city_is_its_own_scope_in_a_county_level_citys_report():
    body = "全市自然资源系统共办理行政诉讼案件11件。"
    result = figures(report(body, head="耒阳市自然资源局2021年度法治政府建设情况报告\n",
                            tail="耒阳市自然资源局\n2022年2月11日\n"))
    assert result["litigation"] == {"received": 11}


def test_all_the_countys_bodies_are_a_bureaus_other_scope_not_a_governments():
    body = "以我局为被告的行政诉讼案件7件。全县各级行政机关共发生行政诉讼案件153件。"
    assert figures(report(body))["litigation"] == {"received": 7}
    government = figures(report(
        "全县各级行政机关共发生行政诉讼案件153件。",
        head="慈利县人民政府关于2021年度法治政府建设情况的报告\n",
        tail="慈利县人民政府\n2022年3月15日\n"))
    assert government["litigation"] == {"received": 153}


def test_a_metadata_label_one_space_before_its_value():
    text = ("索引号 4306260001/2023-00104\n发布机构 平江县自然资源局\n"
            "成文日期 2023年01月18日\n文号 平自然资〔2023〕2号\n"
            "平江县自然资源局2022年法治政府建设年度报告\n"
            "2022年，我局全年核发乡村建设规划许可证1187件。\n")
    result = figures(text)
    assert result["document_number"] == "平自然资〔2023〕2号"
    assert result["signed_on"] == "2023-01-18"
    assert result["organisation"] == "平江县自然资源局"


@pytest.mark.parametrize("body", ["全年核发建设用地规划许可证27件，所有办件均在承诺时限内办结。",
                                  "全年核发建设用地规划许可证27件，全部按期办结。"])
def test_all_in_time_is_none_overdue(body):
    assert figures(report(body))["permits_overdue"] == 0


@pytest.mark.parametrize(("body", "zero"), [
    ("审批窗口超期办件为零，群众投诉零。", True),
    ("审批窗口服务投诉为零。", True),
    ("执法监督方面群众投诉零。", False),
])
def test_complaints_written_as_zero_after_the_noun(body, zero):
    assert ("service_complaints" in figures(report(body))) == zero


def test_a_fee_written_as_fees_in_general():
    body = "核发建设工程规划许可证86件，收取相关费用近45万元。"
    assert figures(report(body))["fees_yuan_approx"] == 450000


def test_two_rates_changes_stated_together_are_two_figures():
    body = "复议纠错率、诉讼败诉率分别较上年下降3.2和4.5个百分点。"
    result = figures(report(body))
    assert result["reconsideration"] == {"correction_rate_change_pct": -3.2}
    assert result["litigation"] == {"loss_rate_change_pct": -4.5}


@pytest.mark.parametrize("body", ["纠错率、被纠错率分别下降3.2和4.5个百分点。",
                                  "复议纠错率、诉讼败诉率分别较上年下降3.2和4.5%。",
                                  "力争复议纠错率、诉讼败诉率分别下降3.2和4.5个百分点。"])
def test_two_rates_together_never_guessed(body):
    result = figures(report(body))
    assert "reconsideration" not in result and "litigation" not in result


def test_an_excerpt_gives_its_year_where_the_body_opens_on_it():
    text = "（五）行政复议应诉。2025年我局被申请行政复议2宗，均已结案。\n"
    assert extract(text).figures["year"] == 2025
    assert "year" not in extract("（五）下步打算。2026年我局将继续推进行政复议工作。\n").figures


def test_a_table_whose_columns_name_what_they_count():
    text = ("表1 2024年行政许可办理情况\n许可事项\t办件数（件）\t超期（件）\n"
            "建设用地规划许可证\t46\t0\n乡村建设规划许可证\t1583\t0\n合计\t1629\t0\n")
    result = figures(report(text))
    assert result["permits"] == {"建设用地规划许可证": 46, "乡村建设规划许可证": 1583}
    assert result["permits_overdue"] == 0


def test_a_counted_columns_table_of_another_year_is_set_aside():
    text = ("表1 2023年行政许可办理情况\n许可事项\t办件数（件）\t超期（件）\n"
            "建设用地规划许可证\t46\t0\n")
    result = extract(report(text))
    assert "permits" not in result.figures
    assert any(n.reason == "是其他年度的数" for n in result.not_taken)


# --- heldout5's kinds (the third blind round) ------------------------------------------

SPACED = "表2 行政争议案件情况\n类别 收案 审结 纠错（败诉）\n行政复议 6 6 1\n行政诉讼 9 8 1\n"


def test_a_table_of_cells_one_space_apart():
    result = figures(report(SPACED))
    assert result["reconsideration"] == {"received": 6, "concluded": 6}
    assert result["litigation"] == {"received": 9, "concluded": 8, "lost": 1}


@pytest.mark.parametrize("body", [
    "行政复议 6 6 1\n行政诉讼 9 8 1\n",  # rows with no header: whose columns?
    "表2 行政争议案件情况\n类别 收案 审结\n行政复议 6 6 1\n",  # a row wider than its header
])
def test_one_space_rows_without_a_matching_header_are_left_alone(body):
    result = figures(report(body))
    assert "reconsideration" not in result and "litigation" not in result


def test_a_case_table_column_for_both_outcomes_goes_by_the_row():
    text = ("表2 行政复议、行政诉讼案件情况\n"
            "类别\t收案数（件）\t审结数（件）\t败诉或被纠错数（件）\n"
            "行政复议\t6\t6\t1\n行政诉讼\t9\t7\t2\n")
    result = figures(report(text))
    assert result["litigation"] == {"received": 9, "concluded": 7, "lost": 2}
    assert result["reconsideration"] == {"received": 6, "concluded": 6}


HEAD = "湘潭县自然资源局2024年度法治政府建设工作报告"


def test_a_row_cut_by_a_page_break_and_its_running_head():
    text = (f"表1 2024年度行政许可办理情况\n许可事项 办件数（件） 按期办结（件）\n"
            f"建设用地规划许可证 46 46\n临时建设用地规划\n- 2 -\n{HEAD}\n许可 12 12\n")
    assert figures(report(text))["permits"] == {"建设用地规划许可证": 46,
                                                "临时建设用地规划许可": 12}


def test_a_row_name_not_followed_by_a_row_of_the_table_is_not_joined():
    text = (f"表1 2024年度行政许可办理情况\n许可事项 办件数（件） 按期办结（件）\n"
            f"建设用地规划许可证 46 46\n临时建设用地规划\n- 2 -\n{HEAD}\n许可 12\n")
    assert figures(report(text))["permits"] == {"建设用地规划许可证": 46}


def test_a_sentence_cut_by_a_page_number_and_running_head_is_joined():
    body = f"三、依法化解纠纷\n全年共受理行政复议案件\n- 3 -\n{HEAD}\n7件，审结7件。"
    assert figures(report(body))["reconsideration"] == {"received": 7, "concluded": 7}


def test_a_heading_before_a_page_break_stays_a_heading():
    body = f"（一）行政复议情况\n- 3 -\n{HEAD}\n（二）行政诉讼情况\n行政诉讼案件2件，均已审结。"
    result = extract(report(body))
    assert result.figures["litigation"] == {"received": 2, "concluded": 2}
    assert not any("行政复议情况行政诉讼" in n.sentence for n in result.not_taken)


def test_two_groups_respectively():
    body = "领导班子和全体干部职工分别集中学法5次、11次。"
    assert figures(report(body))["study_by_group"] == {"领导班子": 5, "干部职工": 11}


@pytest.mark.parametrize("body", [
    "领导班子、干部职工和执法人员分别集中学法5次、11次。",  # three audiences, two counts
    "领导班子和全体干部职工分别集中学法约5次、11次。",
])
def test_respectively_never_guessed(body):
    result = figures(report(body))
    assert result.get("study_by_group", {}).get("领导班子") is None


def test_study_of_a_list_of_laws_closed_by_deng():
    body = "局党组中心组专题学习习近平法治思想及土地管理法、城乡规划法等法律法规8次。"
    assert figures(report(body))["study_sessions"] == 8


def test_the_plans_heading_run_into_its_paragraph():
    body = ("局党组中心组学法5次，干部职工学法10次。\n"
            "四、2025年工作计划。严格落实领导干部学法制度，中心组学法不少于6次。")
    assert figures(report(body))["study_by_group"] == {"领导班子": 5, "干部职工": 10}


@pytest.mark.parametrize(("body", "key", "expected"), [
    ("行政诉讼案件1件，已审结，未败诉。", "litigation", {"received": 1, "concluded": 1, "lost": 0}),
    ("行政诉讼案件2件，均已审结，败诉率为“零”。", "litigation",
     {"received": 2, "concluded": 2, "lost": 0}),
    ("2024年我局行政复议案件：无；", "reconsideration", {"received": 0}),
])
def test_zero_written_in_words_for_disputes(body, key, expected):
    assert figures(report(body))[key] == expected


@pytest.mark.parametrize(("body", "key"), [
    ("全年办理乡村建设规划许可证318件，超期办件零，服务对象投诉未发生。", "permits_overdue"),
    ("全年办理乡村建设规划许可证318件，超期办件零，服务对象投诉未发生。", "service_complaints"),
    ("承诺件均提前办结，无一超期。", "permits_overdue"),
])
def test_zero_written_in_words_for_the_window(body, key):
    assert figures(report(body))[key] == 0


def test_a_zero_of_something_else_is_no_window_zero():
    result = figures(report("全年违法用地案件零增长，信访投诉未发生。"))
    assert "permits_overdue" not in result and "service_complaints" not in result


def test_appearance_rate_named_without_the_principal():
    assert figures(report("行政诉讼案件2件，出庭应诉率100%。"))[
        "principal_appearance_rate_pct"] == 100


@pytest.mark.parametrize("body", ["行政诉讼案件2件，律师出庭应诉率100%。",
                                  "全市自然资源系统行政诉讼败诉率3.1%，出庭应诉率98%。"])
def test_appearance_rate_of_another_person_or_scope_never_taken(body):
    assert "principal_appearance_rate_pct" not in figures(report(body))


def test_a_scope_organising_study_is_not_the_bureau():
    body = "干部职工学法10次。据统计，全市自然资源系统全年组织学法活动共计286次。"
    result = figures(report(body))
    assert result["study_sessions"] == 10


GOV = ("岳西县人民政府关于2023年度法治政府建设情况的报告\n",
       "岳西县人民政府\n2024年3月5日\n")


def test_a_government_report_with_its_place_and_itself_as_defendant_is_left_for_a_person():
    body = "全县行政机关作为被告的一审行政诉讼案件143件，其中县政府作为被告的案件37件。"
    result = extract(report(body, *GOV))
    assert "litigation" not in result.figures
    assert "人工确定" in result.omitted["litigation.received"]


def test_a_government_report_with_its_place_alone_takes_it():
    body = "全县行政机关作为被告的一审行政诉讼案件143件，审结140件。"
    assert figures(report(body, *GOV))["litigation"] == {"received": 143, "concluded": 140}


def test_a_numbered_heading_after_a_page_number_is_no_running_head():
    body = ("行政诉讼案件2件，均已审结。\n- 4 -\n三、2025年工作计划\n"
            "行政诉讼案件力争不超过1件。\n- 5 -\n三、2025年工作计划\n")
    assert figures(report(body))["litigation"] == {"received": 2, "concluded": 2}


# --- heldout6's blind round ----------------------------------------------------------


def test_permits_named_by_an_approval_rather_than_a_certificate():
    body = ("全年辦理城市建築垃圾處置核准112宗、戶外廣告設施設置審批46宗；"
            "办理临时用地审批14件、土地征收报批9批次。")
    assert figures(report(body))["permits"] == {
        "城市建筑垃圾处置核准": 112, "户外广告设施设置审批": 46, "临时用地审批": 14}


def test_the_word_naming_a_permit_is_not_cut_as_a_verb():
    body = "全年办理建设用地批准书15件。"
    assert figures(report(body))["permits"] == {"建设用地批准书": 15}


@pytest.mark.parametrize("body", ["全年办理行政审批12件。", "全年办理各类审批86件。",
                                  "全年作出行政处罚决定书56份。"])
def test_a_class_of_permits_or_a_penalty_decision_is_no_kind(body):
    assert "permits" not in figures(report(body))


def test_overdue_zero_after_a_colon():
    assert figures(report("全年审批事项超期办件：零。"))["permits_overdue"] == 0


def test_a_study_count_after_qizhong_is_a_part_of_the_one_before():
    body = "局党组中心组集体学法九次，其中线上学法四次。"
    result = extract(report(body))
    assert result.figures["study_sessions"] == 9  # one group alone is all study
    assert "study_by_group" not in result.figures
    assert [(n.value, n.reason) for n in result.not_taken] == [
        ("4", "是前一个学法次数中的一部分")]


def test_a_part_naming_another_group_after_qizhong_is_its_own_figure():
    body = "干部职工学法12次，其中中心组学法4次。"
    result = figures(report(body))
    assert result["study_sessions"] == 12
    assert result["study_by_group"] == {"领导班子": 4}


def test_a_rate_change_after_a_word_on_the_rate():
    body = "行政诉讼案件5件。行政诉讼败诉率仍然偏高，同比上升1.2个百分点。"
    assert figures(report(body))["litigation"]["loss_rate_change_pct"] == 1.2


def test_a_word_on_another_rate_before_a_change_is_not_read_across():
    body = "行政诉讼败诉率偏高，纠错率下降2个百分点。"
    result = figures(report(body))
    assert "loss_rate_change_pct" not in result.get("litigation", {})
    assert result["reconsideration"]["correction_rate_change_pct"] == -2


def test_a_total_with_civil_parts_after_qizhong_gives_the_administrative_part():
    body = "行政应诉案件6宗，其中民事诉讼2宗、行政诉讼4宗，行政诉讼审结3宗，败诉“零”。"
    assert figures(report(body))["litigation"] == {"received": 4, "concluded": 3,
                                                   "lost": 0}


def test_a_question_and_answer_version_ends_the_year_at_the_plans_question():
    body = ("问：学法方面做了哪些工作？\n答：全年党组会专题学习8次。\n"
            "问：2025年有哪些打算？\n答：全年党组会学法不少于10次。")
    assert figures(report(body))["study_sessions"] == 8
