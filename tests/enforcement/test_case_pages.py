"""Case pages, API and CLI: the same services behind each, the same refusals."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.enforcement.models import Case, CaseState
from tests.enforcement.conftest import DECIDED_ON, noticed, on

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@pytest.fixture
def major_case(people, filed):
    """A case proposing 20000 yuan (major), its statement window closed."""
    case = noticed(filed(), people.xt_officer, "20000")
    assert case.is_major
    return case


def _state(case) -> str:
    return Case.objects.get(pk=case.pk).state


def test_an_officer_proposes_a_case_and_the_principal_files_it(
        client, login, people, officer2):
    login(people.xt_officer)
    page = client.get(reverse("enforcement:case_new"))
    assert page.status_code == 200 and "立案呈批" in page.content.decode()
    with on(dt.date(2025, 9, 1)):
        response = client.post(reverse("enforcement:case_new"), {
            "violation_type": "illegal_occupation", "party_name": "赵六",
            "party_kind": "person", "location": "湘潭县某镇某村",
            "area_m2": "200", "land_class": "farmland",
            "facts_summary": "未经批准占用耕地建房",
            "officers": [people.xt_officer.pk, officer2.pk]})
    case = Case.objects.get(party_name="赵六")
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.number.startswith("潭县自然资罚案〔2025〕")
    client.logout()
    login(people.xt_principal)
    with on(dt.date(2025, 9, 2)):
        client.post(reverse("enforcement:case_approve_filing", args=[case.pk]),
                    {"confirm": "on"})
        detail = client.get(case.get_absolute_url()).content.decode()
    assert _state(case) == CaseState.FILED
    assert "办案期限" in detail and "2025-12-01" in detail  # 90 days from 9-02
    assert "现场检查、勘测：缺少视频或照片" in detail  # the record gap is shown
    assert "湘潭县局长" in detail or people.xt_principal.full_name in detail


def test_a_case_with_one_officer_cannot_be_filed(client, login, people):
    login(people.xt_officer)
    with on(dt.date(2025, 9, 1)):
        client.post(reverse("enforcement:case_new"), {
            "violation_type": "illegal_occupation", "party_name": "孙七",
            "party_kind": "person", "location": "某村", "area_m2": "50",
            "land_class": "farmland", "facts_summary": "占地",
            "officers": [people.xt_officer.pk]})
    case = Case.objects.get(party_name="孙七")
    client.logout()
    login(people.xt_principal)
    response = client.post(reverse("enforcement:case_approve_filing", args=[case.pk]),
                           {"confirm": "on"})
    assert "执法人员不得少于两人" in response.content.decode()
    assert _state(case) == CaseState.FILING_PENDING


def test_the_web_refuses_a_major_decision_without_legal_review(
        client, login, people, major_case):
    login(people.xt_principal)
    events = AuditEvent.objects.count()
    with on(DECIDED_ON):
        response = client.post(
            reverse("enforcement:case_decide", args=[major_case.pk]),
            {"fine_decided": "20000"})
        detail = client.get(major_case.get_absolute_url()).content.decode()
    assert response.status_code == 200 and "法制审核" in response.content.decode()
    assert _state(major_case) == CaseState.NOTICE_SERVED
    assert AuditEvent.objects.count() == events
    assert "作出行政处罚决定</strong>暂不能办理" in detail


def test_the_decision_instrument_is_refused_without_legal_review(
        client, login, people, major_case):
    login(people.xt_principal)
    with on(DECIDED_ON):
        response = client.post(
            reverse("enforcement:document_issue", args=[major_case.pk]),
            {"kind": "decision"}, follow=True)
    assert "行政处罚决定书" not in "".join(
        i.title for i in major_case.__class__.objects.get(pk=major_case.pk)
        .reviews.none())
    from fazhi.core.models import Instrument

    assert not Instrument.objects.filter(kind="enforcement.decision").exists()
    assert response.status_code == 200


def test_the_api_refuses_a_major_decision_without_legal_review(
        client, login, people, major_case):
    login(people.xt_principal)
    url = reverse("api-enforcement-case-action", args=[major_case.pk, "decide"])
    with on(DECIDED_ON):
        response = client.post(url, {"fine_decided": "20000"})
    assert response.status_code == 400 and "法制审核" in response.content.decode()
    assert _state(major_case) == CaseState.NOTICE_SERVED


def test_the_api_refuses_the_wrong_role_and_hides_other_counties(
        client, login, people, major_case):
    url = reverse("api-enforcement-case-action", args=[major_case.pk, "decide"])
    login(people.xt_officer)
    assert client.post(url, {"fine_decided": "20000"}).status_code == 403
    client.logout()
    login(people.xx_principal)
    assert client.post(url, {"fine_decided": "20000"}).status_code == 404
    assert client.get(reverse("api-enforcement-case",
                              args=[major_case.pk])).status_code == 404
    assert _state(major_case) == CaseState.NOTICE_SERVED


def test_the_cli_refuses_a_major_decision_without_legal_review(people, major_case):
    with on(DECIDED_ON), pytest.raises(CommandError, match="法制审核"):
        call_command("case", "act", str(major_case.pk), "decide",
                     "--user", people.xt_principal.username,
                     "--field", "fine_decided=20000", stdout=StringIO())
    assert _state(major_case) == CaseState.NOTICE_SERVED


def test_the_cli_takes_a_lawful_step_through_the_same_service(people, major_case):
    out = StringIO()
    with on(DECIDED_ON):
        call_command("case", "act", str(major_case.pk), "submit_review",
                     "--user", people.xt_officer.username, stdout=out)
    assert "已提请法制审核" in out.getvalue()
    assert _state(major_case) == CaseState.LEGAL_REVIEW


def test_there_is_no_admin_site_to_go_around_the_services(client, login, people):
    login(people.xt_sysadmin)
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/enforcement/case/").status_code == 404


def test_the_reviewer_passes_with_a_written_opinion_then_the_principal_decides(
        client, login, people, major_case):
    with on(DECIDED_ON):
        login(people.xt_officer)
        client.post(reverse("enforcement:case_submit_review", args=[major_case.pk]), {})
        client.logout()
        login(people.xt_reviewer)
        empty = client.post(reverse("enforcement:case_pass_review",
                                    args=[major_case.pk]), {"passed": "1",
                                                            "opinion": ""})
        assert "书面审核意见" in empty.content.decode()
        client.post(reverse("enforcement:case_pass_review", args=[major_case.pk]),
                    {"passed": "1", "opinion": "事实清楚，证据确凿，同意"})
        client.logout()
        login(people.xt_officer)
        client.post(reverse("enforcement:case_submit_discussion",
                            args=[major_case.pk]), {"reason": "重大案件，提请集体讨论"})
        client.logout()
        login(people.xt_principal)
        client.post(reverse("enforcement:case_hold_collective_discussion",
                            args=[major_case.pk]), {"minutes": "同意", "agree": "1"})
        client.post(reverse("enforcement:case_decide", args=[major_case.pk]),
                    {"fine_decided": "20000"})
    assert _state(major_case) == CaseState.DECIDED


def test_a_recording_fills_the_gap_it_records(client, login, people, filed):
    case = filed()
    login(people.xt_officer)
    upload = SimpleUploadedFile("现场.jpg", JPEG, content_type="image/jpeg")
    response = client.post(reverse("enforcement:record_add", args=[case.pk]), {
        "act": "site_inspection", "kind": "photo", "file": upload,
        "captured_at": "2025-09-01T09:30", "place": "湘潭县某镇某村",
        "device": "执法记录仪 ZFJLY-001"})
    assert response.status_code == 302
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "现场检查、勘测：缺少" not in detail
    assert "询问当事人、证人（询问笔录）：缺少" in detail
    assert "执法记录仪 ZFJLY-001" in detail
    assert case.records.get().evidence.sha256 in detail


def test_the_list_shows_the_counties_own_cases_and_the_city_sees_both(
        client, login, people, filed):
    case = filed()
    login(people.xx_officer)
    assert case.number not in client.get(reverse("enforcement:case_list")).content.decode()
    assert client.get(case.get_absolute_url()).status_code == 404
    client.logout()
    login(people.city_principal)
    assert case.number in client.get(reverse("enforcement:case_list")).content.decode()
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'name="kind"' not in page  # the city reads; the county acts


def test_the_list_filters_by_stage_and_keyword(client, login, people, filed):
    case = filed()
    login(people.xt_officer)
    url = reverse("enforcement:case_list")
    assert case.number in client.get(url, {"stage": "investigation"}).content.decode()
    assert case.number not in client.get(url, {"stage": "decision"}).content.decode()
    assert case.number in client.get(url, {"q": "李四"}).content.decode()


def test_a_filed_case_offers_the_notice_and_the_no_penalty_review(
        client, login, people, filed):
    case = filed()
    page = login(people.xt_officer).get(case.get_absolute_url()).content.decode()
    assert reverse("enforcement:case_serve_notice", args=[case.pk]) in page
    assert reverse("enforcement:case_submit_review", args=[case.pk]) in page
    assert "暂不能办理" not in page
    # Words, not codes: the violation type, land class and stages read as the bureau's.
    assert "非法占用" in page and "illegal_occupation" not in page
    assert "farmland" not in page


def test_the_reviewer_is_offered_one_review_form_not_a_refusal(
        client, login, people, major_case):
    with on(DECIDED_ON):
        login(people.xt_officer).post(
            reverse("enforcement:case_submit_review", args=[major_case.pk]), {})
        page = login(people.xt_reviewer).get(major_case.get_absolute_url())
    html = page.content.decode()
    assert html.count(reverse("enforcement:case_pass_review",
                              args=[major_case.pk])) == 1
    assert "须出具书面审核意见（行政处罚法第五十八条）" not in html
    # The principal cannot decide yet, and the page says why.
    with on(DECIDED_ON):
        html = login(people.xt_principal).get(
            major_case.get_absolute_url()).content.decode()
    assert reverse("enforcement:case_decide", args=[major_case.pk]) not in html


def test_the_enforcement_pages_are_in_the_officers_navigation(client, login, people):
    html = login(people.xt_officer).get(reverse("web:home")).content.decode()
    for name in ("enforcement:case_list", "enforcement:lead_list",
                 "enforcement:publicity_due"):
        assert f'href="{reverse(name)}"' in html
    assert f'href="{reverse("enforcement:file_review_list")}"' not in html
    html = login(people.xt_supervisor).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("enforcement:file_review_list")}"' in html
