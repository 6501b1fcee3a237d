"""Baseline pages through the test client: paste or upload a report, review the
figures beside their sentences, edit, confirm; overwriting; roles and scope."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.reports import baseline as services
from fazhi.reports.models import Baseline

DATA = Path(__file__).parent / "data"
IMPORT = reverse("reports:baseline_import")
LIST = reverse("reports:baseline_list")
SIMPLIFIED = (DATA / "xiangtan_2024_simplified.txt").read_text(encoding="utf-8")


def review(client, text=SIMPLIFIED, org="430321"):
    """Post step one; return the review page's response."""
    response = client.post(IMPORT, {"org": org, "text": text})
    assert response.status_code == 200
    return response


def as_submitted(response, **changes) -> dict:
    """What the browser would post back from the review form, with ``changes``."""
    form = response.context["form"]
    data = {"step": "review"}
    for field in form:
        value = field.value()
        if value not in (None, False, ""):
            data[field.name] = "on" if value is True else str(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def field_of(response, metric_id: str) -> str:
    rows = response.context["form"].rows
    return f"v{next(i for i, r in enumerate(rows) if r.metric_id == metric_id)}"


def stored(org) -> dict[str, Decimal]:
    return {b.metric_id: b.value for b in Baseline.objects.filter(org_unit=org)}


def test_pasted_text_is_reviewed_beside_its_sentences_and_stored_as_edited(
        client, people, orgs):
    client.force_login(people.xt_legal)
    page = review(client)
    html = page.content.decode()
    assert "潭县自然资字〔2025〕79号" in html
    assert "全年组织干部职工集中学法12次" in html  # the sentence beside the figure
    assert 'value="12345000"' in html  # 1234.5万元 in yuan
    data = as_submitted(page, **{field_of(page, "study.sessions"): "13",
                                 field_of(page, "permits.complaints"): None,
                                 "kind0": "采矿许可证", "count0": "2"})
    response = client.post(IMPORT, data)
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?org=430321&year=2024"
    figures = stored(orgs["xt"])
    assert figures["study.sessions"] == 13  # the reviewer's figure, not the text's
    assert "permits.complaints" not in figures  # emptied: not stored
    assert figures["permits.by_kind/采矿许可证"] == 2
    assert figures["reconsideration.correction_rate/change_pp"] == Decimal("-2.5")
    row = Baseline.objects.get(org_unit=orgs["xt"], metric_id="study.sessions")
    assert row.source == ("潭县自然资字〔2025〕79号"
                          "《湘潭县自然资源局2024年法治政府建设年度报告》")
    listing = client.get(response["Location"]).content.decode()
    assert "学法活动次数" in listing and "12345000 元" in listing


def test_a_gb18030_upload_is_read(client, people):
    client.force_login(people.xt_principal)
    upload = SimpleUploadedFile("report.txt",
                                (DATA / "xiangtan_2022_gb18030.txt").read_bytes())
    response = client.post(IMPORT, {"org": "430321", "file": upload})
    html = response.content.decode()
    assert "全年核发乡村建设规划许可证八十六件" in html
    assert response.context["form"].initial["year"] == 2022


def test_an_unreadable_upload_or_no_text_names_the_field(client, people):
    client.force_login(people.xt_legal)
    upload = SimpleUploadedFile("report.docx", b"PK\x03\x04\x00\x00\x00")
    html = client.post(IMPORT, {"org": "430321", "file": upload}).content.decode()
    assert "文件不是纯文本" in html
    html = client.post(IMPORT, {"org": "430321", "text": "  "}).content.decode()
    assert "请粘贴报告文本，或上传文本文件" in html


def test_figures_left_out_are_shown_with_the_reason_and_not_filled(client, people):
    client.force_login(people.xt_legal)
    page = review(client, (DATA / "xiangtan_2024_ambiguous.txt").read_text())
    html = page.content.decode()
    assert "出现不同数值：12、14" in html
    assert "报告署名为“湘乡市自然资源局”" not in html  # organisation itself left out
    assert page.context["form"].initial.get(field_of(page, "study.sessions")) is None
    # Every number not taken is listed with its reason and sentence, in words.
    assert "报告中未采用的数字" in html
    assert "表述为频次要求，不是次数" in html and "做到每月至少1次学法" in html


def test_two_groups_study_counts_are_summed_for_the_review(client, people):
    client.force_login(people.xt_legal)
    page = review(client, "湘潭县自然资源局2024年度法治政府建设工作报告\n县人民政府：\n"
                          "局党组中心组学法5次，组织干部职工集中学法11次。\n")
    row = next(r for r in page.context["form"].rows if r.metric_id == "study.sessions")
    assert row.value == 16 and "领导班子5次、干部职工11次" in row.sentence


def test_a_differing_stored_value_is_shown_and_only_overwritten_when_ticked(
        client, people, orgs):
    services.baseline_import(actor=people.xt_legal, org_unit=orgs["xt"], year=2024,
                             figures={"study.sessions": 10}, source="手工录入")
    client.force_login(people.xt_supervisor)
    page = review(client)
    assert "将覆盖" in page.content.decode()
    response = client.post(IMPORT, as_submitted(page))
    assert response.status_code == 200
    assert "确认覆盖后才会改写：学法活动次数 10→12" in response.content.decode()
    assert stored(orgs["xt"]) == {"study.sessions": 10}
    response = client.post(IMPORT, as_submitted(page, overwrite="on"))
    assert response.status_code == 302
    assert stored(orgs["xt"])["study.sessions"] == 12


def test_a_bad_figure_or_half_a_kind_row_is_refused_and_nothing_stored(
        client, people, orgs):
    client.force_login(people.xt_legal)
    page = review(client)
    rate = field_of(page, "litigation.appearance_rate")
    html = client.post(IMPORT, as_submitted(page, **{rate: "150"})).content.decode()
    assert "以百分数录入，须在0至100之间" in html
    html = client.post(IMPORT, as_submitted(page, kind0="采矿许可证")).content.decode()
    assert "请同时填写许可事项名称和件数" in html
    assert not Baseline.objects.exists()


def test_a_mismatched_organisation_is_warned(client, people):
    client.force_login(people.city_principal)
    html = review(client, org="430381").content.decode()
    assert "报告署名为“湘潭县自然资源局”，与所选机关“湘乡市自然资源局”不一致" in html


def test_another_county_gets_not_found_and_the_city_may_import(client, people, orgs):
    client.force_login(people.xt_legal)
    assert client.post(IMPORT, {"org": "430381", "text": SIMPLIFIED}).status_code == 404
    page = review(client)
    data = as_submitted(page, org="430381")
    assert client.post(IMPORT, data).status_code == 404
    assert client.get(LIST, {"org": "430381"}).status_code == 404
    assert not Baseline.objects.exists()
    client.force_login(people.city_principal)
    page = review(client)
    assert client.post(IMPORT, as_submitted(page)).status_code == 302
    assert stored(orgs["xt"])["litigation.lost"] == 1
    client.force_login(people.xx_legal)
    assert "学法活动次数" not in client.get(LIST).content.decode()


def test_roles_without_the_right_are_refused_and_anonymous_sent_to_login(
        client, people):
    assert client.get(LIST).status_code == 302
    client.force_login(people.xt_clerk)
    assert client.get(LIST).status_code == 403
    assert client.post(IMPORT, {"org": "430321", "text": SIMPLIFIED}).status_code == 403
    assert "基期数据" not in client.get(reverse("web:home")).content.decode()
    for user in (people.xt_legal, people.xt_principal, people.xt_supervisor):
        client.force_login(user)
        assert client.get(IMPORT).status_code == 200
        assert f'href="{LIST}"' in client.get(reverse("web:home")).content.decode()
