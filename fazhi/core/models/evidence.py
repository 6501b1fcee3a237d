"""Evidence: one uploaded file attached to an organisation and, later, to a matter.

The bytes live in the evidence storage under their SHA-256 (``fazhi.core.evidence``);
a row records who brought which file, when and for what. The same bytes may be evidence
in two matters, so ``sha256`` is indexed but not unique.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", "照片"  # a photograph of the site, the parties or a document
    AV_RECORD = "av_record", "音像记录"  # audio/video of an inquiry or on-site action
    SCAN = "scan", "扫描件"  # a scanned paper record: signed transcripts, receipts
    DOCUMENT = "document", "文书"  # an electronic instrument, report or table
    OTHER = "other", "其他"  # anything that fits none of the above


class Evidence(models.Model):
    """One file brought into the evidence store by one person."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    media_type = models.CharField("文件类型", max_length=100)  # sniffed from content
    kind = models.CharField("证据类别", max_length=20, choices=EvidenceKind.choices)
    original_name = models.CharField("原文件名", max_length=255)
    description = models.TextField("说明", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, db_index=True)
    # The matter (case, request …) this file is evidence in; empty until attached.
    content_type = models.ForeignKey(
        ContentType, models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, null=True, blank=True)
    matter = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "证据"
        verbose_name_plural = "证据"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.sha256[:12]}）"

    @property
    def storage_name(self) -> str:
        """Return the blob's name in the evidence storage (``ab/cd/<sha256>``)."""
        return blob_name(self.sha256)


def blob_name(sha256: str) -> str:
    """Return the content-addressed storage name of a SHA-256 hex digest."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
