"""The adopted-rule-set flow: a bureau that adopted no benchmark issues a decision
citing the law and its range only; once it adopts Hunan's file (one step, audited),
a decision cites 湘自然资规〔2022〕1号 by number."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.core.audit import verify
from fazhi.core.models import AuditEvent, RuleAdoption
from fazhi.enforcement import rulesets
from fazhi.enforcement.cases.documents import case_document_issue
from tests.enforcement.conftest import DECIDED_ON, on
from tests.enforcement.test_documents import text_of

HUNAN = "湘自然资规〔2022〕1号"


@pytest.fixture(autouse=True)
def adopted_dir(settings, tmp_path):
    settings.RULES_ADOPTED_DIR = tmp_path / "adopted"
    return settings.RULES_ADOPTED_DIR


def decision_text(people, decided) -> str:
    case = decided(fine="1000")
    with on(DECIDED_ON):
        return text_of(case_document_issue(case=case, kind="decision",
                                           actor=people.xt_officer))


def test_without_an_adopted_benchmark_the_decision_cites_the_law_only(people, decided):
    text = decision_text(people, decided)
    assert "《中华人民共和国土地管理法》第七十七条" in text
    assert "裁量" not in text and "预置" not in text and "fazhi" not in text


def test_after_adopting_hunans_file_the_decision_cites_it_by_number(
        people, decided, login):
    client = login(people.xt_sysadmin)
    page = client.get(reverse("web:rule_adoptions")).content.decode()
    assert "行政处罚裁量基准" in page and "系统预置，待本局确认" in page
    events = AuditEvent.objects.count()
    response = client.post(reverse("web:province_adopt", args=["hunan"]))
    assert response.status_code == 302
    adoption = RuleAdoption.objects.get()
    assert (adoption.document, adoption.standing) == (HUNAN, "province")
    assert AuditEvent.objects.filter(action="rules.adopt").count() == 1
    assert AuditEvent.objects.count() == events + 1
    assert rulesets.benchmark().adopted.document == HUNAN
    text = decision_text(people, decided)
    assert f"《自然资源行政处罚裁量权办法》（{HUNAN}）" in text
    page = client.get(reverse("web:rule_adoptions")).content.decode()
    assert f"省厅文件 {HUNAN}" in page
    assert "罚款裁量档次" not in page  # no longer a placeholder in force
    assert verify().ok


def test_a_bureau_enters_its_own_document_with_a_scanned_copy(people, login):
    client = login(people.xt_sysadmin)
    scan = SimpleUploadedFile("裁量基准.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n",
                              content_type="application/pdf")
    response = client.post(reverse("web:rule_adoptions"), {
        "rule": "enforcement/discretion.toml", "standing": "bureau",
        "title": "湘潭县自然资源局行政处罚裁量基准", "document": "潭县自然资发〔2026〕3号",
        "issued_on": "2026-03-02", "scan": scan})
    assert response.status_code == 302, response.content.decode()
    adoption = RuleAdoption.objects.get()
    assert adoption.scan is not None and adoption.issued_on.isoformat() == "2026-03-02"
    assert rulesets.benchmark().adopted.citation.standing_label == (
        "本局规定 潭县自然资发〔2026〕3号")
    assert verify().ok


def test_only_the_system_administrator_adopts(people, login):
    client = login(people.xt_principal)
    assert client.post(reverse("web:province_adopt", args=["hunan"])).status_code == 403
    assert not RuleAdoption.objects.exists()


def test_a_major_cases_review_opinion_prints_no_preset_words(people, decided):
    # 20,000 yuan passes the preset threshold (公民1万元以上): staff see it is a preset,
    # the 法制审核意见书 prints the threshold and the article only
    case = decided(fine="20000")
    assert case.is_major and "系统预置，待本局确认" in case.major_reasons
    with on(DECIDED_ON):
        text = text_of(case_document_issue(case=case, kind="review_opinion",
                                           actor=people.xt_reviewer))
    assert "公民10,000元以上）" in text and "自然资源行政处罚办法第三十二条" in text
    assert "预置" not in text and "默认" not in text
