"""Give an evidence file to the person who asked: checked against its hash first."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse

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
