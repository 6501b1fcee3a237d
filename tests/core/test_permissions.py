"""Who may act where: a bureau and the bureaus below it, and refusals that say why."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from fazhi.core.permissions import require_role_over, role_names
from fazhi.core.roles import Role

LEGAL = (Role.LEGAL_AFFAIRS_OFFICER, Role.PRINCIPAL, Role.SUPERVISOR)


def test_roles_are_named_as_a_chinese_list():
    assert role_names([Role.PRINCIPAL]) == "负责人"
    assert role_names([Role.LEGAL_AFFAIRS_OFFICER, Role.SUPERVISOR]) == "法务人员或督察人员"
    assert role_names(LEGAL) == "法务人员、负责人或督察人员"


def test_a_city_principal_reaches_the_counties_below(people, orgs):
    require_role_over(people.city_principal, orgs["xt"], *LEGAL, what="录入基期数据")
    require_role_over(people.city_principal, orgs["city"], *LEGAL, what="录入基期数据")


def test_a_county_does_not_reach_its_neighbour_or_its_city(people, orgs):
    for other in (orgs["xx"], orgs["city"]):
        with pytest.raises(PermissionDenied, match=f"{other.name}不在您的管辖范围内"):
            require_role_over(people.xt_legal, other, *LEGAL, what="录入基期数据")


def test_without_the_role_the_refusal_names_who_may(people, orgs):
    with pytest.raises(PermissionDenied,
                       match="只有法务人员、负责人或督察人员可以录入基期数据"):
        require_role_over(people.xt_clerk, orgs["xt"], *LEGAL, what="录入基期数据")


def test_a_disabled_account_is_refused(people, orgs):
    people.xt_legal.is_active = False
    with pytest.raises(PermissionDenied):
        require_role_over(people.xt_legal, None, *LEGAL, what="登记学法普法记录")
