"""Baseline extraction from published report texts: the figures each variant gives,
and what is left out rather than guessed. Pure: no database, no Django."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.reports.extract import ExtractError, decode, extract
from tests.purity import assert_runs_without_django

DATA = Path(__file__).parent / "data"


def read(name: str) -> str:
    return decode((DATA / name).read_bytes())


def test_a_simplified_report_gives_every_figure_the_issue_lists():
    assert extract(read("xiangtan_2024_simplified.txt")).figures == {
        "organisation": "湘潭县自然资源局",
        "year": 2024,
        "document_number": "潭县自然资字〔2025〕79号",
        "signed_on": "2025-01-15",
        "study_sessions": 12,
        "permits": {"乡村建设规划许可证": 126, "建设用地规划许可证": 38,
                    "建设工程规划许可证": 45, "建设项目用地预审与选址意见书": 17},
        "fees_yuan_approx": 12345000,
        "permits_overdue": 0,
        "service_complaints": 0,
        "reconsideration": {"received": 6, "concluded": 5,
                            "correction_rate_change_pct": -2.5},
        "litigation": {"received": 9, "concluded": 7, "lost": 1,
                       "loss_rate_change_pct": -3.1},
        "principal_appearance_rate_pct": 100,
    }


def test_traditional_characters_with_pinyin_and_chinese_numerals_read_as_simplified():
    assert extract(read("xiangxiang_2023_traditional_pinyin.txt")).figures == {
        "organisation": "湘乡市自然资源局",
        "year": 2023,
        "document_number": "湘乡自然资发〔2024〕3号",
        "signed_on": "2024-01-20",
        "study_sessions": 12,
        "permits": {"乡村建设规划许可证": 105, "建设工程规划许可证": 23},
        "fees_yuan_approx": 3200000,
        "permits_overdue": 0,
        "reconsideration": {"received": 4, "concluded": 3,
                            "correction_rate_change_pct": 0},
        "litigation": {"received": 3, "concluded": 3, "lost": 0},
        "principal_appearance_rate_pct": 100,
    }


def test_a_web_copy_with_full_width_digits_and_page_furniture_reads_whole():
    result = extract(read("xiangtan_2023_web_copy.txt"))
    assert result.figures == {
        "organisation": "湘潭县自然资源局",
        "year": 2023,
        "document_number": "潭县自然资字〔2024〕12号",
        "signed_on": "2024-01-22",
        "study_sessions": 16,
        "study_by_group": {"领导班子": 4, "干部职工": 12},
        "permits": {"乡村建设规划许可证": 98, "建设用地规划许可证": 27},
        "fees_yuan_approx": 8765000,
        "permits_overdue": 0,
        "service_complaints": 1,
        "reconsideration": {"received": 5, "concluded": 5,
                            "correction_rate_change_pct": 1.2},
        "litigation": {"received": 7, "concluded": 6, "lost": 0,
                       "loss_rate_change_pct": -5},
        "principal_appearance_rate_pct": 85.7,
    }
    # The permit sentence was broken by "— 2 —" and "第 2 页 共 5 页"; the portal's
    # 发布时间 2024-02-20 is not taken for the signing date.
    assert "乡村建设规划许可证98件" in result.sources["permits.乡村建设规划许可证"]


def test_a_gb18030_file_is_decoded_and_its_figures_found():
    assert extract(read("xiangtan_2022_gb18030.txt")).figures == {
        "organisation": "湘潭县自然资源局",
        "year": 2022,
        "signed_on": "2023-02-08",
        "study_sessions": 9,
        "permits": {"乡村建设规划许可证": 86, "采矿许可证": 3},
        "fees_yuan_approx": 865432,
        "permits_overdue": 0,
        "service_complaints": 2,
        "reconsideration": {"received": 2, "concluded": 2},
        "litigation": {"received": 4, "concluded": 3, "lost": 1},
    }


def test_loose_conflicting_and_aimed_figures_are_left_out_with_their_reason():
    result = extract(read("xiangtan_2024_ambiguous.txt"))
    assert result.figures == {
        "year": 2024,
        "document_number": "潭县自然资字〔2025〕79号",
        "signed_on": "2025-01-15",
        "permits": {"建设工程规划许可证": 40},
        "fees_yuan_approx": 3000000,  # a fee is approximate: 300余万元 is a figure
        "litigation": {"received": 8},
        "principal_appearance_rate_pct": 85.7,
    }
    omitted = result.omitted
    assert "湘乡市自然资源局" in omitted["organisation"]  # title and signature differ
    assert omitted["study_sessions"] == "出现不同数值：12、14"
    assert "约120" in omitted["permits.乡村建设规划许可证"]
    assert omitted["permits.建设用地规划许可证"] == "出现不同数值：30、32"
    assert omitted["reconsideration.received"] == "出现不同数值：5、6"
    assert "3至4" in omitted["reconsideration.concluded"]
    assert "百分点" in omitted["reconsideration.correction_rate_change_pct"]
    assert "三四" in omitted["litigation.concluded"]
    assert omitted["litigation.lost"] == "出现不同数值：0、1"
    assert "约3" in omitted["litigation.loss_rate_change_pct"]
    # 力争零超期 is an aim; 投诉举报 are tips, not complaints about the window.
    assert "permits_overdue" not in omitted and "service_complaints" not in omitted


def test_each_figure_keeps_the_sentence_it_came_from():
    sources = extract(read("xiangtan_2024_simplified.txt")).sources
    assert sources["study_sessions"].startswith("局党组把学法列入年度工作要点")
    assert "零超期、零投诉" in sources["permits_overdue"]
    assert "败诉1件" in sources["litigation.lost"]
    assert sources["signed_on"].endswith("2025年1月15日")


def text(body: str) -> str:
    return ("湘潭县自然资源局2024年法治政府建设年度报告\n县委、县人民政府：\n"
            f"{body}\n湘潭县自然资源局\n2025年1月15日\n")


def found(body: str) -> dict:
    """The figures of a report whose body is ``body``."""
    return extract(text(body)).figures


@pytest.mark.parametrize(("body", "expected"), [
    ("全年组织集中学法十二次。", 12),
    ("全年组织集中学法一百零五次。", 105),
    ("全年组织集中学法１２次。", 12),
    ("全年开展学法活动12场，参学460人次。", 12),
    ("全年共组织学法16次，其中中心组学法4次、干部集中学法12次。", 16),
])
def test_study_sessions_are_read_in_every_way_of_writing_the_number(body, expected):
    assert found(body)["study_sessions"] == expected


@pytest.mark.parametrize("body", [
    "坚持每月至少1次学法。",
    "上半年组织集中学法6次。",
    "上年组织集中学法10次。",
    "全年组织集中学法近20次。",
    "全年组织集中学法20余次。",
    "全年组织集中学法10至12次。",
    "确保全年组织集中学法12次。",
    "全年组织集中学法一百五次。",
])
def test_a_frequency_a_part_year_another_year_or_a_loose_count_is_not_a_figure(body):
    assert "study_sessions" not in found(body)


def test_fees_in_wan_yuan_or_yuan_are_converted_to_yuan_and_about_is_accepted():
    assert found("收取城市基础设施配套费约326.85万元。")[
        "fees_yuan_approx"] == 3268500
    assert found("征收配套费1,234,567元。")["fees_yuan_approx"] == 1234567
    assert found("收取城市基础设施配套费三百二十万元。")[
        "fees_yuan_approx"] == 3200000


def test_budget_money_is_not_a_fee_and_the_infrastructure_fee_wins_over_others():
    assert "fees_yuan_approx" not in found("投入普法经费20万元。")
    figures = found("代收城市基础设施配套费120万元，收取不动产登记费30万元。")
    assert figures["fees_yuan_approx"] == 1200000


def test_zero_is_read_only_where_the_sentence_states_it():
    figures = found("全年审批办件实现零超期、零投诉。")
    assert (figures["permits_overdue"], figures["service_complaints"]) == (0, 0)
    assert "permits_overdue" not in found("力争审批办件零超期、零投诉。")
    assert "service_complaints" not in found("受理群众投诉举报0件。")
    assert "permits_overdue" not in found("依申请公开答复无超期。")
    assert found("未发生行政诉讼败诉案件。")["litigation"] == {"lost": 0}


def test_an_application_count_is_not_a_permit_count():
    figures = extract(text("受理乡村建设规划许可证130件，核发建设工程规划许可证12件。"))
    assert figures.figures["permits"] == {"建设工程规划许可证": 12}


def test_a_rate_change_keeps_its_direction_and_a_percent_change_is_left_out():
    lit = found("行政诉讼败诉率同比上升两个百分点。")["litigation"]
    assert lit == {"loss_rate_change_pct": 2}
    assert "reconsideration" not in found("复议纠错率同比下降3%。")


def test_an_aside_in_parentheses_does_not_change_which_matter_a_count_belongs_to():
    figures = found("行政诉讼案件9件（含经复议后起诉2件），审结7件。")
    assert figures["litigation"] == {"received": 9, "concluded": 7}
    assert "reconsideration" not in figures


def test_the_appearance_rate_needs_the_principal_and_an_aim_is_not_a_rate():
    assert found("行政机关负责人出庭应诉率为92.5%。")[
        "principal_appearance_rate_pct"] == 92.5
    aim = found("确保负责人出庭应诉率达到100%。")
    assert "principal_appearance_rate_pct" not in aim


def test_a_chinese_date_and_a_bracketed_number_are_written_the_standard_way():
    report = ("潭县自然资字[２０２５]７９号\n湘潭县自然资源局\n"
              "2024年度法治政府建设年度报告\n县委、县人民政府：\n全年组织集中学法3次。\n"
              "湘潭县自然资源局\n二○二五年一月十五日\n")
    figures = extract(report).figures
    assert figures["document_number"] == "潭县自然资字〔2025〕79号"
    assert figures["signed_on"] == "2025-01-15"
    assert (figures["organisation"], figures["year"]) == ("湘潭县自然资源局", 2024)


def test_text_that_is_not_chinese_text_is_refused_with_a_reason():
    with pytest.raises(ExtractError, match="二进制"):
        decode(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(ExtractError, match="没有中文"):
        decode(b"just some english text")
    assert decode("湘潭县".encode("utf-16")) == "湘潭县"
    assert decode("\ufeff湘潭县".encode()) == "湘潭县"


def test_extraction_runs_without_django():
    assert_runs_without_django(
        "from fazhi.reports.extract import extract\n"
        "assert extract('全年组织集中学法3次。').figures == {'study_sessions': 3}")
