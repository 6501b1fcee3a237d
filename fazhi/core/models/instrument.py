"""Instruments (文书): generated official documents and the numbering behind them.

A bureau numbers each kind of instrument in its own series per year, without gaps:
潭县自然资公开补〔2026〕1号, 2号 … The .docx itself lives in the evidence store, so it
is hashed once, verified on every read, and its hash is in the audit chain.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class InstrumentSequence(models.Model):
    """The last serial given in one bureau's series of one kind in one year."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    kind = models.CharField("文书种类", max_length=60)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用最大序号", default=0)

    class Meta:
        verbose_name = "文书编号序列"
        verbose_name_plural = "文书编号序列"
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "kind", "year"], name="instrument_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}：{self.last}"


class Instrument(models.Model):
    """One issued instrument: its number, its matter and its stored .docx."""

    org_unit = models.ForeignKey(
        "core.OrgUnit", models.PROTECT, related_name="instruments"
    )
    kind = models.CharField("文书种类", max_length=60, db_index=True)
    doc_number = models.CharField("文号", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    title = models.CharField("文书名称", max_length=200)
    # The matter (disclosure request, case, application …) the instrument belongs to.
    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    matter = GenericForeignKey("content_type", "object_id")
    evidence = models.ForeignKey(
        "core.Evidence", models.PROTECT, related_name="instruments"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("制发时间", default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "文书"
        verbose_name_plural = "文书"
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "doc_number"], name="instrument_doc_number_unique"
            ),
            models.UniqueConstraint(
                fields=["org_unit", "kind", "year", "serial"],
                name="instrument_serial_unique",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.title} {self.doc_number}"
