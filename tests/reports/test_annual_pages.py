"""Annual reports through the services and the pages: generate within scope, preview
with linked figures, edits kept per version with audit, the check and sign-off, the
.docx whose every figure equals the metric it names, and ``fazhi report annual``."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from fazhi.core.models import AuditEvent
from fazhi.reports import services
from fazhi.reports.annual import EDITABLE, figure_text
from fazhi.reports.check import confirmation_key
from fazhi.reports.metrics import metric_compare, metric_value
from fazhi.reports.models import AnnualReport, ReportState

YEAR = dt.date.today().year - 1


@pytest.fixture
def disputes(people):
    """Two years of reconsiderations and lawsuits in 湘潭县, through their services."""
    from fazhi.disputes.demo import load

    load(prefix="xt")
    return people


@pytest.fixture
def report(disputes):
    return services.report_create(actor=disputes.xt_legal,
                                  org_unit=disputes.xt_legal.org_unit, year=YEAR)


def preview(client, report):
    return client.get(reverse("reports:annual_preview", args=[report.pk]))


def test_generating_makes_a_draft_with_defaults_and_a_first_version(report, disputes):
    assert report.state == ReportState.DRAFT
    assert report.addressee == "中共湘潭县委、湘潭县人民政府："
    assert report.signing_org == "湘潭县自然资源局"
    v = report.versions.get()
    assert v.number == 1 and v.edits == {}
    snap = v.figures["reconsideration.received"]
    mv = metric_value("reconsideration.received", org_unit=report.org_unit,
                      start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31))
    assert snap["value"] == str(mv.value) and snap["record_count"] == len(mv.records)
    assert AuditEvent.objects.filter(action="reports.annual.create",
                                     object_id=str(report.pk)).exists()


def test_a_second_report_of_the_same_year_is_refused_by_field(report, disputes):
    with pytest.raises(ValidationError) as e:
        services.report_create(actor=disputes.xt_principal,
                               org_unit=report.org_unit, year=YEAR)
    assert "已经存在" in e.value.message_dict["year"][0]


def test_a_county_cannot_generate_for_its_neighbour_but_the_city_can(disputes):
    with pytest.raises(PermissionDenied):
        services.report_create(actor=disputes.xx_legal,
                               org_unit=disputes.xt_legal.org_unit, year=YEAR)
    r = services.report_create(actor=disputes.city_principal,
                               org_unit=disputes.xt_legal.org_unit, year=YEAR)
    assert r.org_unit.division_code == "430321"
    assert not services.may_edit(disputes.city_principal, r)


def test_generate_page_for_a_city_user_lists_the_counties_below(disputes, login):
    client = login(disputes.city_principal)
    page = client.get(reverse("reports:annual_list"))
    assert page.status_code == 200
    assert 'value="430321"' in page.content.decode()
    done = client.post(reverse("reports:annual_generate"),
                       {"org": "430381", "year": YEAR})
    assert done.status_code == 302
    assert AnnualReport.objects.get(org_unit__division_code="430381", year=YEAR)


def test_a_county_user_may_not_pick_another_county(disputes, login):
    client = login(disputes.xx_legal)
    page = client.post(reverse("reports:annual_generate"),
                       {"org": "430321", "year": YEAR})
    assert page.status_code == 400
    assert "请选择本机关或下级机关" in page.content.decode()


def test_outside_the_subtree_a_report_does_not_exist(report, disputes, login):
    client = login(disputes.xx_principal)
    for name in ("annual_preview", "annual_edit", "annual_versions", "annual_check",
                 "annual_export"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])
                          ).status_code == 404, name


def test_roles_without_reports_are_refused(report, disputes, login):
    client = login(disputes.xt_clerk)
    assert client.get(reverse("reports:annual_list")).status_code == 403
    assert client.get(reverse("reports:annual_preview", args=[report.pk])
                      ).status_code == 403


def test_preview_links_every_figure_to_its_records(report, disputes, login):
    html = preview(login(disputes.xt_supervisor), report).content.decode()
    links = re.findall(r'<a class="figure[^"]*" href="([^"]+)"[^>]*'
                       r'data-metric="([^"]+)">([^<]+)</a>', html)
    assert len(links) > 30
    metric_ids = {m for _, m, _ in links}
    assert "reconsideration.correction_rate" in metric_ids
    url, _, shown = next(x for x in links if x[1] == "reconsideration.received")
    url = url.replace("&amp;", "&")
    assert url.startswith("/reports/metrics/reconsideration.received/?org=430321")
    assert f"start={YEAR}-01-01" in url and f"end={YEAR}-12-31" in url
    mv = metric_value("reconsideration.received", org_unit=report.org_unit,
                      start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31))
    assert shown == mv.shown
    records = login(disputes.xt_supervisor).get(url)
    assert records.status_code == 200
    assert mv.records[0].label in records.content.decode()


def test_editing_a_narrative_paragraph_saves_a_version_with_audit(report, disputes,
                                                                  login):
    client = login(disputes.xt_legal)
    url = reverse("reports:annual_edit", args=[report.pk])
    form = client.get(url)
    assert form.status_code == 200 and "叙述段落" in form.content.decode()
    done = client.post(url, {
        "document_number": f"潭县自然资字〔{YEAR + 1}〕3号",
        "addressee": report.addressee,
        "signing_org": report.signing_org, "signed_on": f"{YEAR + 1}-01-15",
        "p:s1.study.narrative": "坚持党组理论学习中心组学法制度，"
                                "全年专题学习习近平法治思想。",
        "note": "补充学法举措", "base_number": 1})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.document_number == f"潭县自然资字〔{YEAR + 1}〕3号"
    v2 = services.latest_version(report)
    assert v2.number == 2 and list(v2.edits) == ["s1.study.narrative"]
    event = AuditEvent.objects.filter(action="reports.annual.save").latest("seq")
    assert "补充学法举措" in event.payload and "s1.study.narrative" in event.payload
    assert "全年专题学习习近平法治思想" in preview(client, report).content.decode()
    old = client.get(reverse("reports:annual_preview", args=[report.pk]) + "?version=1")
    assert "全年专题学习习近平法治思想" not in old.content.decode()
    history = client.get(reverse("reports:annual_versions", args=[report.pk]))
    assert "补充学法举措" in history.content.decode()


def test_the_history_names_what_each_version_changed_in_the_reports_words(
        report, disputes, login):
    services.report_save_version(report=report, actor=disputes.xt_legal, edits={
        "s3.plans": "一是……", "confirm:nodata:patches.received": "本年度无卫片下发"},
        base_number=1)
    page = login(disputes.xt_legal).get(
        reverse("reports:annual_versions", args=[report.pk])).content.decode()
    assert "三、下一年度工作安排" in page
    assert "确认“下发图斑数”本年度确无此类事项" in page
    assert "confirm:" not in page and "patches.received" not in page
    assert "s3.plans" not in page


def test_an_edit_on_a_stale_version_is_refused_and_names_the_version(report, disputes):
    services.report_save_version(report=report, actor=disputes.xt_legal,
                                 edits={"s3.plans": "一是……"}, base_number=1)
    with pytest.raises(ValidationError) as e:
        services.report_save_version(report=report, actor=disputes.xt_principal,
                                     edits={"s3.plans": "二是……"}, base_number=1)
    assert "现为第2版" in e.value.message_dict["edits"][0]


def test_generated_paragraphs_cannot_be_edited(report, disputes):
    with pytest.raises(ValidationError) as e:
        services.report_save_version(report=report, actor=disputes.xt_legal,
                                     edits={"s1.disputes.reconsideration": "0件"})
    assert "不可编辑" in e.value.message_dict["edits"][0]


def test_a_bad_document_number_and_signing_date_are_named_by_field(report, disputes,
                                                                   login):
    client = login(disputes.xt_legal)
    page = client.post(reverse("reports:annual_edit", args=[report.pk]), {
        "signed_on": f"{YEAR + 3}-01-15", "base_number": 1,
        "addressee": report.addressee, "signing_org": report.signing_org})
    assert page.status_code == 400
    assert f"成文日期应在{YEAR}年或{YEAR + 1}年" in page.content.decode()


def test_signing_is_refused_while_the_check_lists_problems(report, disputes, login):
    client = login(disputes.xt_principal)
    check = client.get(reverse("reports:annual_check", args=[report.pk]))
    assert "缺少发文字号" in check.content.decode()
    assert "尚未填写的段落" in check.content.decode()
    with pytest.raises(ValidationError):
        services.report_sign(report=report, actor=disputes.xt_principal)
    done = client.post(reverse("reports:annual_sign", args=[report.pk]))
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_a_settled_report_is_signed_and_then_frozen(report, disputes, login):
    legal = disputes.xt_legal
    edits = {pid: "已写明。" for pid in EDITABLE}
    services.report_save_version(report=report, actor=legal, edits=edits, header={
        "document_number": f"潭县自然资字〔{YEAR + 1}〕3号",
        "signed_on": dt.date(YEAR + 1, 1, 15), "issuer": "王五"})
    problems = services.report_problems(report)
    assert all(p.confirmable for p in problems), [p.message for p in problems]
    first, *rest = problems
    done = login(legal).post(reverse("reports:annual_check", args=[report.pk]),
                             {"key": first.key, "reason": "本年度确无此类事项"})
    assert done.status_code == 302
    services.report_save_version(report=report, actor=legal, edits={
        confirmation_key(p.key): "本年度确无此类事项" for p in rest})
    assert services.report_problems(report) == []
    assert confirmation_key("nodata:permits.accepted") in \
        services.latest_version(report).edits
    with pytest.raises(PermissionDenied):
        services.report_sign(report=report, actor=legal)
    version = services.report_sign(report=report, actor=disputes.xt_principal)
    report.refresh_from_db()
    assert report.state == ReportState.SIGNED and version.note == "签发"
    with pytest.raises(ValidationError):
        services.report_save_version(report=report, actor=legal,
                                     edits={"s3.plans": "x"})
    assert AuditEvent.objects.filter(action="reports.annual.sign").count() == 1


def figures_in(docx: bytes) -> list[tuple[str, str, str]]:
    """(role, metric id, text) of every tagged figure in the file."""
    d = Document(io.BytesIO(docx))
    out = []
    for sdt in d.element.body.iter(qn("w:sdt")):
        role, mid = sdt.find(qn("w:sdtPr")).find(qn("w:tag")).get(qn("w:val")
                                                                  ).split(":", 1)
        out.append((role, mid, "".join(t.text for t in sdt.iter(qn("w:t")))))
    return out


def check_figures_equal_metrics(docx: bytes, org, year: int) -> int:
    found = figures_in(docx)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for role, mid, text in found:
        if role == "metric":
            mv = metric_value(mid, org_unit=org, start=start, end=end)
            assert text == mv.shown, mid
        else:
            assert text == metric_compare(mid, org_unit=org, year=year).change_text, mid
    return len(found)


def test_every_figure_in_the_export_equals_the_metric_it_names(report, disputes,
                                                               login):
    response = login(disputes.xt_legal).get(
        reverse("reports:annual_export", args=[report.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert check_figures_equal_metrics(response.content, report.org_unit, YEAR) > 30
    roles = {role for role, _, _ in figures_in(response.content)}
    assert roles == {"metric", "change"}


def test_command_writes_the_docx_with_progress_on_stderr(disputes, tmp_path, capsys):
    out = tmp_path / "报告.docx"
    call_command("report", "annual", "--org", "430321", "--year", str(YEAR),
                 "--out", str(out))
    err = capsys.readouterr().err
    assert "计算指标" in err and "已写出" in err
    data = out.read_bytes()
    org = disputes.xt_legal.org_unit
    assert check_figures_equal_metrics(data, org, YEAR) > 30
    text = "".join(t.text for t in Document(io.BytesIO(data)).element.body.iter(
        qn("w:t")))
    assert f"湘潭县自然资源局{YEAR}年法治政府建设年度报告" in text


def test_command_names_an_unknown_organisation(disputes, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="999999"):
        call_command("report", "annual", "--org", "999999", "--year", str(YEAR),
                     "--out", str(tmp_path / "x.docx"))


def test_a_signed_report_is_rendered_from_the_figures_it_was_signed_with(report,
                                                                         disputes):
    from fazhi.reports.models import ReportVersion

    v = services.latest_version(report)
    figures = dict(v.figures)
    figures["reconsideration.received"] = {**figures["reconsideration.received"],
                                           "value": "99"}
    ReportVersion.objects.filter(pk=v.pk).update(figures=figures)
    AnnualReport.objects.filter(pk=report.pk).update(state=ReportState.SIGNED)
    report.refresh_from_db()
    doc, _, _ = services.report_document(report)
    assert "99件" in doc.paragraph("s1.disputes.reconsideration").text
    assert figure_text  # the same formatting as the live figures
    assert Decimal(figures["reconsideration.received"]["value"]) == 99
