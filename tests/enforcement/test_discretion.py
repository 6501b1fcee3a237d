"""Penalty discretion: legal range from the law, recommended from the benchmark."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.enforcement.cases.discretion import (
    FILE_NAME,
    BenchmarkError,
    DepartureNeedsReason,
    DiscretionError,
    Facts,
    MissingFact,
    OutsideLegalRange,
    area_mu,
    check_departure,
    load_benchmark,
    recommend,
)

BENCHMARK = load_benchmark()
MU = Decimal(10000) / 15


def occupation(area="1000", land_class="farmland", **kwargs):
    facts = Facts(
        "illegal_occupation", area_m2=Decimal(area), land_class=land_class, **kwargs
    )
    return recommend(facts, BENCHMARK)


def mining(value, violation="unlicensed_mining", **kwargs):
    facts = Facts(violation, ore_value_yuan=Decimal(value), **kwargs)
    return recommend(facts, BENCHMARK)


def province_file(tmp_path, body, name="某省自然资源行政处罚裁量基准"):
    head = f'[benchmark]\nname = "{name}"\nversion = "2026年"\nsource = "测试"\n'
    (tmp_path / FILE_NAME).write_text(head + body, encoding="utf-8")
    return tmp_path


# --- legal ranges ---------------------------------------------------------------------


def test_illegal_occupation_range_is_100_to_1000_yuan_per_m2():
    rec = occupation(area="1000")
    assert (rec.legal_min, rec.legal_max) == (100_000, 1_000_000)
    steps = "\n".join(rec.steps)
    assert "第七十七条" in steps
    assert "第五十七条第一款" in steps
    assert "1000平方米×100元/平方米=100,000元" in steps


def test_farmland_destruction_range_is_5_to_10_times_the_reclamation_fee():
    facts = Facts(
        "farmland_destruction",
        area_m2=Decimal(500),
        land_class="farmland",
        reclamation_fee_yuan_per_m2=Decimal(20),
    )
    rec = recommend(facts, BENCHMARK)
    assert (rec.legal_min, rec.legal_max) == (50_000, 100_000)
    steps = "\n".join(rec.steps)
    assert "耕地开垦费：500平方米×20元/平方米=10,000元" in steps
    assert "第七十五条" in steps and "第五十五条" in steps


def test_illegal_transfer_range_is_10_to_50_percent_of_illegal_gains():
    facts = Facts("illegal_transfer", illegal_gains_yuan=Decimal(200_000))
    rec = recommend(facts, BENCHMARK)
    assert (rec.legal_min, rec.legal_max) == (20_000, 100_000)
    assert rec.band == "transfer.gains_upto_1m"
    assert any("第五十四条" in step for step in rec.steps)


def test_unlicensed_mining_range_is_3_to_5_times_the_ore_value():
    rec = mining(200_000)
    assert (rec.legal_min, rec.legal_max) == (600_000, 1_000_000)
    assert not rec.fine_optional
    assert any("矿产资源法》（2024年修订）第六十四条第一款" in s for s in rec.steps)


@pytest.mark.parametrize("value", [0, 99_999])
def test_mining_with_no_ore_or_under_100000_yuan_uses_the_fixed_range(value):
    rec = mining(value)
    assert (rec.legal_min, rec.legal_max) == (100_000, 1_000_000)
    assert rec.band == "unlicensed.fixed"


def test_ore_value_of_exactly_100000_yuan_uses_the_multiple():
    assert (mining(100_000).legal_min, mining(100_000).legal_max) == (300_000, 500_000)


def test_cross_boundary_mining_is_punished_under_article_64_paragraph_2():
    rec = mining(2_000_000, "cross_boundary_mining")
    assert (rec.legal_min, rec.legal_max) == (6_000_000, 10_000_000)
    assert rec.band == "cross_boundary.value_over_1m"
    assert any("第六十四条第二款" in step for step in rec.steps)


# --- 亩 and bands ---------------------------------------------------------------------


def test_666_67_m2_shows_as_1_00_mu():
    assert area_mu(Decimal("666.67")) == Decimal("1.00")
    assert occupation(area="666.67").area_mu == Decimal("1.00")
    assert area_mu(Decimal(10000)) == Decimal("15.00")


def test_one_mu_exactly_stays_in_the_first_tier_and_a_hair_more_does_not():
    assert occupation(area=MU).band == "occupation.farmland.upto_1mu"
    assert occupation(area="666.66").band == "occupation.farmland.upto_1mu"
    assert occupation(area="666.67").band == "occupation.farmland.upto_5mu"


@pytest.mark.parametrize(
    ("land_class", "area", "band", "low", "high"),
    [
        ("basic_farmland", "600", "occupation.basic_farmland.upto_1mu", 500, 700),
        ("basic_farmland", "3000", "occupation.basic_farmland.upto_5mu", 700, 900),
        ("basic_farmland", "4000", "occupation.basic_farmland.over_5mu", 800, 1000),
        ("farmland", "3000", "occupation.farmland.upto_5mu", 400, 600),
        ("other", "600", "occupation.other.upto_1mu", 100, 200),
        ("other", "5000", "occupation.other.over_5mu", 300, 500),
    ],
)
def test_land_class_and_area_tier_choose_the_band(land_class, area, band, low, high):
    rec = occupation(area=area, land_class=land_class)
    assert rec.band == band
    assert rec.recommended_min == Decimal(area) * low
    assert rec.recommended_max == Decimal(area) * high


def test_steps_name_the_band_and_say_it_is_a_preset_no_instrument_cites():
    rec = occupation()
    assert rec.default_benchmark and rec.standing is None and rec.benchmark == ""
    band_step = next(s for s in rec.steps if s.startswith("裁量档次"))
    assert "其他耕地·超过1亩、5亩以下" in band_step
    assert "系统预置，待本局确认" in band_step and "只引用法律条款" in band_step
    # a preset band is never cited: the law and its range alone
    assert all("预置" not in str(c) for c in rec.citations)
    assert "《土地管理法》（2019年修正）第七十七条" in {str(c) for c in rec.citations}


def test_an_adopted_document_is_cited_by_number_and_the_preset_band_flagged(tmp_path):
    folder = tmp_path / "enforcement"
    folder.mkdir()
    (folder / "adopted.toml").write_text(
        """[[adopted]]
rule = "discretion.toml"
standing = "province"
title = "自然资源行政处罚裁量权办法"
document = "湘自然资规〔2022〕1号"
in_force = 2022-03-01
""", encoding="utf-8")
    rec = recommend(
        Facts("illegal_occupation", area_m2=Decimal(1000), land_class="farmland"),
        load_benchmark([folder]),
    )
    assert not rec.default_benchmark
    assert rec.standing.standing_label == "省厅文件 湘自然资规〔2022〕1号"
    assert "《自然资源行政处罚裁量权办法》（湘自然资规〔2022〕1号）" in {
        str(c) for c in rec.citations}
    band_step = next(s for s in rec.steps if s.startswith("裁量基准"))
    assert "待按该文件的基准表核对" in band_step


# --- circumstances --------------------------------------------------------------------


def test_aggravating_factor_moves_to_the_upper_half_of_the_band():
    rec = occupation(area="1000", factors=frozenset({"refused_to_stop"}))
    assert (rec.recommended_min, rec.recommended_max) == (500_000, 600_000)


def test_mitigating_factor_moves_to_the_lower_half_of_the_band():
    rec = occupation(area="1000", factors=frozenset({"corrected_voluntarily"}))
    assert (rec.recommended_min, rec.recommended_max) == (400_000, 500_000)
    assert any("第三十二条第一项" in step for step in rec.steps)
    assert any("减轻处罚" in step for step in rec.steps)


def test_equal_aggravating_and_mitigating_keep_the_whole_band():
    factors = frozenset({"repeat", "cooperated"})
    rec = occupation(area="1000", factors=factors)
    assert (rec.recommended_min, rec.recommended_max) == (400_000, 600_000)


def test_black_soil_aggravates_only_farmland_destruction():
    with pytest.raises(DiscretionError, match="不适用于") as caught:
        occupation(factors=frozenset({"high_quality_farmland"}))
    assert caught.value.field == "factors"


def test_first_minor_violation_may_go_unpunished():
    rec = occupation(area="100", factors=frozenset({"first_minor"}))
    assert rec.no_penalty == "may"
    assert rec.recommended_min == 0
    assert any("第三十三条第一款" in step for step in rec.steps)


def test_minor_corrected_harmless_violation_shall_go_unpunished():
    rec = mining(500_000, factors=frozenset({"minor_no_harm", "repeat"}))
    assert (rec.recommended_min, rec.recommended_max) == (0, 0)
    assert rec.no_penalty == "shall"
    with pytest.raises(OutsideLegalRange, match="第三十三条"):
        check_departure(rec, Decimal(1_500_000), "情节严重")


def test_unknown_factor_is_named():
    with pytest.raises(DiscretionError, match="'late'"):
        occupation(factors=frozenset({"late"}))


VIOLATION_FACTS = {
    "illegal_occupation": {"area_m2", "land_class"},
    "farmland_destruction": {"area_m2", "land_class", "fee"},
    "illegal_transfer": {"gains"},
    "unlicensed_mining": {"ore"},
    "cross_boundary_mining": {"ore"},
}
GENERAL_FACTORS = sorted(
    code for code, f in BENCHMARK.factors.items() if not f.applies_to
)


@settings(max_examples=300, deadline=None)
@given(
    violation=st.sampled_from(sorted(VIOLATION_FACTS)),
    area=st.decimals(min_value="0.01", max_value="200000", places=2),
    money=st.decimals(min_value="0", max_value="100000000", places=2),
    land_class=st.sampled_from(["basic_farmland", "farmland", "other"]),
    factors=st.frozensets(st.sampled_from(GENERAL_FACTORS)),
)
def test_recommendation_never_leaves_the_legal_range(
    violation, area, money, land_class, factors
):
    if violation == "farmland_destruction" and land_class == "other":
        land_class = "farmland"
    facts = Facts(
        violation,
        area_m2=area,
        land_class=land_class,
        ore_value_yuan=money,
        illegal_gains_yuan=money,
        reclamation_fee_yuan_per_m2=Decimal(25),
        factors=factors,
    )
    rec = recommend(facts, BENCHMARK)
    assert rec.legal_min <= rec.legal_max
    assert rec.recommended_min <= rec.recommended_max
    if rec.no_penalty:
        assert rec.recommended_min == 0
    else:
        assert rec.legal_min <= rec.recommended_min
    assert rec.recommended_max <= rec.legal_max


# --- departures -----------------------------------------------------------------------


def test_fine_inside_the_recommended_range_needs_no_reason():
    departure = check_departure(occupation(), Decimal(500_000))
    assert departure.within_recommended
    assert departure.reason == ""


def test_fine_outside_recommended_but_inside_legal_needs_a_written_reason():
    rec = occupation()
    with pytest.raises(DepartureNeedsReason, match="须书面说明理由") as caught:
        check_departure(rec, Decimal(900_000), "  ")
    assert caught.value.field == "reason"
    departure = check_departure(rec, Decimal(900_000), "占地后转租牟利，影响恶劣")
    assert not departure.within_recommended
    assert "高于" in departure.summary
    assert "转租牟利" in departure.summary


def test_fine_outside_the_legal_range_is_refused_even_with_a_reason():
    rec = occupation()
    with pytest.raises(OutsideLegalRange, match="超出法定幅度"):
        check_departure(rec, Decimal(1_000_001), "情节特别严重")
    with pytest.raises(OutsideLegalRange):
        check_departure(rec, Decimal(99_999), "确有困难")


def test_no_fine_is_lawful_where_the_law_says_may_but_needs_a_reason():
    rec = occupation()
    with pytest.raises(DepartureNeedsReason):
        check_departure(rec, Decimal(0))
    assert not check_departure(rec, Decimal(0), "已自行拆除并复耕").within_recommended


def test_no_fine_is_unlawful_where_the_mining_law_says_shall():
    with pytest.raises(OutsideLegalRange):
        check_departure(mining(200_000), Decimal(0), "当事人经济困难")


# --- missing and wrong facts ----------------------------------------------------------


def test_missing_area_names_the_field_in_chinese():
    with pytest.raises(MissingFact, match="须填写占地面积") as caught:
        recommend(Facts("illegal_occupation", land_class="other"), BENCHMARK)
    assert caught.value.field == "area_m2"


@pytest.mark.parametrize(
    ("facts", "field", "words"),
    [
        (Facts("illegal_occupation", area_m2=Decimal(5)), "land_class", "须选择地类"),
        (Facts("unlicensed_mining"), "ore_value_yuan", "市场价值"),
        (Facts("illegal_transfer"), "illegal_gains_yuan", "违法所得"),
        (
            Facts("farmland_destruction", area_m2=Decimal(5), land_class="farmland"),
            "reclamation_fee_yuan_per_m2",
            "耕地开垦费标准",
        ),
    ],
)
def test_each_missing_fact_is_named(facts, field, words):
    with pytest.raises(MissingFact, match=words) as caught:
        recommend(facts, BENCHMARK)
    assert caught.value.field == field


@pytest.mark.parametrize("area", [Decimal(0), Decimal(-3)])
def test_area_must_be_positive(area):
    with pytest.raises(DiscretionError, match="须大于0平方米"):
        occupation(area=area)


def test_money_must_be_decimal_not_float():
    facts = Facts("illegal_transfer", illegal_gains_yuan=1000.5)
    with pytest.raises(DiscretionError, match="Decimal"):
        recommend(facts, BENCHMARK)


def test_destruction_needs_farmland():
    facts = Facts(
        "farmland_destruction",
        area_m2=Decimal(5),
        land_class="other",
        reclamation_fee_yuan_per_m2=Decimal(20),
    )
    with pytest.raises(DiscretionError, match="地类只能是"):
        recommend(facts, BENCHMARK)


# --- other measures -------------------------------------------------------------------


def test_plan_conformity_chooses_demolition_or_confiscation():
    against = occupation(conforms_to_plan=False).other_measures
    conforming = occupation(conforms_to_plan=True).other_measures
    unknown = occupation().other_measures
    assert any("限期拆除" in m for m in against)
    assert not any("没收" in m for m in against)
    assert any("没收" in m for m in conforming)
    assert len(unknown) == 3
    assert any(m.startswith("符合国土空间规划") for m in unknown)


def test_refusing_to_stop_mining_adds_suspension_of_business():
    plain = mining(200_000).other_measures
    refused = mining(200_000, factors=frozenset({"refused_to_stop"})).other_measures
    assert not any("停业整顿" in m for m in plain)
    assert any("停业整顿" in m for m in refused)


# --- benchmark files ------------------------------------------------------------------


def test_province_file_replaces_a_band_without_code(tmp_path):
    folder = province_file(
        tmp_path,
        """
[[band]]
code = "occupation.farmland.upto_5mu"
violation = "illegal_occupation"
land_class = ["farmland"]
area_up_to_mu = "5"
min = "450"
max = "550"
clause = "第二部分第一项第（二）目"
""",
    )
    rec = recommend(
        Facts("illegal_occupation", area_m2=Decimal(1000), land_class="farmland"),
        load_benchmark([folder]),
    )
    assert (rec.recommended_min, rec.recommended_max) == (450_000, 550_000)
    assert rec.benchmark == "某省自然资源行政处罚裁量基准"
    assert not rec.default_benchmark
    assert any("第二部分第一项第（二）目" in step for step in rec.steps)
    assert occupation().recommended_min == 400_000  # shipped data untouched


def test_replace_bands_drops_the_default_bands(tmp_path):
    folder = province_file(
        tmp_path,
        """replace_bands = true

[[band]]
code = "occupation.all"
violation = "illegal_occupation"
min = "100"
max = "1000"
clause = "全幅"
""",
    )
    benchmark = load_benchmark([folder])
    assert [band.code for band in benchmark.bands] == ["occupation.all"]
    with pytest.raises(BenchmarkError, match="没有适用于无证开采"):
        recommend(Facts("unlicensed_mining", ore_value_yuan=Decimal(0)), benchmark)


def test_band_outside_the_legal_range_is_refused_naming_file_and_code(tmp_path):
    folder = province_file(
        tmp_path,
        """
[[band]]
code = "occupation.too_high"
violation = "illegal_occupation"
min = "900"
max = "1200"
clause = "超出"
""",
    )
    with pytest.raises(BenchmarkError, match=r"occupation\.too_high.*超出法定幅度"):
        load_benchmark([folder])


def test_unknown_key_in_a_band_is_named(tmp_path):
    folder = province_file(
        tmp_path,
        """
[[band]]
code = "occupation.typo"
violation = "illegal_occupation"
mn = "100"
min = "100"
max = "200"
clause = "x"
""",
    )
    with pytest.raises(BenchmarkError, match=r"discretion.toml.*occupation.typo.*mn"):
        load_benchmark([folder])


def test_missing_override_dir_is_an_error(tmp_path):
    with pytest.raises(BenchmarkError, match="规则目录不存在"):
        load_benchmark([tmp_path / "absent"])


def test_shipped_file_marks_itself_as_default_and_cites_the_laws():
    assert BENCHMARK.default
    sources = {c.source for v in BENCHMARK.violations.values() for _, c in v.cites}
    assert all("@" in source for source in sources)  # pinned commit of the text read
    assert set(VIOLATION_FACTS) <= set(BENCHMARK.violations)
