"""Enforcement publicity: publish redacted, flag late, withdraw in 3 working days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core import audit
from fazhi.core.models import AuditEvent
from fazhi.deadlines.calendars import calendar_from_db
from fazhi.deadlines.models import ClockState
from fazhi.deadlines.rules import load_rules
from fazhi.enforcement.cases import services
from fazhi.enforcement.models import Lead, LeadSource, TipChannel
from fazhi.enforcement.publicity import services as publicity
from fazhi.enforcement.publicity import views as public_views
from tests.enforcement.conftest import DECIDED_ON, on

ID_NUMBER = "430321199001011234"
PHONE = "13812345678"
ADDRESS = "湘潭县某镇某村3组45号"
FACTS = (
    f"当事人李四（身份证号{ID_NUMBER}，电话{PHONE}，住{ADDRESS}）"
    "未经批准占用集体土地建房。"
)
DUE = dt.date(2025, 9, 24)  # 7 working days after Mon 15 September 2025


@pytest.fixture
def person_case(decided):
    """A decided case against 李四 whose file holds every kind of personal data."""
    return decided(
        party_id_number=ID_NUMBER,
        party_phone=PHONE,
        party_address=ADDRESS,
        facts_summary=FACTS,
    )


@pytest.fixture
def tipped_case(people, orgs, decided):
    """A decided case opened from 王五's tip; the facts name the tipster."""
    lead = Lead.objects.create(
        org_unit=orgs["xt"],
        number="线索-1",
        source=LeadSource.TIP,
        channel=TipChannel.PHONE,
        received_on=dt.date(2025, 8, 20),
        location="湘潭县某镇某村",
        description="有人占地建房",
        tipster_name="王五",
        tipster_phone="13900002222",
        assignee=people.xt_officer,
        created_by=people.xt_officer,
    )
    facts = "经王五（电话13900002222）举报，当事人李四未经批准占用集体土地建房。"
    return decided(lead=lead, facts_summary=facts)


def publish(case, actor, day=DUE):
    with on(day):
        return publicity.publication_publish(case=case, actor=actor)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- the rule -------------------------------------------------------------------------


def test_publish_rule_is_7_working_days_from_the_decision_under_118():
    rule = load_rules()["penalty.publicity_publish"]

    assert (rule.unit, rule.length, rule.extension_cap) == ("working_day", 7, 0)
    assert rule.version == "国办发〔2018〕118号" and "加强事后公开" in rule.article
    assert "决定作出之日" in rule.start_event and rule.source


def test_publish_due_date_skips_the_weekend(db):
    assert publicity.publication_due_date(DECIDED_ON) == DUE


# --- publishing -----------------------------------------------------------------------


def test_published_decision_is_on_the_public_list_without_login(
    client, people, person_case
):
    pub = publish(person_case, people.xt_officer)

    html = page(client, "/gongshi/430321/")

    assert pub.decision_number == person_case.number  # no decision instrument yet
    assert pub.decision_number in html and "罚款人民币1,000元" in html
    assert not pub.published_late
    detail = page(client, f"/gongshi/430321/{pub.pk}/")
    assert "未经批准占用集体土地建房" in detail and "非法占用土地" in detail
    assert "《土地管理法》（2019年修正）第七十七条" in detail


def test_natural_persons_data_never_reaches_the_public_pages(
    client, people, person_case
):
    pub = publish(person_case, people.xt_officer)

    html = page(client, "/gongshi/430321/") + page(client, f"/gongshi/430321/{pub.pk}/")

    assert pub.party_shown == "李某"
    assert "李某" in html
    for secret in ("李四", ID_NUMBER, PHONE, ADDRESS, "3组45号"):
        assert secret not in html, secret
    assert "湘潭县某镇某村" in html  # the village stays
    hidden = {r["category"] for r in pub.redactions}
    assert {"name", "id_number", "phone", "address"} <= hidden
    assert all("李四" not in str(r) for r in pub.redactions)


def test_an_organisations_name_is_shown(client, people, decided):
    case = decided(party_kind="organisation", party_name="湘潭某某建材有限公司")

    pub = publish(case, people.xt_principal)

    assert pub.party_shown == "湘潭某某建材有限公司"
    assert "湘潭某某建材有限公司" in page(client, "/gongshi/430321/")


def test_a_tipsters_identity_never_appears_even_when_the_facts_name_them(
    client, people, tipped_case
):
    pub = publish(tipped_case, people.xt_officer)

    html = page(client, f"/gongshi/430321/{pub.pk}/")

    assert "（举报人信息已隐去）" in pub.facts_shown
    assert "王五" not in html and "13900002222" not in html
    assert "没有符合条件" in page(client, "/gongshi/430321/?q=王五")


def test_publication_after_7_working_days_is_flagged_late(people, decided):
    on_time = publish(decided(), people.xt_officer, day=DUE)
    late = publish(decided(), people.xt_officer, day=DUE + dt.timedelta(days=1))

    assert not on_time.published_late
    assert late.published_late


def test_late_flag_from_published_on_given_by_the_officer(people, decided):
    case = decided()

    with on(dt.date(2025, 10, 9)):
        pub = publicity.publication_publish(
            case=case, actor=people.xt_officer, published_on=dt.date(2025, 9, 25)
        )

    assert pub.published_late and pub.published_on == dt.date(2025, 9, 25)


def test_no_penalty_decision_and_undecided_case_are_not_published(people, filed):
    undecided = filed()
    with on(DECIDED_ON), pytest.raises(ValidationError, match="尚未作出处罚决定"):
        publicity.publication_publish(case=undecided, actor=people.xt_officer)

    with on(DECIDED_ON):
        not_penalised(undecided, people.xt_principal)
    with on(DECIDED_ON), pytest.raises(ValidationError, match="不予行政处罚"):
        publicity.publication_publish(case=undecided, actor=people.xt_officer)


def not_penalised(case, principal):
    """Decide not to penalise, straight from investigation (Art. 33)."""
    return services.case_decide_no_penalty(
        case=case,
        actor=principal,
        reason="违法行为轻微并及时改正，没有造成危害后果，依法不予行政处罚",
    )


def test_a_decision_is_published_once(people, person_case):
    publish(person_case, people.xt_officer)

    with on(DUE), pytest.raises(ValidationError, match="已经公示"):
        publicity.publication_publish(case=person_case, actor=people.xt_principal)


@pytest.mark.parametrize("who", ["xx_officer", "xt_reviewer", "city_principal"])
def test_only_the_bureaus_own_officers_and_principal_may_publish(
    people, person_case, who
):
    with on(DUE), pytest.raises(PermissionDenied):
        publicity.publication_publish(case=person_case, actor=people[who])


# --- withdrawal -----------------------------------------------------------------------


def order_withdrawal(case, actor, day=dt.date(2025, 9, 30)):
    with on(day):
        return publicity.publication_withdraw_order(
            case=case,
            actor=actor,
            ordered_on=day,
            ground="原处罚决定经行政复议被撤销（李四申请）",
        )


def test_withdraw_order_starts_3_working_days_over_national_day(people, person_case):
    publish(person_case, people.xt_officer)

    pub = order_withdrawal(person_case, people.xt_officer)

    clock = pub.withdraw_clock
    assert clock.rule_id == "penalty.publicity_withdraw"
    expected = calendar_from_db().nth_working_day_after(dt.date(2025, 9, 30), 3)
    # 1-8 October are days off; Saturday 11 October is a make-up working day.
    assert clock.due_date == expected == dt.date(2025, 10, 11)
    assert pub.withdrawal_due and pub.withdraw_ground.endswith("（李某申请）")


def test_withdrawn_decision_leaves_the_public_list_and_shows_only_the_reason(
    client, people, person_case
):
    pub = publish(person_case, people.xt_officer)
    order_withdrawal(person_case, people.xt_officer)
    assert pub.decision_number in page(client, "/gongshi/430321/")  # until taken down

    with on(dt.date(2025, 10, 9)):
        publicity.publication_withdraw(
            publication=pub,
            actor=people.xt_principal,
            withdrawn_on=dt.date(2025, 10, 9),
        )

    assert not publicity.publication_public_list(org_unit=pub.org_unit).exists()
    listing = page(client, "/gongshi/430321/")
    assert f"/gongshi/430321/{pub.pk}/" not in listing and "罚款人民币" not in listing
    assert "已撤下的处罚决定信息" in listing and "行政复议被撤销" in listing
    detail = page(client, f"/gongshi/430321/{pub.pk}/")
    assert "已于 2025年10月9日 撤下" in detail
    assert "未经批准占用" not in detail and "罚款人民币" not in detail
    pub.withdraw_clock.refresh_from_db()
    assert pub.withdraw_clock.state == ClockState.STOPPED
    assert pub.withdraw_clock.status == "done"


def test_withdrawal_needs_an_order_first_and_a_publication(people, person_case):
    with pytest.raises(ValidationError, match="尚未公示"):
        order_withdrawal(person_case, people.xt_officer)
    pub = publish(person_case, people.xt_officer)

    with on(DUE), pytest.raises(ValidationError, match="变更或撤销的事由"):
        publicity.publication_withdraw(
            publication=pub, actor=people.xt_officer, withdrawn_on=DUE
        )


def test_another_county_cannot_order_or_record_a_withdrawal(people, person_case):
    pub = publish(person_case, people.xt_officer)

    with pytest.raises(PermissionDenied):
        order_withdrawal(person_case, people.xx_officer)
    order_withdrawal(person_case, people.xt_officer)
    with on(dt.date(2025, 10, 9)), pytest.raises(PermissionDenied):
        publicity.publication_withdraw(
            publication=pub,
            actor=people.xx_principal,
            withdrawn_on=dt.date(2025, 10, 9),
        )


# --- audit ----------------------------------------------------------------------------


def test_every_change_is_audited_and_the_chain_verifies(people, person_case):
    pub = publish(person_case, people.xt_officer)
    order_withdrawal(person_case, people.xt_officer)
    with on(dt.date(2025, 10, 9)):
        publicity.publication_withdraw(
            publication=pub,
            actor=people.xt_officer,
            withdrawn_on=dt.date(2025, 10, 9),
        )

    actions = list(
        AuditEvent.objects.filter(object_type="enforcement.Publication")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "publicity.publish",
        "publicity.withdraw_order",
        "publicity.withdraw",
    ]
    clock_actions = set(
        AuditEvent.objects.filter(action__startswith="clock.").values_list(
            "action", flat=True
        )
    )
    assert {"clock.start", "clock.stop"} <= clock_actions
    assert audit.verify().ok


# --- public pages ---------------------------------------------------------------------


def test_index_lists_the_county_bureaus_only(client, orgs):
    html = page(client, "/gongshi/")

    assert "湘潭县自然资源局" in html and "湘乡市自然资源局" in html
    assert "湘潭市自然资源和规划局" not in html
    assert client.get("/gongshi/430300/").status_code == 404


def test_public_pages_carry_no_script_and_the_csp(client, people, person_case):
    pub = publish(person_case, people.xt_officer)

    for url in (
        "/gongshi/",
        "/gongshi/430321/",
        f"/gongshi/430321/{pub.pk}/",
        "/gongshi/430321/basics/",
    ):
        response = client.get(url)
        assert "<script" not in response.content.decode()
        assert "default-src 'self'" in response["Content-Security-Policy"]


def test_a_publication_is_found_only_under_its_own_bureau(client, people, person_case):
    pub = publish(person_case, people.xt_officer)

    assert client.get(f"/gongshi/430381/{pub.pk}/").status_code == 404


def test_search_and_year_filter_the_list(client, people, person_case, decided):
    pub = publish(person_case, people.xt_officer)
    other = publish(
        decided(party_kind="organisation", party_name="湘潭某某砂石场"),
        people.xt_officer,
    )

    html = page(client, "/gongshi/430321/?q=砂石场")
    assert other.decision_number in html and pub.decision_number not in html
    assert "没有符合条件" in page(client, "/gongshi/430321/?year=2024")
    assert pub.decision_number in page(client, "/gongshi/430321/?year=2025")


def test_list_is_paginated(client, people, decided, monkeypatch):
    monkeypatch.setattr(public_views, "PAGE_SIZE", 1)
    publish(decided(party_name="张三"), people.xt_officer)
    publish(decided(party_name="赵六"), people.xt_officer)

    first = page(client, "/gongshi/430321/")
    second = page(client, "/gongshi/430321/?page=2")

    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second


def test_basics_page_lists_officers_with_badges_and_no_phone(client, people):
    from fazhi.core.models import User

    User.objects.filter(pk=people.xt_officer.pk).update(phone="13700003333")
    officers = User.objects.filter(
        org_unit__division_code="430321", role_grants__role="enforcement_officer"
    )

    html = page(client, "/gongshi/430321/basics/")

    assert officers.exists()
    for officer in officers:
        assert officer.full_name in html and officer.badge_number in html
    assert "13700003333" not in html
    assert people.xx_officer.full_name not in html
    assert people.xt_reviewer.full_name not in html
    assert "非法占用土地" in html and "第七十七条" in html
    assert "法制审核" in html and "湘潭县人民政府" in html


def test_basics_gives_name_and_badge_only():
    fields = set(publicity.OfficerShown.__dataclass_fields__)

    assert fields == {"name", "badge"}


# --- staff pages ----------------------------------------------------------------------


def test_due_list_shows_unpublished_decisions_with_due_dates(
    people, person_case, filed
):
    no_penalty = filed(party_name="赵六")
    with on(DECIDED_ON):
        not_penalised(no_penalty, people.xt_principal)

    with on(dt.date(2025, 9, 25)):
        due = publicity.publication_due_list(actor=people.xt_officer)

    assert [(u.case, u.due, u.overdue) for u in due.unpublished] == [
        (person_case, DUE, True)
    ]
    assert publicity.publication_due_list(actor=people.xx_officer).unpublished == []


def test_staff_page_publishes_and_orders_withdrawal(login, people, person_case):
    with on(DUE):
        client = login(people.xt_officer)
        html = page(client, "/enforcement/publicity/")
        assert person_case.number in html and "2025-09-24" in html
        form = page(client, f"/enforcement/publicity/cases/{person_case.pk}/publish/")
        assert "公示内容预览" in form and "（身份证号码已隐去）" in form
        response = client.post(
            f"/enforcement/publicity/cases/{person_case.pk}/publish/",
            {"published_on": "2025-09-24"},
        )
    assert response["Location"] == "/enforcement/publicity/"
    pub = person_case.publication
    with on(dt.date(2025, 9, 30)):  # a new day: the idle session has expired
        client = login(people.xt_officer)
        response = client.post(
            f"/enforcement/publicity/{pub.pk}/withdraw-order/",
            {"ordered_on": "2025-09-30", "ground": "原决定经复议被撤销"},
        )
        assert response["Location"] == "/enforcement/publicity/"
        html = page(client, "/enforcement/publicity/")
    assert "2025-10-11" in html and "原决定经复议被撤销" in html


def test_staff_page_shows_service_errors_on_the_form(login, people, person_case):
    with on(DUE):
        client = login(people.xt_officer)
        response = client.post(
            f"/enforcement/publicity/cases/{person_case.pk}/publish/",
            {"published_on": "2025-09-01"},
        )

    assert response.status_code == 200
    assert "公示日期须在决定日期之后" in response.content.decode()


def test_staff_pages_need_login_and_role(client, login, people, person_case):
    assert client.get("/enforcement/publicity/").status_code == 302
    assert login(people.xt_reviewer).get("/enforcement/publicity/").status_code == 403
    outsider = login(people.xx_officer)
    url = f"/enforcement/publicity/cases/{person_case.pk}/publish/"
    assert outsider.get(url).status_code == 404


def test_basics_give_each_measures_own_period_to_sue(client, people):
    # 土地管理法第八十三条: fifteen days against a demolition order, beside the six
    # months of 行政诉讼法第四十六条 for the rest (execution.toml, as the decision says)
    html = page(client, "/gongshi/430321/basics/")
    assert "自知道作出行政行为之日起六个月内" in html
    assert "其中对责令限期拆除决定不服的，自接到决定之日起十五日内" in html
    assert "第八十三条" in html
