"""The phone pages and their JSON endpoints, through Django's test client."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.core.models import AuditEvent, Evidence
from fazhi.monitoring.models import FieldPhoto, PatchState, TaskState

from .test_field_services import INSIDE, JPEG, JPEG2, KM_NORTH, TAKEN, sha

pytestmark = pytest.mark.django_db


def photos_url(task):
    return reverse("monitoring:field_photos", args=[task.pk])


def post_photo(client, task, *, data=JPEG, claimed=None, uid="uid-view-1",
               where=INSIDE, headers=None):
    lon, lat = where if where else ("", "")
    return client.post(photos_url(task), {
        "file": SimpleUploadedFile("IMG_1.jpg", data, content_type="image/jpeg"),
        "sha256": claimed or sha(data), "client_uid": uid, "latitude": lat,
        "longitude": lon, "accuracy_m": "6.5", "heading": "", "taken_at": TAKEN,
    }, headers=headers or {})


def submit(client, task, **data):
    return client.post(reverse("monitoring:field_submit", args=[task.pk]), {
        "findings": "现场为新建厂房", "observed_use": "厂房仓储", **data})


# --- who may come in ---------------------------------------------------------------


def test_officer_sees_my_tasks_with_patch_area_and_due_date(login, task, officer):
    page = login(officer).get(reverse("monitoring:field_tasks"))
    html = page.content.decode()
    assert page.status_code == 200 and "我的核查任务" in html
    assert task.patch.code in html and "7.50 亩" in html and "2025-11-28" in html
    assert reverse("monitoring:field_task", args=[task.pk]) in html


def test_task_page_shows_prejudgement_overlaps_and_the_photo_button(
        login, task, officer):
    html = login(officer).get(reverse("monitoring:field_task", args=[task.pk])
                              ).content.decode()
    assert "疑似违法" in html and "永久基本农田" in html
    assert 'capture="environment"' in html and 'accept="image/*"' in html
    assert 'id="field-config"' in html and "提交核查结果" in html
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not src.startswith(("http:", "https:", "//")), src


def test_anonymous_pages_go_to_login_and_json_answers_401(client, task):
    page = client.get(reverse("monitoring:field_tasks"))
    assert page.status_code == 302 and "/login/" in page["Location"]
    answer = post_photo(client, task)
    assert answer.status_code == 401 and "登录已过期" in answer.json()["error"]
    assert not FieldPhoto.objects.exists()


def test_non_officer_gets_403_on_pages_and_json(login, task, people):
    client = login(people["xt_clerk"])
    assert client.get(reverse("monitoring:field_tasks")).status_code == 403
    task_url = reverse("monitoring:field_task", args=[task.pk])
    assert client.get(task_url).status_code == 403
    answer = post_photo(client, task)
    assert answer.status_code == 403 and "执法人员" in answer.json()["error"]
    assert submit(client, task).status_code == 403


def test_other_countys_officer_gets_404_everywhere(login, task, officer, people):
    post_photo(login(officer), task)
    photo = FieldPhoto.objects.get()
    client = login(people["xx_officer"])
    task_url = reverse("monitoring:field_task", args=[task.pk])
    assert client.get(task_url).status_code == 404
    answer = post_photo(client, task, uid="uid-xx")
    assert answer.status_code == 404 and answer.json()["error"]
    assert client.get(photos_url(task)).status_code == 404
    assert submit(client, task).status_code == 404
    image = reverse("monitoring:field_photo_image", args=[task.pk, photo.pk])
    assert client.get(image).status_code == 404
    assert FieldPhoto.objects.count() == 1


def test_same_bureau_officer_may_look_but_not_act(login, task, people):
    client = login(people["xt_officer2"])
    page = client.get(reverse("monitoring:field_task", args=[task.pk]))
    assert page.status_code == 200 and 'id="photo-input"' not in page.content.decode()
    answer = post_photo(client, task)
    assert answer.status_code == 403 and "核查人" in answer.json()["error"]


def test_posts_need_the_csrf_token(task, officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    client.get(reverse("monitoring:field_task", args=[task.pk]))  # sets the cookie
    assert post_photo(client, task).status_code == 403
    token = client.cookies["csrftoken"].value
    answer = post_photo(client, task, headers={"X-CSRFToken": token})
    assert answer.status_code == 201


# --- photos ------------------------------------------------------------------------


def test_photo_upload_answers_201_then_200_for_a_retry(login, task, officer):
    client = login(officer)
    first = post_photo(client, task)
    assert first.status_code == 201 and first.json()["created"] is True
    body = first.json()["photo"]
    assert body["sha256"] == sha(JPEG) and body["distance_m"] == 0 and not body["far"]
    again = post_photo(client, task)
    assert again.status_code == 200 and again.json()["photo"]["id"] == body["id"]
    assert FieldPhoto.objects.count() == 1 and Evidence.objects.count() == 1


def test_hash_mismatch_answers_400_in_chinese_and_stores_nothing(login, task, officer):
    answer = post_photo(login(officer), task, claimed=sha(JPEG2))
    assert answer.status_code == 400
    assert answer.json()["field"] == "file" and "传输中损坏" in answer.json()["error"]
    assert not FieldPhoto.objects.exists() and not Evidence.objects.exists()


def test_same_uid_with_other_bytes_answers_400(login, task, officer):
    client = login(officer)
    post_photo(client, task)
    answer = post_photo(client, task, data=JPEG2)
    assert answer.status_code == 400 and answer.json()["field"] == "client_uid"
    assert FieldPhoto.objects.count() == 1


def test_photo_list_reports_distance_and_the_far_mark(login, task, officer):
    client = login(officer)
    post_photo(client, task, where=KM_NORTH)
    post_photo(client, task, uid="uid-view-2", data=JPEG2, where=None)
    photos = client.get(photos_url(task)).json()["photos"]
    assert [(p["far"], p["place"]) for p in photos] == [
        (True, "距图斑 1000 米，远离图斑"), (False, "无定位")]
    image = client.get(photos[0]["image_url"])
    assert image.status_code == 200 and b"".join(image.streaming_content) == JPEG
    html = client.get(reverse("monitoring:field_task", args=[task.pk])).content.decode()
    assert "远离图斑" in html and "无定位" in html


def test_a_photo_without_file_names_the_field(login, task, officer):
    answer = login(officer).post(photos_url(task), {
        "sha256": sha(JPEG), "client_uid": "uid-nofile", "taken_at": TAKEN})
    assert answer.status_code == 400 and answer.json()["field"] == "file"


def test_wrong_method_answers_405_in_json(login, task, officer):
    answer = login(officer).get(reverse("monitoring:field_submit", args=[task.pk]))
    assert answer.status_code == 405 and answer.json()["error"]


# --- submission --------------------------------------------------------------------


def test_submit_moves_the_patch_to_checked(login, task, officer):
    client = login(officer)
    post_photo(client, task)
    answer = submit(client, task)
    assert answer.status_code == 200
    body = answer.json()["task"]
    assert body["state"] == TaskState.SUBMITTED
    assert body["patch_state_label"] == "待判定"
    task.patch.refresh_from_db()
    assert task.patch.state == PatchState.CHECKED
    assert AuditEvent.objects.filter(action="monitoring.task_submit").count() == 1
    # The phone retries after a lost answer: the same result, nothing new written.
    assert submit(client, task).status_code == 200
    assert AuditEvent.objects.filter(action="monitoring.task_submit").count() == 1
    assert reverse("monitoring:field_task", args=[task.pk]) not in client.get(
        reverse("monitoring:field_tasks")).content.decode()


def test_submit_without_a_photo_answers_400(login, task, officer):
    answer = submit(login(officer), task)
    assert answer.status_code == 400 and "至少上传一张" in answer.json()["error"]


def test_submit_of_a_cancelled_task_answers_409(login, task, officer):
    from fazhi.monitoring import services

    client = login(officer)
    post_photo(client, task)
    services.task_cancel(task=task, actor=officer, reason="派错了")
    answer = submit(client, task)
    assert answer.status_code == 409 and "已撤回" in answer.json()["error"]


# --- the content security policy ------------------------------------------------------


def test_csp_admits_blob_thumbnails_and_only_the_configured_tile_host(
        login, task, officer, settings):
    client = login(officer)
    url = reverse("monitoring:field_task", args=[task.pk])
    csp = client.get(url)["Content-Security-Policy"]
    assert "img-src 'self' data: blob:;" in csp and "http" not in csp
    settings.MAP_TILE_URL = "http://t{s}.tianditu.gov.cn/img_w/wmts?x={x}&tk=KEY"
    csp = client.get(url)["Content-Security-Policy"]
    assert "img-src 'self' data: blob: http://*.tianditu.gov.cn;" in csp
    assert "KEY" not in csp and "script-src 'self';" in csp
