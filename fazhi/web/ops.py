"""Operations: request ids on every request and log line, and the health endpoint.

With several application nodes behind a load balancer, one request must be found in
the logs of whichever node served it: nginx gives each request an id
(``X-Request-ID: $request_id``), which we keep (or make one), send back, and put on
every log line written while the request runs. ``FAZHI_LOG_FORMAT=json`` writes one
JSON object a line for a log collector.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import socket
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id",
                                                                default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
NODE = socket.gethostname()
access_log = logging.getLogger("fazhi.request")


class RequestIdMiddleware:
    """Keep the proxy's request id (or make one), answer it, log the request."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if _VALID_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            user = getattr(request, "user", None)
            access_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": request.path,
                       "status": response.status_code,
                       "ms": round((time.perf_counter() - started) * 1000, 1),
                       "user": getattr(user, "username", "") or ""})
            return response
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Put the current request's id and this node's name on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.node = NODE
        return True


_EXTRA = ("method", "path", "status", "ms", "user")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, node, request id, message."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": timezone.now().isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name,
            "node": getattr(record, "node", NODE),
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        data.update({k: getattr(record, k) for k in _EXTRA if hasattr(record, k)})
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


# --- health ----------------------------------------------------------------------------


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def _check_storage() -> dict:
    from django.core.files.storage import storages

    names = ["evidence", *(["monitoring"] if "monitoring" in settings.STORAGES else [])]
    for name in names:
        store = storages[name]
        if hasattr(store, "bucket_name"):  # S3: the bucket answers, with our keys
            store.connection.meta.client.head_bucket(Bucket=store.bucket_name)
        else:
            location = Path(store.location)
            if not location.is_dir():
                raise FileNotFoundError(name)
            if not os.access(location, os.W_OK | os.X_OK):
                raise PermissionError(name)
    return {"ok": True, "stores": names}


def _check_queue() -> dict:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {"ok": True, "ready": ready.count(),
            "running": DBTaskResult.objects.filter(
                status=TaskResultStatus.RUNNING).count(),
            "oldest_ready_seconds": (round((timezone.now() - oldest).total_seconds())
                                     if oldest else 0)}


CHECKS = {"database": _check_database, "storage": _check_storage,
          "queue": _check_queue}


def health(request):
    """``/healthz``: 200 when the database and storage answer, else 503.

    For the load balancer and monitoring, so no login; it shows counts and the
    node's name, never a setting or an address. The queue's depth is reported, not
    judged: a long queue is for an operator to read, not a reason to drop a node.
    """
    result, ok = {"node": NODE}, True
    for name, check in CHECKS.items():
        try:
            result[name] = check()
        except Exception as exc:  # noqa: BLE001  (any failure is the answer)
            logging.getLogger("fazhi.health").warning("health %s: %s", name, exc)
            result[name] = {"ok": False, "error": type(exc).__name__}
            ok = False
    result["ok"] = ok
    return JsonResponse(result, status=200 if ok else 503,
                        headers={"Cache-Control": "no-store"})
