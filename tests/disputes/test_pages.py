"""Dispute pages: scope, roles, the rates page with its definitions, baselines,
and the review of a corrected matter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.disputes import review, services
from fazhi.disputes.models import CaseReview, Reconsideration
from tests.disputes.test_services import MON, on


@pytest.fixture
def revoked(people):
    legal = people.xt_legal
    with on(MON):
        item = services.reconsideration_register(
            actor=legal, number="潭府复〔2025〕3号", applicant_name="李四",
            body="湘潭县人民政府", challenged_act="行政处罚决定", copy_received_on=MON)
        return services.reconsideration_conclude(item=item, actor=legal,
                                                 outcome="revoked", concluded_on=MON)


def test_another_county_gets_not_found(client, people, revoked):
    client.force_login(people.xx_legal)
    for url in (revoked.get_absolute_url(),
                reverse("disputes:action", args=["reconsideration", revoked.pk,
                                                 "review"])):
        assert client.get(url).status_code == 404
    assert revoked.number not in client.get(reverse("disputes:list")).content.decode()


def test_roles_outside_legal_affairs_cannot_act(client, people, revoked):
    client.force_login(people.xt_officer)
    assert client.get(reverse("disputes:list")).status_code == 403
    client.force_login(people.xt_principal)
    assert client.get(revoked.get_absolute_url()).status_code == 200
    assert client.get(reverse("disputes:reconsideration_new")).status_code == 403


def test_the_rates_page_states_the_definition_and_links_both_sides(
        client, people, revoked):
    client.force_login(people.xt_principal)
    html = client.get(reverse("disputes:rates"), {"year": "2025"}).content.decode()
    assert "100.0%" in html and "司法部2018年行政复议统计" in html
    assert "系统预置，待本局确认，口径待核实" in html
    # the standing in words, never developer references
    assert "docs/" not in html and "UNCONFIRMED" not in html
    assert "fazhi 默认" not in html and "见 merits_loss_rate" not in html
    den = client.get(reverse("disputes:rate_records",
                             args=["correction_rate", "denominator"]),
                     {"year": "2025"}).content.decode()
    assert revoked.number in den
    empty = client.get(reverse("disputes:rates"), {"year": "2019"}).content.decode()
    assert "0.0%" not in empty and "—" in empty
    assert client.get(reverse("disputes:rate_records", args=["nope", "numerator"])
                      ).status_code == 404


def test_a_baseline_gives_last_years_figure_with_its_source(client, people, revoked):
    client.force_login(people.xt_legal)
    response = client.post(reverse("disputes:baseline"), {
        "year": "2024", "rate_id": "correction_rate", "numerator": "1",
        "denominator": "8", "source": "2024年法治政府建设年度报告"})
    assert response.status_code == 302
    html = client.get(reverse("disputes:rates"), {"year": "2025"}).content.decode()
    assert "12.5%" in html and "据2024年法治政府建设年度报告" in html
    assert "上升87.5个百分点" in html
    bad = client.post(reverse("disputes:baseline"), {
        "year": "2024", "rate_id": "correction_rate", "numerator": "9",
        "denominator": "8", "source": "x"})
    assert "分子须为不大于分母" in bad.content.decode()


def test_a_corrected_matter_is_reviewed_with_measures_and_counted_by_cause(
        client, people, revoked):
    review.causes_sync()
    client.force_login(people.xt_legal)
    page = client.get(revoked.get_absolute_url()).content.decode()
    assert "尚未复盘" in page
    cause = review.ReviewCause.objects.get(code="evidence_insufficient")
    with on(MON):
        client.post(reverse("disputes:action", args=["reconsideration", revoked.pk,
                                                     "review"]),
                    {"cause": cause.pk, "department": people.xt_officer.department_id,
                     "summary": "现场勘测图未标注四至", "reviewed_on": "2025-09-01"})
    item = CaseReview.objects.get()
    with on(MON):
        client.post(reverse("disputes:measure_new", args=[item.pk]),
                    {"description": "勘测图模板增加四至栏", "owner": people.xt_officer.pk,
                     "deadline": "2025-10-31"})
    assert item.measures.count() == 1
    client.force_login(people.xt_legal)  # back in today's time: a new session
    html = client.get(reverse("disputes:class_review"), {"year": "2025"}
                      ).content.decode()
    assert "证据不足、事实不清：1 件（上一期 0 件）" in html and "执法大队：1 件" in html


def test_a_review_is_refused_for_a_matter_that_was_not_corrected(people):
    review.causes_sync()
    with on(MON):
        item = services.reconsideration_register(
            actor=people.xt_legal, number="潭府复〔2025〕4号", applicant_name="李四",
            body="湘潭县人民政府", challenged_act="处罚", copy_received_on=MON)
        services.reconsideration_conclude(item=item, actor=people.xt_legal,
                                          outcome="upheld", concluded_on=MON)
        with pytest.raises(Exception, match="只有被纠错"):
            review.review_record(matter=item, actor=people.xt_legal,
                                 cause=review.ReviewCause.objects.first(),
                                 department=people.xt_legal.department, summary="x",
                                 reviewed_on=MON)
    assert not CaseReview.objects.exists()


def test_the_reply_is_filed_with_its_evidence_and_a_permit_can_be_challenged(
        client, people, kinds):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fazhi.core.models import AuditEvent, Evidence
    from fazhi.permits import services as permits

    with on(MON):
        app = permits.application_register(
            actor=people.xt_clerk, kind=kinds["rural_planning"], applicant_name="王五",
            applicant_kind="person", project_name="自建房", location="某村",
            received_on=MON, clerk=people.xt_clerk)
    client.force_login(people.xt_legal)
    with on(MON):
        response = client.post(reverse("disputes:reconsideration_new"), {
            "number": "潭府复〔2025〕8号", "applicant_name": "王五",
            "body": "湘潭县人民政府", "challenged_act": "不予许可决定",
            "case_number": app.number, "copy_received_on": "2025-09-01"})
        assert response.status_code == 302
        item = Reconsideration.objects.get(number="潭府复〔2025〕8号")
        assert item.challenged == app
        scan = SimpleUploadedFile("答复书.pdf", b"%PDF-1.4\n%reply\n",
                                  content_type="application/pdf")
        client.post(reverse("disputes:action", args=["reconsideration", item.pk,
                                                     "reply"]),
                    {"on": "2025-09-01", "files": [scan]})
    evidence = Evidence.objects.get(object_id=str(item.pk),
                                    content_type__model="reconsideration")
    event = AuditEvent.objects.get(action="disputes.reconsideration_reply")
    assert evidence.sha256 in event.evidence
    client.force_login(people.xt_legal)  # back in today's time: a new session
    bad = client.post(reverse("disputes:reconsideration_new"), {
        "number": "潭府复〔2025〕9号", "applicant_name": "王五", "body": "县政府",
        "challenged_act": "x", "case_number": "不存在的编号",
        "copy_received_on": "2025-09-01"})
    assert "本机关没有编号为" in bad.content.decode()
