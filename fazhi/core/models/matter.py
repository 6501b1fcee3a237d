"""What every matter in a bureau's register shares: its bureau, who entered it and
when, a number unique in the bureau, and the two kinds of party the law knows."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PartyKind(models.TextChoices):
    # 行政处罚法、行政许可法: "公民、法人或者其他组织".
    PERSON = "person", "公民"  # a natural person
    ORGANISATION = "organisation", "法人或者其他组织"  # a company or other body


class Matter(models.Model):
    """A matter of one bureau (a case, a lead, an application, a request, a
    reconsideration, a lawsuit), entered by a member of staff."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


def number_unique_per_org(name: str) -> models.UniqueConstraint:
    """The constraint that a matter's number is used once in its bureau."""
    return models.UniqueConstraint(fields=["org_unit", "number"], name=name)
