"""Downloading evidence: the bytes are checked against the hash before sending."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from fazhi.core.evidence import evidence_store

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def _store(people):
    officer = people.xt_officer
    return evidence_store(file=ContentFile(PDF, name="现场笔录.pdf"), actor=officer,
                          org_unit=officer.org_unit, kind="scan")


def test_officer_downloads_the_file_with_its_hash(client, people):
    evidence = _store(people)
    client.force_login(people.xt_officer)
    response = client.get(reverse("web:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-SHA256"] == evidence.sha256
    assert "attachment" in response["Content-Disposition"]


def test_a_tampered_file_is_refused_not_sent(client, people):
    evidence = _store(people)
    storage = storages["evidence"]
    with storage.open(evidence.storage_name, "wb") as handle:
        handle.write(PDF.replace(b"obj", b"OBJ"))
    client.force_login(people.xt_officer)
    response = client.get(reverse("web:evidence_download", args=[evidence.pk]))
    assert response.status_code == 409
    assert "校验失败" in response.content.decode()


def test_administrators_get_no_business_files(client, people):
    evidence = _store(people)
    for persona in ("xt_sysadmin", "xt_auditadmin", "xt_secadmin"):
        client.force_login(people[persona])
        url = reverse("web:evidence_download", args=[evidence.pk])
        assert client.get(url).status_code == 403
