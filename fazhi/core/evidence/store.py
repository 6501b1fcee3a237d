"""Storing a file as evidence (checked, hashed, written once, audited) and finding it.

``evidence_store`` refuses what may not enter (``sniff``), writes the blob and then
the ``Evidence`` row with its audit event; ``evidence_get`` finds a row within the
caller's subtree.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from fazhi.core import audit
from fazhi.core.evidence.blobs import blob_put
from fazhi.core.evidence.sniff import Refused, sniff
from fazhi.core.evidence.streams import CHUNK, SPOOL_IN_MEMORY
from fazhi.core.models import Evidence, EvidenceKind, OrgUnit
from fazhi.core.scope import get_scoped_or_404


@dataclass(frozen=True)
class Spooled:
    file: IO[bytes]
    sha256: str
    size: int


def evidence_store(
    *, file: Any, actor, org_unit: OrgUnit, kind: str, description: str = "",
    matter: models.Model | None = None,
) -> Evidence:
    """Store one file as evidence of ``org_unit`` (and of ``matter`` when given)."""
    _check_may_store(actor, org_unit, matter)
    kind = _kind(kind)
    name = original_name(file)
    with _spool(file, name, settings.EVIDENCE_MAX_BYTES) as blob:
        try:
            media_type = sniff(blob.file, name)
        except Refused as exc:
            raise ValidationError({"file": str(exc)}) from None
        blob_put(blob.sha256, blob.file)
    # The blob is written before the transaction: if the transaction fails, the blob
    # stays without a row. That is harmless — it is named by its own hash and the next
    # upload of the same bytes reuses it — and far better than a row without a file.
    with transaction.atomic():
        evidence = Evidence.objects.create(
            org_unit=org_unit, sha256=blob.sha256, size=blob.size,
            media_type=media_type, kind=kind, original_name=name,
            description=description, uploaded_by=actor, **_matter_fields(matter),
        )
        audit.record(
            actor=actor, obj=evidence, action="evidence.store", evidence=[blob.sha256],
            summary=f"存入证据“{name}”（{kind.label}，{blob.size} 字节）",
            after=_audit_after(evidence),
        )
    return evidence


def evidence_store_files(files: Iterable | None, *, matter: models.Model, actor,
                         kind: str, description: str = "") -> list[str]:
    """Store each of ``files`` as evidence of ``matter`` (in its bureau), in order;
    return their SHA-256s, for the audit event of the step that brought them."""
    return [evidence_store(file=f, actor=actor, org_unit=matter.org_unit, kind=kind,
                           description=description, matter=matter).sha256
            for f in files or ()]


def original_name(file: Any) -> str:
    """Return the file's own name without folders (what the person uploaded)."""
    name = os.path.basename(str(getattr(file, "name", "") or "").replace("\\", "/"))
    return name[:255] or "未命名文件"


def _check_may_store(actor, org_unit: OrgUnit, matter: models.Model | None) -> None:
    own = getattr(actor, "org_unit", None)
    if not getattr(actor, "is_active", False) or own is None:
        raise PermissionDenied("只有在职且属于某一机关的工作人员才能存入证据")
    if not own.contains(org_unit):
        raise PermissionDenied("只能向本机关及下级机关存入证据")
    matter_org = getattr(matter, "org_unit", None)
    if matter_org is not None and not own.contains(matter_org):
        raise PermissionDenied("不能向其他机关的事项附加证据")


def _kind(kind: str) -> EvidenceKind:
    try:
        return EvidenceKind(kind)
    except ValueError:
        labels = "、".join(EvidenceKind.labels)
        raise ValidationError({"kind": f"证据类别应为：{labels}"}) from None


def _matter_fields(matter: models.Model | None) -> dict:
    if matter is None:
        return {}
    if matter.pk is None:
        raise ValidationError({"matter": "事项尚未保存，不能附加证据"})
    return {"content_type": ContentType.objects.get_for_model(matter),
            "object_id": str(matter.pk)}


def _audit_after(evidence: Evidence) -> dict:
    return {
        "sha256": evidence.sha256, "size": evidence.size,
        "media_type": evidence.media_type, "kind": evidence.kind,
        "original_name": evidence.original_name,
        "matter": (f"{evidence.content_type.app_label}.{evidence.content_type.model}"
                   f"#{evidence.object_id}" if evidence.content_type_id else None),
    }


@contextlib.contextmanager
def _spool(file: Any, name: str, limit: int) -> Iterator[Spooled]:
    """Copy ``file`` into a temporary file, hashing it and enforcing ``limit`` bytes."""
    if (getattr(file, "size", None) or 0) > limit:
        raise _too_big(name, limit)  # known in advance: refuse before reading
    digest, size = hashlib.sha256(), 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as tmp:
        for chunk in _chunks(file):
            size += len(chunk)
            if size > limit:
                raise _too_big(name, limit)
            digest.update(chunk)
            tmp.write(chunk)
        if size == 0:
            raise ValidationError({"file": f"“{name}”是空文件，请重新选择"})
        tmp.seek(0)
        yield Spooled(tmp, digest.hexdigest(), size)


def _chunks(file: Any) -> Iterator[bytes]:
    if hasattr(file, "chunks"):  # a Django File: it rewinds itself
        yield from file.chunks(CHUNK)
        return
    with contextlib.suppress(AttributeError, OSError, ValueError):
        file.seek(0)
    while chunk := file.read(CHUNK):
        yield chunk


def _too_big(name: str, limit: int) -> ValidationError:
    return ValidationError(
        {"file": f"“{name}”超过证据文件大小上限 {limit / 2**20:.4g} MB，"
                 "请压缩或分段后再上传"}
    )


def evidence_get(*, actor, pk) -> Evidence:
    """Return one evidence row of the caller's subtree, or raise Http404."""
    qs = Evidence.objects.select_related("org_unit", "uploaded_by")
    return get_scoped_or_404(qs, actor, pk=pk)
