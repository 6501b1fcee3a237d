"""The correction notice starts from what the registered request lacks."""

from __future__ import annotations

import re

from django.urls import reverse


def _items_box(html: str) -> str:
    return re.search(r'<textarea name="items"[^>]*>(.*?)</textarea>', html, re.S)[1]


def test_the_notice_lists_the_missing_identity_and_contact(client, officer, register):
    item = register(requester_id_number="", requester_phone="", requester_address="")
    client.force_login(officer)
    html = client.get(reverse("disclosure:correction", args=[item.pk])).content.decode()
    box = _items_box(html)
    assert "身份证明" in box and "联系方式" in box


def test_a_complete_request_starts_from_an_empty_notice(client, officer, register):
    item = register(requester_phone="13800138000")
    client.force_login(officer)
    html = client.get(reverse("disclosure:correction", args=[item.pk])).content.decode()
    assert _items_box(html).strip() == ""
