"""SVG charts (pure): well-formed XML, bars proportional to values, no data drawn as
'—' never as zero, every text escaped, monochrome patterns, no outside references."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from fazhi.reports.charts import (
    Bar,
    Group,
    bar_chart,
    clip,
    grouped_bar_chart,
    line_chart,
    nice_max,
    number_text,
    rate_bullet,
    sparkline,
)
from tests.purity import assert_runs_without_django

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars_of(svg: str) -> list[ET.Element]:
    return parse(svg).findall(".//s:rect[@class='bar']", NS)


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in parse(svg).iter("{http://www.w3.org/2000/svg}text")]


def test_a_bar_chart_is_valid_svg_with_a_title_and_a_description():
    svg = bar_chart([Bar("乡村建设规划许可证", 12), Bar("建设用地规划许可证", 3)],
                    title="许可办理件数", unit="件")
    root = parse(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("s:title", NS).text == "许可办理件数"
    assert "乡村建设规划许可证：12件" in root.find("s:desc", NS).text
    assert root.get("role") == "img"
    labelled = root.get("aria-labelledby").split()
    assert root.find("s:title", NS).get("id") in labelled


def test_bar_lengths_are_proportional_to_the_values():
    svg = bar_chart([Bar("甲", 10), Bar("乙", 5), Bar("丙", 2.5), Bar("丁", 0)],
                    title="件数")
    widths = [float(r.get("width")) for r in bars_of(svg)]
    assert widths[0] > 0
    assert [w / widths[0] for w in widths] == [1.0, 0.5, 0.25, 0.0]


def test_each_bar_has_a_title_naming_its_label_and_value():
    svg = bar_chart([Bar("立案", 7, href="/x/"), Bar("结案", 4)], title="案件",
                    unit="件")
    titles = [t.text for t in parse(svg).iter("{http://www.w3.org/2000/svg}title")]
    assert "立案：7件" in titles and "结案：4件" in titles


def test_no_data_is_drawn_as_a_dash_and_an_empty_bar_not_as_zero():
    svg = bar_chart([Bar("有数据", 3), Bar("无数据", None)], title="件数")
    assert "—" in texts(svg) and "0" not in texts(svg)
    empty = bars_of(svg)[1]
    assert float(empty.get("width")) == 0 and empty.get("data-value") == ""


def test_all_values_zero_or_none_still_draw_without_dividing_by_zero():
    for values in ([0, 0], [None, None], []):
        svg = bar_chart([Bar(str(i), v) for i, v in enumerate(values)], title="空")
        assert all(float(r.get("width")) == 0 for r in bars_of(svg))
    assert "无数据" in texts(bar_chart([], title="空"))


def test_labels_values_and_links_are_escaped():
    nasty = '<script>alert("x")</script> & 村\'s'
    svg = bar_chart([Bar(nasty, 1, text="<b>1</b>", href='/r/?a=1&b="2"')],
                    title='标题 <&> "q"', unit="&")
    root = parse(svg)  # parses: nothing broke out of its element or attribute
    assert "<script>" not in svg and not root.findall(".//s:script", NS)
    assert root.find("s:title", NS).text == '标题 <&> "q"'
    link = root.find(".//s:a", NS)
    assert link.get("href") == '/r/?a=1&b="2"'
    assert "<b>1</b>" in texts(svg)


def test_control_characters_in_labels_do_not_break_the_xml():
    parse(bar_chart([Bar("坏\x00字\x1b符", 1)], title="控制\x08字符"))


def test_links_other_than_our_pages_are_dropped():
    svg = bar_chart([Bar("甲", 1, href="javascript:alert(1)"),
                     Bar("乙", 2, href="data:text/html,x"), Bar("丙", 3, href="/ok/")],
                    title="链接")
    hrefs = [a.get("href") for a in parse(svg).findall(".//s:a", NS)]
    assert hrefs == ["/ok/"]


def test_long_labels_are_clipped_but_kept_whole_in_the_title():
    label = "湘潭县自然资源局某某某某某某某某某某某股室"
    svg = bar_chart([Bar(label, 1)], title="长标签", width=300)
    shown = [t for t in texts(svg) if t.endswith("…")]
    assert shown and len(shown[0]) < len(label)
    assert f"{label}：1" in svg
    assert clip("短", 100) == "短"


def test_grouped_bars_put_counties_side_by_side_on_one_scale():
    groups = [Group("湘潭县", (Bar("复议", 8), Bar("诉讼", 2))),
              Group("湘乡市", (Bar("复议", 4), Bar("诉讼", None)))]
    svg = grouped_bar_chart(groups, series=["复议", "诉讼"], title="案件数", unit="件")
    rects = bars_of(svg)
    widths = [float(r.get("width")) for r in rects]
    assert widths[1] / widths[0] == 0.25 and widths[2] / widths[0] == 0.5
    assert widths[3] == 0 and "—" in texts(svg)
    assert [r.get("data-series") for r in rects] == ["0", "1", "0", "1"]
    assert {"湘潭县", "湘乡市", "复议", "诉讼"} <= set(texts(svg))


def test_grouped_series_are_told_apart_without_colour():
    series = ["一", "二", "三", "四", "五"]
    svg = grouped_bar_chart([Group("县", tuple(Bar(s, 1) for s in series))],
                            series=series, title="图案")
    fills = [r.get("fill") for r in bars_of(svg)]
    assert len(set(fills)) == len(series)
    root = parse(svg)
    ids = {p.get("id") for p in root.findall(".//s:pattern", NS)}
    assert {f[5:-1] for f in fills if f.startswith("url(")} <= ids
    for colour in re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{3,6})"', svg):
        digits = colour[1:] * (2 if len(colour) == 4 else 1)
        r, g, b = digits[0:2], digits[2:4], digits[4:6]
        assert r == g == b, colour  # greys only: prints the same in monochrome


def test_two_charts_on_one_page_do_not_share_ids():
    a = grouped_bar_chart([Group("甲", (Bar("a", 1), Bar("b", 2), Bar("c", 3)))],
                          series=["a", "b", "c"], title="一")
    b = grouped_bar_chart([Group("甲", (Bar("a", 1), Bar("b", 2), Bar("c", 3)))],
                          series=["a", "b", "c"], title="二")
    ids = lambda svg: set(re.findall(r'id="([^"]+)"', svg))  # noqa: E731
    assert ids(a) and not ids(a) & ids(b)


def test_the_rate_bullet_draws_this_year_and_marks_last_year():
    svg = rate_bullet(Decimal("12.5"), previous=Decimal("20"), title="行政复议纠错率")
    root = parse(svg)
    bar = bars_of(svg)[0]
    track = root.find("s:rect", NS)
    assert float(bar.get("width")) / float(track.get("width")) == 0.125
    assert "12.5%" in texts(svg) and "上年20%" in texts(svg)
    assert root.find(".//s:g[@class='previous']", NS) is not None


def test_the_rate_bullet_prints_the_figures_as_given():
    svg = rate_bullet(Decimal("42.8571"), previous=Decimal("60"), text="42.9%",
                      previous_text="60.0%", title="败诉率")
    assert "42.9%" in texts(svg) and "上年60.0%" in texts(svg)


def test_the_rate_bullet_without_data_shows_a_dash_and_no_mark():
    svg = rate_bullet(None, title="败诉率")
    assert "—" in texts(svg) and float(bars_of(svg)[0].get("width")) == 0
    assert parse(svg).find(".//s:g[@class='previous']", NS) is None
    over = rate_bullet(130, title="超出", previous=-5)
    assert float(bars_of(over)[0].get("width")) == float(
        parse(over).find("s:rect", NS).get("width"))


def test_the_line_breaks_at_months_without_data():
    months = [Bar(f"{m}月", v) for m, v in
              zip(range(1, 7), [3, 5, None, 2, 4, 0], strict=True)]
    svg = line_chart(months, title="月度立案数", unit="件")
    root = parse(svg)
    lines = root.findall(".//s:polyline", NS)
    assert [len(pl.get("points").split()) for pl in lines] == [2, 3]
    points = root.findall(".//s:circle[@class='point']", NS)
    assert len(points) == 5
    ys = {p.get("data-value"): float(p.get("cy")) for p in points}
    assert ys["0"] > ys["2"] > ys["4"] > ys["5"]  # higher value, higher on the page
    assert "1月" in texts(svg) and "6月" in texts(svg)


def test_a_sparkline_of_nothing_is_still_valid():
    assert parse(sparkline([], title="空")).find("s:polyline", NS) is None
    assert len(parse(sparkline([1, 2, 3], title="趋势")).findall("s:polyline", NS)) == 1


def test_charts_reference_nothing_outside_the_page():
    svgs = [bar_chart([Bar("甲", 1, href="/a/")], title="t"),
            grouped_bar_chart([Group("甲", (Bar("a", 1),))], series=["a"], title="t"),
            rate_bullet(50, title="t", previous=40),
            line_chart([Bar("1月", 1)], title="t"),
            sparkline([1, 2], title="t")]
    for svg in svgs:
        assert "<style" not in svg and "style=" not in svg and "@import" not in svg
        assert not re.search(r"(?:href|src)=\"(?:https?:)?//", svg)
        assert "font-family=" in svg and "SimSun" in svg


def test_numbers_are_written_plainly_and_axis_ends_are_round():
    assert number_text(12, "件") == "12件"
    assert number_text(Decimal("3.50")) == "3.5"
    assert number_text(Decimal("12000.00"), "元") == "12000元"
    assert number_text(None, "%") == "—"
    assert [nice_max(v) for v in (0, 0.4, 1, 3, 10, 11, 47, 120, 501)] == [
        1, 1, 1, 5, 10, 20, 50, 200, 1000]


def test_the_charts_run_without_django():
    assert_runs_without_django(
        "from fazhi.reports import charts\n"
        "charts.bar_chart([charts.Bar('a', 1)], title='t')")
