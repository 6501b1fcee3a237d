"""Each level's administrators make accounts in their own bureau and the bureaus
below it, through the pages: 用户管理 (the system administrator creates the account)
then 角色授权 (the security administrator grants its role). A county's
administrators cannot reach the city or the province."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.core.models import OrgUnit, User
from fazhi.core.roles import Role

PASSWORD = "level-pass-2026"


def _create(client, username: str, code: str):
    org = OrgUnit.objects.get(division_code=code)
    return client.post(reverse("web:user_list"), {
        "username": username, "full_name": f"{org.division_name}新人",
        "org_unit": org.pk, "password": PASSWORD})


def _offered(client) -> str:
    return client.get(reverse("web:user_list")).content.decode()


@pytest.mark.parametrize(("admin", "codes", "above"), [
    ("xt_sysadmin", ["430321"], ["430300", "430000", "430381"]),
    ("xts_sysadmin", ["430300", "430321", "430381"], ["430000"]),
    ("hn_sysadmin", ["430000", "430300", "430381"], []),
])
def test_a_system_administrator_creates_accounts_at_their_level_and_below_only(
        people, login, admin, codes, above):
    client = login(people[admin])
    form = _offered(client)
    for code in codes:
        name = OrgUnit.objects.get(division_code=code).name
        assert f">{name}</option>" in form, (admin, name)
        done = _create(client, f"new_{admin}_{code}", code)
        assert done.status_code == 302, (admin, code)
        assert User.objects.get(username=f"new_{admin}_{code}").org_unit.division_code \
            == code
    for code in above:
        name = OrgUnit.objects.get(division_code=code).name
        assert f">{name}</option>" not in form, (admin, name)
        refused = _create(client, f"new_{admin}_{code}", code)
        assert refused.status_code == 200  # the form again, the bureau not offered
        assert not User.objects.filter(username=f"new_{admin}_{code}").exists()


def test_the_citys_security_administrator_grants_a_city_account_its_role_a_countys_cannot(
        people, login):
    _create(login(people.xts_sysadmin), "xts_newlegal", "430300")
    newcomer = User.objects.get(username="xts_newlegal")
    url = reverse("web:role_change", args=[newcomer.pk])
    grant = {"role": Role.LEGAL_AFFAIRS_OFFICER, "grant": "1"}
    assert login(people.xt_secadmin).post(url, grant).status_code == 404
    assert not User.objects.get(pk=newcomer.pk).has_role(Role.LEGAL_AFFAIRS_OFFICER)
    assert login(people.xts_secadmin).post(url, grant).status_code == 302
    assert User.objects.get(pk=newcomer.pk).has_role(Role.LEGAL_AFFAIRS_OFFICER)


def test_the_service_itself_refuses_a_county_administrator_above_their_county(people):
    from django.core.exceptions import PermissionDenied

    from fazhi.core import services

    for code in ("430300", "430000"):
        with pytest.raises(PermissionDenied, match="只能管理本机关及下级机关的用户"):
            services.user_create(username=f"up_{code}", full_name="越级",
                                 org_unit=OrgUnit.objects.get(division_code=code),
                                 password=PASSWORD, actor=people.xt_sysadmin)
