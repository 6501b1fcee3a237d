"""The work items' table (待办表): one row per matter waiting on someone and the
person (or, given to nobody, the role) it waits on.

A copy kept for reading, never the truth: ``fazhi.work.waiting.refresh``
recomputes a matter's rows from its state, clocks and assignments in the
transaction of every change, and ``fazhi work_items --check`` compares the table
with a full derivation. Overdue is read as ``due_date < today``: nothing is
rewritten as the days pass.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Waiting(models.Model):
    """One matter waiting on one person (``person``), or on every holder of
    ``role`` in its bureau (``person`` empty)."""

    org_unit = models.ForeignKey("core.OrgUnit", models.CASCADE, related_name="+")
    module = models.CharField(max_length=30)  # the matter's app label
    kind = models.CharField(max_length=60)  # its kind: "enforcement.case"
    # the same as a clock names it: a clock's matter is found by an index probe
    content_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)  # its primary key, as a clock's
    role = models.CharField(max_length=40)  # the role it waits on
    person = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, null=True,
                               related_name="+")
    state = models.CharField(max_length=30)
    number = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=250)  # what is to be done: 法制审核：<number>
    due_date = models.DateField(null=True)  # the bureau's duty's date, else the row's
    paused = models.BooleanField(default=False)  # undated: its duty's clock paused
    task_pk = models.BigIntegerField(null=True)  # the row done on the phone, if any
    # One row of each matter counts it (a case given to two officers is one matter).
    lead = models.BooleanField(default=True)

    class Meta:
        indexes = [
            models.Index(fields=["org_unit", "role", "person", "due_date"],
                         name="work_waiting_mine"),
            models.Index(fields=["person", "org_unit", "due_date"],
                         name="work_waiting_person"),
            models.Index(fields=["kind", "object_id"], name="work_waiting_matter"),
            models.Index(fields=["content_type", "object_id"],
                         name="work_waiting_clocks"),
            models.Index(fields=["org_unit", "module", "due_date"],
                         condition=models.Q(lead=True), name="work_waiting_count"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.person or self.role}）"
