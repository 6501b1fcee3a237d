"""The batch and patch pages ask the database a fixed number of times, however many
patches a batch holds or however long a patch's history is (under load, one query
per patch made a 40-patch batch page cost 57 queries)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import RECEIVED, box, geojson_file, import_batch, on

pytestmark = pytest.mark.django_db


def _batch(officer, tmp_path, code: str, n: int):
    rows = [({"TBBH": f"{code}{i:03d}", "XZQDM": "430321", "XZQMC": "易俗河镇",
              "JCMJ": 400.0}, box(i * 100, 0, 20, 20)) for i in range(n)]
    with on(RECEIVED):
        return import_batch(officer, geojson_file(tmp_path / f"{code}.geojson", rows),
                            code=code)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_batch_page_queries_do_not_grow_with_its_patches(
        client, login, officer, tmp_path, django_assert_max_num_queries):
    small = _batch(officer, tmp_path, "WP-2", 2)
    large = _batch(officer, tmp_path, "WP-20", 20)
    login(officer)
    few = _queries(client, small.get_absolute_url())
    with django_assert_max_num_queries(few):
        page = client.get(large.get_absolute_url())
    assert page.content.decode().count("WP-20") >= 20  # every patch is on the page


def test_patch_page_queries_do_not_grow_with_its_history(
        client, login, officer, people, patch, django_assert_max_num_queries):
    from fazhi.core import audit

    url = reverse("monitoring:patch_detail", args=[patch.pk])
    login(officer)

    def note(i: int) -> None:
        actor = people["xt_officer2"] if i % 2 else officer
        audit.record(actor=actor, obj=patch, action="note", summary=f"记录{i}")

    for i in range(2):
        note(i)
    few = _queries(client, url)
    for i in range(2, 20):
        note(i)
    with django_assert_max_num_queries(few):
        page = client.get(url)
    text = page.content.decode()
    assert "记录19" in text and people["xt_officer2"].full_name in text
