"""The annual OGI report's table 3 for a year and an organisation subtree."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from fazhi.core.models import OrgUnit
from fazhi.disclosure import law
from fazhi.disclosure.models import DisclosureRequest
from fazhi.disclosure.ogi_table import OgiTable, RequestFact, build_table


def facts_for(*, org: OrgUnit, year: int) -> list[RequestFact]:
    """Facts of every request of the subtree that the year's table can count."""
    qs = DisclosureRequest.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=dt.date(year, 1, 1)),
        org_unit__path__startswith=org.path, received_on__lte=dt.date(year, 12, 31))
    return [RequestFact(id=pk, category=cat, received_on=rec, concluded_on=closed,
                        outcome=outcome or None)
            for pk, cat, rec, closed, outcome in qs.values_list(
                "pk", "requester_category", "received_on", "closed_on", "outcome")]


def ogi_table_for(*, org: OrgUnit, year: int) -> OgiTable:
    return build_table(facts_for(org=org, year=year), year=year, layout=law.layout())
