"""Full-process records and rectification deadlines: dates in a plausible window,
and a "photo" that is a photo (by its bytes, not its name)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.enforcement.cases import records
from fazhi.enforcement.models import AVRecord, Rectification
from fazhi.enforcement.supervision import services as supervision
from tests.enforcement.conftest import on
from tests.enforcement.test_supervision import REVIEW_DAY, closed, reviewed  # noqa: F401

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
TODAY = dt.date(2025, 9, 3)


def _post_record(client, case, *, file, kind="photo", captured_at="2025-09-01T09:30"):
    with on(TODAY):
        return client.post(reverse("enforcement:record_add", args=[case.pk]), {
            "act": "site_inspection", "kind": kind, "file": file,
            "captured_at": captured_at, "place": "湘潭县某镇某村",
            "device": "执法记录仪 ZFJLY-001"})


def test_a_record_dated_year_one_is_refused_on_the_page(client, login, people, filed):
    case = filed()
    login(people.xt_officer)
    response = _post_record(client, case, captured_at="0001-01-01T00:00",
                            file=SimpleUploadedFile("现场.jpg", JPEG))
    assert response.status_code == 200
    assert "记录时间早于" in response.content.decode()
    assert not AVRecord.objects.exists()


def test_a_text_file_is_not_accepted_as_a_photo(client, login, people, filed):
    case = filed()
    login(people.xt_officer)
    fake = SimpleUploadedFile("现场.jpg", "这不是照片".encode())
    response = _post_record(client, case, file=fake)
    assert response.status_code == 200 and not AVRecord.objects.exists()
    text = SimpleUploadedFile("现场.txt", "这不是照片".encode())
    response = _post_record(client, case, file=text)
    assert response.status_code == 200 and "不是照片文件" in response.content.decode()
    assert not AVRecord.objects.exists()


@pytest.mark.parametrize("kind", ["video", "audio"])
def test_a_picture_is_not_accepted_as_a_video_or_a_recording(people, filed, kind):
    case = filed()
    with on(TODAY), pytest.raises(ValidationError) as caught:
        records.case_record_add(
            case=case, actor=people.xt_officer, act="site_inspection", kind=kind,
            file=SimpleUploadedFile("现场.jpg", JPEG),
            captured_at=dt.datetime(2025, 9, 1, 9, 30, tzinfo=dt.UTC),
            place="湘潭县某镇某村", device="执法记录仪 ZFJLY-001")
    assert "file" in caught.value.message_dict


def test_a_photo_is_still_accepted(client, login, people, filed):
    case = filed()
    login(people.xt_officer)
    response = _post_record(client, case, file=SimpleUploadedFile("现场.jpg", JPEG))
    assert response.status_code == 302 and AVRecord.objects.count() == 1


def test_a_rectification_deadline_in_9999_is_refused(people, closed):  # noqa: F811
    review = reviewed(closed(), people.xt_supervisor)
    with on(REVIEW_DAY), pytest.raises(ValidationError) as caught:
        supervision.rectification_issue(
            review=review, actor=people.xt_supervisor, description="补齐送达回证",
            responsible=people.xt_officer, deadline=dt.date(9999, 12, 31))
    assert "请核对年份" in " ".join(caught.value.message_dict["deadline"])


def test_a_rectification_deadline_in_9999_is_a_form_error(people, closed,  # noqa: F811
                                                          login):
    review = reviewed(closed(), people.xt_supervisor)
    with on(REVIEW_DAY):
        client = login(people.xt_supervisor)
        response = client.post(
            reverse("enforcement:rectification_new", args=[review.pk]),
            {"description": "补齐送达回证", "responsible": people.xt_officer.pk,
             "deadline": "9999-12-31"})
    assert response.status_code == 200
    assert "整改期限不能晚于" in response.content.decode()
    assert not Rectification.objects.exists()
