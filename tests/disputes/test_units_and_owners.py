"""责任单位 from the bureau's departments; rectification owners never administrators."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from fazhi.core.models import Department
from fazhi.core.selectors import staff_for_work
from fazhi.disputes import review
from fazhi.disputes.models import CaseReview
from tests.disputes.test_pages import revoked  # noqa: F401  (fixture)
from tests.disputes.test_services import MON, on


def _review_page(client, item):
    return reverse("disputes:action", args=["reconsideration", item.pk, "review"])


def test_the_review_offers_the_bureaus_departments_only(client, people, revoked):  # noqa: F811
    review.causes_sync()
    client.force_login(people.xt_legal)
    html = client.get(_review_page(client, revoked)).content.decode()
    own = Department.objects.filter(org_unit=people.xt_legal.org_unit)
    other = Department.objects.exclude(org_unit=people.xt_legal.org_unit).first()
    assert own.exists() and all(f">{d.name}</option>" in html for d in own)
    select = re.search(r'<select name="department".*?</select>', html, re.S)[0]
    assert f'value="{other.pk}"' not in select
    cause = review.ReviewCause.objects.first()
    with on(MON):
        refused = client.post(_review_page(client, revoked), {
            "cause": cause.pk, "department": other.pk, "summary": "x",
            "reviewed_on": "2025-09-01"})
    assert refused.status_code == 200 and not CaseReview.objects.exists()


def test_an_old_free_text_unit_is_linked_and_counted_with_the_listed_one(
        people, revoked):  # noqa: F811
    review.causes_sync()
    dept = people.xt_officer.department  # 执法大队
    with on(MON):
        item = review.review_record(matter=revoked, actor=people.xt_legal,
                                    cause=review.ReviewCause.objects.first(),
                                    department=dept, summary="x", reviewed_on=MON)
    CaseReview.objects.filter(pk=item.pk).update(department=None,
                                                 responsible_unit=" 执法 大队")
    migration = importlib.import_module(
        "fazhi.disputes.migrations.0004_review_department")
    migration.link_departments(apps, None)
    assert CaseReview.objects.get(pk=item.pk).department_id == dept.pk


def test_administrators_are_never_offered_as_owners(client, people, revoked):  # noqa: F811
    review.causes_sync()
    admins = [people.xt_sysadmin, people.xt_secadmin, people.xt_auditadmin]
    offered = staff_for_work(org_unit=people.xt_legal.org_unit)
    assert not set(offered) & set(admins) and people.xt_officer in offered
    with on(MON):
        item = review.review_record(matter=revoked, actor=people.xt_legal,
                                    cause=review.ReviewCause.objects.first(),
                                    department=people.xt_legal.department,
                                    summary="x", reviewed_on=MON)
    client.force_login(people.xt_legal)
    url = reverse("disputes:measure_new", args=[item.pk])
    html = client.get(url).content.decode()
    assert people.xt_officer.full_name in html
    select = re.search(r'<select name="owner".*?</select>', html, re.S)[0]
    assert all(f'value="{a.pk}"' not in select for a in admins)
    with on(MON):
        client.post(url, {"description": "x", "owner": people.xt_sysadmin.pk,
                          "deadline": "2025-10-31"})
    assert not item.measures.exists()
    with pytest.raises(Exception, match="管理员账号不承担整改"):
        review.measure_add(review=item, actor=people.xt_legal, description="x",
                           owner=people.xt_sysadmin, deadline=MON)
