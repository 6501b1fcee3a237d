"""Give an evidence file to the person who asked: checked against its hash first."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse

from fazhi.core.evidence import EvidenceCorrupted, evidence_open


def evidence_response(evidence) -> HttpResponse:
    """Stream a verified evidence file, or explain why it cannot be given."""
    try:
        handle = evidence_open(evidence)
    except EvidenceCorrupted as exc:
        return HttpResponse(f"证据文件校验失败，已拒绝下载：{exc}。请联系系统管理员运行"
                            "“fazhi evidence verify”并从备份恢复。", status=409,
                            content_type="text/plain; charset=utf-8")
    response = FileResponse(handle, as_attachment=True,
                            filename=evidence.original_name,
                            content_type=evidence.media_type.split(";")[0])
    response["X-Content-SHA256"] = evidence.sha256
    return response


def evidence_download(qs: QuerySet, pk, *, field: str | None = "evidence",
                      missing: str = "未找到该记录") -> HttpResponse:
    """Give the file of row ``pk`` of ``qs`` (the files of one matter): the row's
    ``field``, or the row itself when it is the evidence; 404 when ``qs`` lacks it."""
    row = qs.filter(pk=pk).first()
    if row is None:
        raise Http404(missing)
    return evidence_response(row if field is None else getattr(row, field))
