"""The execution instruments, printed from the case page: the 履行催告书 once the
decision's period to perform has passed (行政强制法第三十五条、第五十四条), and the
强制执行申请书 once the court may be asked (第五十三条、第五十五条). Their periods and
rates come from the rule files, and a refusal names the period it waits for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core.models import Instrument
from fazhi.enforcement.cases import execution
from fazhi.enforcement.models import Case
from tests.core.test_instrument_words import FORBIDDEN
from tests.enforcement.conftest import on
from tests.enforcement.test_documents import text_of

D = dt.date
PAID_BY = D(2025, 9, 30)  # served 2025-09-15: fifteen days to pay


def issue(client, user, case, kind: str) -> str:
    """Ask for ``kind`` on the case page as ``user``; return the page shown after."""
    client.force_login(user)
    page = client.post(reverse("enforcement:document_issue", args=[case.pk]),
                       {"kind": kind}, follow=True)
    assert page.status_code == 200
    return page.content.decode()


def issued(case, kind: str) -> Instrument:
    return Instrument.objects.get(object_id=str(case.pk), kind=f"enforcement.{kind}")


def clean(text: str) -> None:
    assert "{{" not in text and "}}" not in text
    assert not FORBIDDEN.search(text), FORBIDDEN.search(text)


@pytest.fixture
def executing(people, decided):
    """A 1000-yuan fine served on 2025-09-15 and unpaid; execution began 10-20."""
    case = decided(fine="1000", served=True)
    with on(D(2025, 10, 20)):
        execution.case_start_execution(case=case, actor=people.xt_officer)
    return Case.objects.get(pk=case.pk)


def test_the_case_page_offers_both(client, people, executing):
    client.force_login(people.xt_officer)
    with on(D(2025, 10, 20)):
        html = client.get(reverse("enforcement:case_detail",
                                  args=[executing.pk])).content.decode()
    assert '<option value="demand_notice">履行催告书</option>' in html
    assert '<option value="court_application">强制执行申请书</option>' in html


def test_no_demand_while_the_party_may_still_pay(client, people, decided):
    case = decided(fine="1000", served=True)
    with on(D(2025, 9, 25)):
        html = issue(client, people.xt_officer, case, "demand_notice")
    # the refusal names the fine's days from the rule file (penalty.fine_payment)
    assert "决定书载明的履行期限（罚款为收到决定书之日起十五日）尚未届满" in html
    assert not Instrument.objects.filter(kind="enforcement.demand_notice").exists()


def test_the_demand_states_period_sum_way_and_rights(client, people, executing):
    with on(D(2025, 10, 20)):
        html = issue(client, people.xt_officer, executing, "demand_notice")
    assert "已制发履行催告书" in html
    text = text_of(issued(executing, "demand_notice"))
    clean(text)
    for part in (
        "履行催告书", "潭县自然资催告〔2025〕1号", "李四：",
        # Art. 35(1): the period, from coercion.demand
        "自收到本催告书之日起十个工作日内履行下列义务",
        # Art. 35(3): the sum, the fine and the surcharge counted to today:
        # 20 days (10-01 to 10-20) × 3% × 1000 = 600
        "（一）缴纳罚款人民币壹仟元整（¥1,000.00）；",
        "（二）缴纳加处罚款人民币陆佰元整（¥600.00）（计至2025年10月20日）；",
        "截至2025年10月20日合计人民币壹仟陆佰元整（¥1,600.00）",
        "加处罚款自2025年10月1日起每日按罚款数额的百分之三计算",
        # Art. 35(2)(3): the way to pay
        "到指定的银行或者通过电子支付系统缴纳",
        # Art. 35(4), Art. 36: the right to state and defend
        "有权进行陈述和申辩",
        "申请人民法院强制执行",
        "特此催告。",
    ):
        assert part in text, part


def test_a_paid_fine_leaves_only_the_measures_in_the_demand(client, people, decided):
    case = decided(fine="1000", served=True)
    Case.objects.filter(pk=case.pk).update(other_measures="责令退还非法占用的土地")
    with on(D(2025, 10, 20)):
        execution.case_record_payment(case=case, actor=people.xt_officer,
                                      paid_on=D(2025, 10, 20))
        case = Case.objects.get(pk=case.pk)
        case.measures_decided = {"other": "责令退还非法占用的土地"}
        case.save(update_fields=["measures_decided"])
        issue(client, people.xt_officer, case, "demand_notice")
    text = text_of(issued(case, "demand_notice"))
    clean(text)
    assert "（一）责令退还非法占用的土地；" in text
    assert "缴纳罚款" not in text and "合计" not in text


def test_no_application_before_the_demand_has_run(client, people, executing):
    with on(D(2026, 3, 17)):  # the six months to sue ended 2026-03-16
        execution.case_serve_demand(case=executing, actor=people.xt_officer,
                                    served_on=D(2026, 3, 17))
    with on(D(2026, 3, 20)):
        html = issue(client, people.xt_principal, executing, "court_application")
    assert "催告书送达十个工作日后当事人仍未履行方可申请" in html
    assert not Instrument.objects.filter(
        kind="enforcement.court_application").exists()


def test_the_application_carries_what_article_55_lists(client, people, executing):
    with on(D(2026, 3, 17)):
        issue(client, people.xt_officer, executing, "demand_notice")
        execution.case_serve_demand(case=executing, actor=people.xt_officer,
                                    served_on=D(2026, 3, 17))
    with on(D(2026, 4, 2)):
        html = issue(client, people.xt_principal, executing, "court_application")
    assert "已制发强制执行申请书" in html
    text = text_of(issued(executing, "court_application"))
    clean(text)
    demand = issued(executing, "demand_notice").doc_number
    for part in (
        "强制执行申请书", "申请人：湘潭县自然资源局", "被申请人：李四（公民）",
        "申请事项：请求依法强制执行本机关《行政处罚决定书》",
        # the fine and the surcharge, capped at the fine (行政处罚法第七十二条)
        "（一）缴纳罚款人民币壹仟元整（¥1,000.00）；",
        "（二）缴纳加处罚款人民币壹仟元整（¥1,000.00）（计至2026年4月2日）；",
        "事实和理由：", "经调查查明：未经批准占用集体土地建房",
        "于2025年9月15日送达被申请人",
        "被申请人在法定期限内未申请行政复议，也未提起行政诉讼",
        f"本机关于2026年3月17日向被申请人送达了《履行催告书》（{demand}）",
        "催告其自收到之日起十个工作日内履行",
        "申请执行标的：金钱给付人民币贰仟元整（¥2,000.00）",
        # three months from the end of the six months to sue (2026-03-16)
        "本机关在法定期限内（2026年6月16日前）向你院申请强制执行",
        "第五十五条", "此致", "湘潭县人民法院", "负责人（签名）：",
    ):
        assert part in text, part


def test_an_officer_of_another_county_gets_neither(client, people, executing):
    client.force_login(people.xx_officer)
    with on(D(2025, 10, 20)):
        page = client.post(reverse("enforcement:document_issue",
                                   args=[executing.pk]), {"kind": "demand_notice"})
    assert page.status_code == 404
    assert not Instrument.objects.filter(kind="enforcement.demand_notice").exists()
