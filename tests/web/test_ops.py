"""Operations: the health endpoint and request ids (fazhi.web.ops)."""

from __future__ import annotations

import json
import logging

from django.db import connection

from fazhi.web.ops import JsonFormatter, RequestIdFilter


def test_health_reports_database_storage_and_queue_without_login(client, db):
    from fazhi.deadlines.tasks import sweep_clocks

    sweep_clocks.enqueue()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
    assert body["storage"]["ok"] is True
    assert body["queue"]["ready"] == 1
    assert response["Cache-Control"] == "no-store"


def _health_with_evidence_at(client, settings, location: str):
    """/healthz's answer with the evidence store's folder at ``location``."""
    from django.core.files.storage import storages

    settings.STORAGES = {**settings.STORAGES, "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": location}}}
    storages._storages.pop("evidence", None)
    try:
        return client.get("/healthz")
    finally:
        storages._storages.pop("evidence", None)


def test_health_answers_503_when_a_store_cannot_be_reached(client, db, settings):
    response = _health_with_evidence_at(client, settings, "/proc/1/root/nowhere")
    assert response.status_code == 503
    assert response.json()["storage"] == {"ok": False, "error": "PermissionError"}


def test_a_request_keeps_the_proxys_id_or_gets_one(client, db):
    given = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given["X-Request-ID"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != "abc-123"


def test_log_lines_carry_the_request_id_as_json(client, db, caplog):
    handler_records = []

    class Keep(logging.Handler):
        def emit(self, record):
            handler_records.append(record)

    keep = Keep()
    keep.addFilter(RequestIdFilter())
    logger = logging.getLogger("fazhi.request")
    logger.addHandler(keep)
    logger.setLevel(logging.INFO)
    try:
        client.get("/healthz", headers={"X-Request-ID": "rid-42"})
    finally:
        logger.removeHandler(keep)
        logger.setLevel(logging.NOTSET)
    line = json.loads(JsonFormatter().format(handler_records[-1]))
    assert line["request_id"] == "rid-42"
    assert line["path"] == "/healthz" and line["status"] == 200


def test_health_reports_a_store_folder_gone_missing_instead_of_making_it(
        client, db, settings, tmp_path):
    """An unmounted evidence volume must turn the node unhealthy; a check that made
    the folder again would let uploads land on the node's own disk."""
    gone = tmp_path / "evidence-volume"
    response = _health_with_evidence_at(client, settings, str(gone))
    assert response.status_code == 503
    assert response.json()["storage"] == {"ok": False, "error": "FileNotFoundError"}
    assert not gone.exists()
