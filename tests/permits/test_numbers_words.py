"""The window's queue and completion notice as staff expect them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.permits.conftest import MON, on


def test_an_application_with_no_due_date_sorts_below_an_overdue_one(
        client, clerk, registered, accepted):
    undated = registered()  # received, not yet accepted: no due date
    late = accepted()
    assert undated.due_date is None and late.due_date is not None
    client.force_login(clerk)
    with on(late.due_date + dt.timedelta(days=30)):
        page = client.get(reverse("permits:queue")).content.decode()
    assert page.index(late.number) < page.index(undated.number)


def test_the_completion_notice_starts_from_the_materials_still_missing(
        client, clerk, registered):
    app = registered()
    labels = [m.label for m in app.materials.filter(required=True)]
    assert labels
    client.force_login(clerk)
    with on(MON):
        page = client.get(reverse("permits:request_completion", args=[app.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    for label in labels:
        assert label in text


def _typed_loosely(number: str) -> str:
    """The number as someone types it: 【】 round the year, full-width digits, spaces."""
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    return " " + number.replace("〔", "【").replace("〕", "】 ").translate(wide)


def test_a_number_typed_with_other_brackets_finds_the_matter(client, people,
                                                             registered):
    from fazhi.disputes.models import Reconsideration

    app = registered()
    assert "〔" in app.number
    client.force_login(people.xt_legal)
    form = client.get(reverse("disputes:reconsideration_new")).content.decode()
    assert "<datalist" in form and f'value="{app.number}"' in form
    with on(MON):
        response = client.post(reverse("disputes:reconsideration_new"), {
            "number": "潭府复〔2025〕9号", "applicant_name": "张三",
            "body": "湘潭县人民政府", "challenged_act": "不予许可决定",
            "case_number": _typed_loosely(app.number),
            "copy_received_on": MON.isoformat()})
    assert response.status_code == 302, response.content.decode()
    assert Reconsideration.objects.get().object_id == str(app.pk)


def test_the_list_search_reads_brackets_as_issued(client, clerk, registered):
    app = registered()
    client.force_login(clerk)
    typed = app.number.replace("〔", "[").replace("〕", "]").removesuffix("号")
    page = client.get(reverse("permits:list"), {"q": typed}).content.decode()
    assert app.number in page
