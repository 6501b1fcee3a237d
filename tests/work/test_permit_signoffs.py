"""A permit decision's sign-offs on 我的待办: the 审核 item reaches every section
head of the bureau and is gone for all of them once one signs; the 批准 item then
reaches the principal; a 不同意 comes back to the clerk with its reason; and no
item or count shows outside the bureau's subtree."""

from __future__ import annotations

import pytest

from tests.permits.conftest import MON, on
from tests.work.test_modules import _cells


@pytest.fixture
def second_head(people, orgs):
    """Another section head of 湘潭县."""
    from fazhi.core import services
    from fazhi.core.roles import Role

    user = services.user_create(username="xt_sectionhead2", full_name="湘潭县审批股副股长",
                                org_unit=orgs["xt"], password="x" * 12, actor=None)
    services.user_grant_role(user=user, role=Role.SECTION_HEAD, actor=None)
    return user


def _proposed(accepted, clerk, decision="approve", reasons="材料齐全"):
    from fazhi.permits.services import signing

    app = accepted(materials=True)
    with on(MON):
        return signing.application_propose(application=app, actor=clerk,
                                           decision=decision, reasons=reasons)


def test_the_review_item_is_gone_for_every_section_head_once_one_signs(
        people, accepted, clerk, second_head, home):
    from fazhi.permits.services import signing

    app = _proposed(accepted, clerk)
    review = f"审核许可决定：{app.number}"
    with on(MON):
        assert review in home(people.xt_sectionhead)
        assert review in home(second_head)
        assert app.number not in home(people.xt_principal)

        signing.application_sign(application=app, actor=second_head, agree=True)

        assert app.number not in home(people.xt_sectionhead)
        assert app.number not in home(second_head)
        assert f"批准许可决定：{app.number}" in home(people.xt_principal)
        assert f"审查并提出承办意见：{app.number}" not in home(clerk)


def test_a_refusal_comes_back_to_the_clerk_with_its_reason(
        people, accepted, clerk, home):
    from fazhi.permits.services import signing

    app = _proposed(accepted, clerk)
    with on(MON):
        signing.application_sign(application=app, actor=people.xt_sectionhead,
                                 agree=False, reasons="缺少现场踏勘照片")
        page = home(clerk)
        assert f"审查并提出承办意见：{app.number}" in page
        assert "退回：审核不同意，理由：缺少现场踏勘照片" in page
        # Proposed again: the reason of the old round no longer shows.
        signing.application_propose(application=app, actor=clerk, decision="approve",
                                    reasons="已补充照片")
        assert "缺少现场踏勘照片" not in home(clerk)
        assert "缺少现场踏勘照片" not in home(people.xt_sectionhead)


@pytest.fixture
def other_city(kinds):
    """长沙市 with 长沙县 under the province, beside 湘潭市: its bureau has the
    shipped kinds, a clerk, a section head and a city principal."""
    from fazhi.core import services
    from fazhi.core.roles import Role
    from fazhi.permits import services as permits
    from fazhi.permits.models import PermitKind

    province = kinds["rural_planning"].org_unit.parent.parent
    city = services.org_unit_ensure(division_code="430100", division_name="长沙市",
                                    name="长沙市自然资源和规划局", level="city",
                                    parent=province, short_name="长自然资")
    county = services.org_unit_ensure(division_code="430121", division_name="长沙县",
                                      name="长沙县自然资源局", level="county",
                                      parent=city, short_name="长县自然资")
    permits.kinds_sync(org_units=[county])
    people = {}
    for username, unit, role in (("cs_clerk", county, Role.WINDOW_CLERK),
                                 ("cs_sectionhead", county, Role.SECTION_HEAD),
                                 ("cs_city", city, Role.PRINCIPAL)):
        people[username] = services.user_create(
            username=username, full_name=username, org_unit=unit, password="x" * 12,
            actor=None)
        services.user_grant_role(user=people[username], role=role, actor=None)
    people["kind"] = PermitKind.objects.get(org_unit=county, code="rural_planning")
    return people


def test_a_permit_item_shows_only_in_its_bureau_and_counts_only_above_it(
        people, accepted, clerk, other_city, home):
    from fazhi.permits import services

    app = _proposed(accepted, clerk)  # 湘潭县, waiting on its section heads
    with on(MON):  # 长沙县's own application, waiting on its clerk
        theirs = services.application_register(
            actor=other_city["cs_clerk"], kind=other_city["kind"],
            applicant_name="李四", applicant_kind="person", project_name="李四自建住房",
            location="长沙县某镇某村", received_on=MON, clerk=other_city["cs_clerk"])
    review = f"审核许可决定：{app.number}"
    with on(MON):
        assert review in home(people.xt_sectionhead)
        for outsider in (people.xx_sectionhead, people.xx_principal, people.xx_clerk,
                         other_city["cs_sectionhead"], other_city["cs_clerk"]):
            assert app.number not in home(outsider), outsider.username
        # 湘潭市 counts it under 湘潭县; 长沙市, another subtree, never sees it.
        city = home(people.city_principal)
        assert app.number not in city
        assert _cells(city, "湘潭县自然资源局")["行政许可"] == "1"
        assert "长沙县" not in city and theirs.number not in city
        other = home(other_city["cs_city"])
        assert _cells(other, "长沙县自然资源局")["行政许可"] == "1"
        assert "湘潭县" not in other and app.number not in other
        assert theirs.number not in other  # counts, not the items
